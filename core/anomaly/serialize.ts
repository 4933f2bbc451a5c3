import { resolveConfig, type DetectorConfig } from "./config";
import type { DetectorState } from "./detector";
import { InvalidDetectorStateError } from "./errors";

/** Budget for one series' serialised state, in UTF-8 bytes of JSON. */
export const MAX_STATE_BYTES = 2048;

/**
 * The stored form (version 2): the in-memory state under short keys, fixed-size groups of numbers as
 * arrays (key names cost ~10% of the 2 KB budget otherwise). Version 1 stored the in-memory state as is.
 */
interface StoredState {
  v: 2;
  /** config */
  c: Partial<DetectorConfig>;
  n: number;
  /** lastTimestamp */
  t: number | null;
  /** recent */
  r: number[];
  /** baseline: [n, level, spread] */
  b: number[];
  /** forest: points, weights, seq, epoch, rng */
  f: { p: number[]; w: number[]; s: number; e: number; r: number };
  /** baseline, forest and drift calibrations: [mean, variance, short, n] each */
  bc: number[];
  fc: number[];
  dc: number[];
  /** novelty: [lo, hi, t, vlo, vhi] ([lo, hi, t] before the visited extremes); history and table only when not empty */
  nv: number[];
  nh?: number[];
  nt?: number[];
  /** refractoryLeft */
  k: number;
  /** hold after a chained detection, only when not 0 */
  h?: number;
  /** recurrence onsets */
  o: number[];
  /** seasonal levels, and [spread, gap, m] */
  sl: (number | null)[];
  ss: number[];
  /** drift, peak, spikes ([bits, mean, variance, n]) */
  d: number;
  pk: number;
  sp: number[];
  /** quiet record ([run, longest, runs]); absent in states saved before it existed */
  q?: number[];
  /** burst share (absent in states saved before it existed: 0) */
  bu?: number;
}

const calibrationOut = (c: DetectorState["baselineCalibration"]): number[] => [c.mean, c.variance, c.short, c.n];

