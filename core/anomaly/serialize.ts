import { resolveConfig } from "./config";
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
  try {
    resolveConfig(config);
  } catch (err) {
    throw new InvalidDetectorStateError((err as Error).message);
  }
  return value as unknown as DetectorState;
}
