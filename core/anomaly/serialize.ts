import { resolveConfig, type DetectorConfig } from "./config";
import type { DetectorState } from "./detector";
import { InvalidDetectorStateError } from "./errors";

/** Budget for one series' serialised state, in UTF-8 bytes of JSON. */
export const MAX_STATE_BYTES = 2048;

/** The state as compact JSON: what is stored per series. */
export function serializeDetector(state: DetectorState): string {
  return JSON.stringify(state);
}

/** UTF-8 bytes of the serialised state. */
export function detectorStateBytes(state: DetectorState): number {
  return Buffer.byteLength(serializeDetector(state), "utf8");
}

const isNumberArray = (v: unknown): v is number[] => Array.isArray(v) && v.every((x) => typeof x === "number");
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function resolveConfigOrNull(config: Record<string, unknown>): DetectorConfig | null {
  try {
    return resolveConfig(config);
  } catch {
    return null;
  }
}

/**
 * Loads a state saved by `serializeDetector`. Scores after a load equal, to
 * the bit, the scores the saved state would have given.
 * @throws InvalidDetectorStateError when the text is not a version-1 state.
 */
export function deserializeDetector(text: string): DetectorState {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new InvalidDetectorStateError(`not JSON (${(err as Error).message})`);
  }
  if (!isObject(value) || value.version !== 1) throw new InvalidDetectorStateError("expected an object with version 1");
  const { config, forest, baseline, baselineCalibration, forestCalibration, recent, novelty } = value;
  if (!isObject(config) || !isObject(forest) || !isObject(baseline) || !isObject(baselineCalibration) ||
    !isObject(forestCalibration) || !isNumberArray(recent)) {
    throw new InvalidDetectorStateError("missing config, forest, baseline, calibrations or recent values");
  }
  if (!isObject(novelty) || typeof novelty.lo !== "number" || typeof novelty.hi !== "number" ||
    typeof novelty.t !== "number" || !isNumberArray(novelty.hist) || !isNumberArray(novelty.counts)) {
    throw new InvalidDetectorStateError("novelty state is malformed");
  }
  if (!isNumberArray(forest.points) || !isNumberArray(forest.weights) ||
    forest.points.length % Math.max(1, forest.weights.length) !== 0) {
    throw new InvalidDetectorStateError("forest sample is malformed");
  }
  // States saved before the drift, peak, recurrence, daily profile and spike rate existed start them empty.
  value.drift ??= 0;
  value.peak ??= 0;
  value.spikes ??= [0, 0, 0, 0];
  value.driftCalibration ??= { mean: 0, variance: 0, short: 0, n: 0 };
  value.recurrence ??= { onsets: [] };
  if (!isObject(value.recurrence) || !isNumberArray(value.recurrence.onsets)) {
    throw new InvalidDetectorStateError("recurrence state is malformed");
  }
  if (value.seasonal === undefined) {
    const slots = resolveConfigOrNull(config)?.seasonSlots ?? 0;
    value.seasonal = { levels: new Array(slots).fill(null), spread: 0, gap: 0 };
  }
  if (typeof value.drift !== "number" || typeof value.peak !== "number" || !isObject(value.driftCalibration)) {
    throw new InvalidDetectorStateError("drift state is malformed");
  }
  if (!isNumberArray(value.spikes) || value.spikes.length !== 4) {
    throw new InvalidDetectorStateError("spike-rate state is malformed (expected [bits, mean, variance, n])");
  }
  if (!isObject(value.seasonal) || !Array.isArray(value.seasonal.levels) || typeof value.seasonal.spread !== "number" ||
    typeof value.seasonal.gap !== "number" || (value.seasonal.m !== undefined && typeof value.seasonal.m !== "number") ||
    !value.seasonal.levels.every((l) => l === null || typeof l === "number")) {
    throw new InvalidDetectorStateError("seasonal state is malformed");
  }
  try {
    resolveConfig(config);
  } catch (err) {
    throw new InvalidDetectorStateError((err as Error).message);
  }
  return value as unknown as DetectorState;
}