/** The state as compact JSON (stored version 2): what is stored per series. */
export function serializeDetector(state: DetectorState): string {
  const { forest: f, novelty: nv, seasonal: s } = state;
  const stored: StoredState = {
    v: 2,
    c: state.config,
    n: state.n,
    t: state.lastTimestamp,
    r: state.recent,
    b: [state.baseline.n, state.baseline.level, state.baseline.spread],
    f: { p: f.points, w: f.weights, s: f.seq, e: f.epoch, r: f.rng },
    bc: calibrationOut(state.baselineCalibration),
    fc: calibrationOut(state.forestCalibration),
    dc: calibrationOut(state.driftCalibration),
    nv: [nv.lo, nv.hi, nv.t, nv.vlo, nv.vhi],
    ...(nv.hist.length > 0 ? { nh: nv.hist } : {}),
    ...(nv.counts.length > 0 ? { nt: nv.counts } : {}),
    k: state.refractoryLeft,
    ...(state.hold !== 0 ? { h: state.hold } : {}),
    o: state.recurrence.onsets,
    sl: s.levels,
    // A profile saved before its warm-up count existed reads it as 0 (`updateSeasonal`): stored as 0.
    ss: [s.spread, s.gap, s.m ?? 0],
    d: state.drift,
    pk: state.peak,
    sp: state.spikes,
    q: state.quiet,
    bu: state.burst,
  };
  return JSON.stringify(stored);
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

/** A fixed-size group of numbers of the stored form. */
function tuple(v: unknown, length: number, what: string): number[] {
  if (!isNumberArray(v) || v.length !== length) throw new InvalidDetectorStateError(`${what} is malformed (expected ${length} numbers)`);
  return v;
}

const calibrationIn = (v: unknown, what: string): DetectorState["baselineCalibration"] => {
  const [mean, variance, short, n] = tuple(v, 4, what) as [number, number, number, number];
  return { mean, variance, short, n };
};

/** The in-memory (long-named, version 1) form of a stored version-2 state; checked further by the caller. */
function expand(s: Record<string, unknown>): Record<string, unknown> {
  const { f } = s;
  if (!isObject(f)) throw new InvalidDetectorStateError("forest sample is malformed");
  const [bn, level, spread] = tuple(s.b, 3, "baseline") as [number, number, number];
  // States stored before the visited extremes existed start them at the range.
  const [lo, hi, t, vlo = lo, vhi = hi] = (isNumberArray(s.nv) && s.nv.length === 3 ? s.nv : tuple(s.nv, 5, "novelty state")) as number[] as
    [number, number, number, number?, number?];
  const [sSpread, gap, m] = tuple(s.ss, 3, "seasonal state") as [number, number, number];
  return {
    version: 1,
    config: s.c,
    n: s.n,
    lastTimestamp: s.t,
    recent: s.r,
    baseline: { n: bn, level, spread },
    forest: { points: f.p, weights: f.w, seq: f.s, epoch: f.e, rng: f.r },
    baselineCalibration: calibrationIn(s.bc, "baseline calibration"),
    forestCalibration: calibrationIn(s.fc, "forest calibration"),
    novelty: { lo, hi, vlo, vhi, hist: s.nh ?? [], t, counts: s.nt ?? [] },
    refractoryLeft: s.k,
    hold: s.h ?? 0,
    recurrence: { onsets: s.o },
    seasonal: { levels: s.sl, spread: sSpread, gap, m },
    drift: s.d,
    driftCalibration: calibrationIn(s.dc, "drift calibration"),
    peak: s.pk,
    spikes: s.sp,
    quiet: s.q,
    burst: s.bu,
  };
}

/**
 * Loads a state saved by `serializeDetector` (stored version 2), or by an earlier build (version 1:
 * the in-memory state under its long names, fields added since then start empty). Scores after a load
 * equal, to the bit, the scores the saved state would have given.
 * @throws InvalidDetectorStateError when the text is not a version-1 or version-2 state.
 */
export function deserializeDetector(text: string): DetectorState {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new InvalidDetectorStateError(`not JSON (${(err as Error).message})`);
  }
  if (!isObject(parsed) || (parsed.version !== 1 && parsed.v !== 2)) {
    throw new InvalidDetectorStateError("expected an object with version 1 or v 2");
  }
  const value = parsed.v === 2 ? expand(parsed) : parsed;
  const { config, forest, baseline, baselineCalibration, forestCalibration, recent, novelty } = value;
  if (!isObject(config) || !isObject(forest) || !isObject(baseline) || !isObject(baselineCalibration) ||
    !isObject(forestCalibration) || !isNumberArray(recent)) {
    throw new InvalidDetectorStateError("missing config, forest, baseline, calibrations or recent values");
  }
  if (typeof value.n !== "number" || typeof value.refractoryLeft !== "number" ||
    (value.lastTimestamp !== null && typeof value.lastTimestamp !== "number")) {
    throw new InvalidDetectorStateError("point count, last timestamp or refractory count is malformed");
  }
  if (!isObject(novelty) || typeof novelty.lo !== "number" || typeof novelty.hi !== "number" ||
    typeof novelty.t !== "number" || !isNumberArray(novelty.hist) || !isNumberArray(novelty.counts)) {
    throw new InvalidDetectorStateError("novelty state is malformed");
  }
  if (!isNumberArray(forest.points) || !isNumberArray(forest.weights) || typeof forest.seq !== "number" ||
    typeof forest.epoch !== "number" || typeof forest.rng !== "number" || forest.points.length % Math.max(1, forest.weights.length) !== 0) {
    throw new InvalidDetectorStateError("forest sample is malformed");
  }
  // States saved before the drift, peak, recurrence, daily profile, spike rate, hold, visited extremes and quiet
  // record existed start them empty (the visited extremes at the range).
  value.hold ??= 0;
  novelty.vlo ??= novelty.lo;
  novelty.vhi ??= novelty.hi;
  if (typeof value.hold !== "number" || typeof novelty.vlo !== "number" || typeof novelty.vhi !== "number") {
    throw new InvalidDetectorStateError("hold or visited extremes are malformed");
  }
  value.drift ??= 0;
  value.peak ??= 0;
  value.spikes ??= [0, 0, 0, 0];
  value.quiet ??= [0, 0, 0];
  // States saved before the burst share existed start it at 0: the series learns again whether it is bursty.
  value.burst ??= 0;
  if (typeof value.burst !== "number" || !Number.isFinite(value.burst)) {
    throw new InvalidDetectorStateError("burst share is malformed");
  }
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
  if (!isNumberArray(value.quiet) || value.quiet.length !== 3) {
    throw new InvalidDetectorStateError("quiet-record state is malformed (expected [run, longest, runs])");
  }
  if (!isObject(value.seasonal) || !Array.isArray(value.seasonal.levels) || typeof value.seasonal.spread !== "number" ||
    typeof value.seasonal.gap !== "number" || (value.seasonal.m !== undefined && typeof value.seasonal.m !== "number") ||
    !value.seasonal.levels.every((l) => l === null || typeof l === "number")) {
    throw new InvalidDetectorStateError("seasonal state is malformed");
  }
  let full: DetectorConfig;
  try {
    full = resolveConfig(config);
  } catch (err) {
    throw new InvalidDetectorStateError((err as Error).message);
  }
  fitSample(forest as unknown as DetectorState["forest"], full.sampleSize, full.shingleSize);
  return value as unknown as DetectorState;
}

/**
 * A state saved under a larger default `sampleSize` (24 before the default became 16) holds more shingles than the trees now
 * take: the largest priorities (the next evictions of the reservoir) go first, as if evicted one by one.
 */
function fitSample(forest: DetectorState["forest"], sampleSize: number, shingleSize: number): void {
  const { points, weights } = forest;
  if (weights.length <= sampleSize) return;
  while (weights.length > sampleSize) {
    let slot = 0;
    for (let i = 1; i < weights.length; i++) if ((weights[i] as number) > (weights[slot] as number)) slot = i;
    weights.splice(slot, 1);
    points.splice(slot * shingleSize, shingleSize);
  }
  // The sample changed: the epoch seeds the trees, as after any accepted shingle.
  forest.epoch += 1;
}
