import { createBaseline, deviation, spreadFloor, updateBaseline, type BaselineState } from "./baseline";
import { calibrateZ, calmBound, createCalibration, surpriseOf, type CalibrationState } from "./calibrate";
import { DEFAULT_DETECTOR_CONFIG, resolveConfig, type DetectorConfig } from "./config";
import { createForest, offerShingle, scoreShingle, type ForestState } from "./forest";
import { roundDigits } from "./round";
import { createNovelty, lastExceed, noveltyOf, type NoveltyState } from "./novelty";
import { createSeasonal, lastSeasonalExpected, updateSeasonal, type SeasonalState } from "./seasonal";
import { isBursty, learnBurst } from "./burst";
import { createSpikes, spikeCount, spikeZ, type SpikeState } from "./spikes";
import { createQuiet, quietRecord, type QuietState } from "./quiet";
import { createRecurrence, isRecurrent, rememberOnset, type RecurrenceState } from "./recurrence";

const DAY_MS = 86_400_000;
/** Deviations (in spreads) are clipped to this before they move the drift, so one spike moves it little. */
const DRIFT_CLIP = 10;
/** Half-width of the expected range, in spreads of the model in use. */
const EXPECTED_SPREADS = 3;

/**
 * Everything a detector knows about one series: a plain JSON value.
 * `scorePoint` updates it in place (for speed) and returns the same object;
 * copy it with `serializeDetector`/`deserializeDetector` when a snapshot is needed.
 */
export interface DetectorState {
  version: 1;
  /** Config fields that differ from DEFAULT_DETECTOR_CONFIG (usually none). */
  config: Partial<DetectorConfig>;
  /** Points accepted (skipped ones are not counted). */
  n: number;
  /** Timestamp (ms) of the last accepted point, null before the first. */
  lastTimestamp: number | null;
  /** The last `shingleSize` accepted values, oldest first. */
  recent: number[];
  baseline: BaselineState;
  forest: ForestState;
  baselineCalibration: CalibrationState;
  forestCalibration: CalibrationState;
  /** Tracked value range (and, when `contextWeight` > 0, the context-count table). */
  novelty: NoveltyState;
  /**
   * Points left in the refractory period after the last emitted peak; negative: points left in the grace
   * after it, in which a detection is chained (continues the same event).
   */
  refractoryLeft: number;
  /** Points left in the hold after a chained detection's refractory (scores damped by `chainDamping`). */
  hold: number;
  /** Onsets of recent events, to recognise recurring ones. */
  recurrence: RecurrenceState;
  /** Daily profile (empty when `seasonSlots` is 0). */
  seasonal: SeasonalState;
  /** Signed mean deviation (in spreads, clipped) from the level or daily profile in use. */
  drift: number;
  driftCalibration: CalibrationState;
  /** Largest recent log1p(|deviation|), slowly forgotten (`peakHorizon`). */
  peak: number;
  /** Spike bits of the last 32 points and the calibration of their count (`spikes.ts`). */
  spikes: SpikeState;
  /** Current calm run, longest completed one and completed runs of the quiet record (`quiet.ts`). */
  quiet: QuietState;
  /** Share of recent points beyond `burstSpreads` spreads of the flat level: how bursty the series is (`burst.ts`). */
  burst: number;
}

/** One observation of a series. */
export interface MetricPoint {
  /** Event time in epoch milliseconds. */
  timestamp: number;
  value: number;
}

/** The verdict on one accepted point. */
export interface PointScore {
  /** Calibrated anomaly score in [0, 1]. */
  score: number;
  /** Range the detector expected the value in (robust level +- 3 spreads), before learning it. */
  expected: { low: number; high: number };
  /** One line for humans on why the score is what it is. */
  reason: string;
  /** True when `score >= config.alertScore` (at most one alert per refractory period). */
  anomalous: boolean;
}

/** A point the detector refused; the state is unchanged. */
export interface SkippedPoint {
  skipped: string;
}

/** What `scorePoint` returns: the (same, updated) state and the verdict. */
export interface ScorePointOutput {
  state: DetectorState;
  result: PointScore | SkippedPoint;
}

const resolved = new WeakMap<object, DetectorConfig>();
/** The last lookup, checked first: a series' points are usually scored one after the other. */
let lastOverrides: object | null = null;
let lastConfig: DetectorConfig = DEFAULT_DETECTOR_CONFIG;

function configOf(state: DetectorState): DetectorConfig {
  if (state.config === lastOverrides) return lastConfig;
  let config = resolved.get(state.config);
  if (!config) {
    config = resolveConfig(state.config);
    resolved.set(state.config, config);
  }
  lastOverrides = state.config;
  lastConfig = config;
  return config;
}

/**
 * A fresh detector state for one series.
 * @throws InvalidDetectorConfigError when a config field is out of range.
 */
export function createDetector(config: Partial<DetectorConfig> = {}): DetectorState {
  const full = resolveConfig(config);
  const overrides: Partial<DetectorConfig> = {};
  for (const key of Object.keys(full) as (keyof DetectorConfig)[]) {
    if (full[key] !== DEFAULT_DETECTOR_CONFIG[key]) overrides[key] = full[key];
  }
  return {
    version: 1,
    config: overrides,
    n: 0,
    lastTimestamp: null,
    recent: [],
    baseline: createBaseline(),
    forest: createForest(full.seed),
    baselineCalibration: createCalibration(),
    forestCalibration: createCalibration(),
    novelty: createNovelty(full),
    refractoryLeft: 0,
    hold: 0,
    recurrence: createRecurrence(),
    seasonal: createSeasonal(full),
    drift: 0,
    driftCalibration: createCalibration(),
    peak: 0,
    spikes: createSpikes(),
    quiet: createQuiet(),
    burst: 0,
  };
}

function rejection(state: DetectorState, point: MetricPoint): string | null {
  if (point === null || typeof point !== "object") return "point is not an object";
  const { timestamp, value } = point;
  if (typeof value !== "number" || !Number.isFinite(value)) return `value is not a finite number (${String(value)})`;
  if (typeof timestamp !== "number" || !Number.isFinite(timestamp)) {
    return `timestamp is not a finite number of ms (${String(timestamp)})`;
  }
  if (state.lastTimestamp !== null && timestamp === state.lastTimestamp) {
    return `duplicate timestamp ${new Date(timestamp).toISOString()}`;
  }
  if (state.lastTimestamp !== null && timestamp < state.lastTimestamp) {
    return `out of order: ${new Date(timestamp).toISOString()} is before ${new Date(state.lastTimestamp).toISOString()}`;
  }
  return null;
}

const fmt = (x: number): string => (Math.abs(x) >= 1e4 || (Math.abs(x) < 1e-2 && x !== 0) ? x.toExponential(2) : x.toFixed(2));

/**
 * Scores one point, then learns it. Mutates `state` in place and returns it.
 * A point with a non-finite value or timestamp, or a timestamp not after the
 * last accepted one, is skipped and leaves the state untouched.
 */
export function scorePoint(state: DetectorState, point: MetricPoint): ScorePointOutput {
  const why = rejection(state, point);
  if (why !== null) return { state, result: { skipped: why } };
  const config = configOf(state);
  const x = point.value;
  const prevT = state.lastTimestamp;
  state.lastTimestamp = point.timestamp;
  state.n += 1;

  const b = state.baseline;
  const spread = spreadFloor(b);
  const seasonal = state.seasonal;
  // The daily profile stands in for the flat level once it has seen two days and predicts
  // clearly better (online model selection: a series without a daily cycle keeps the level).
  const useSeason = seasonal.levels.length > 0 && state.n * seasonal.gap > 2 * DAY_MS &&
    seasonal.spread < config.seasonRatio * b.spread;
  const flatDev = deviation(b, x);
  // The expected range is the profile's before it learns this point (its value and spread then).
  const seasonSpread = seasonal.spread;
  const seasonDev = updateSeasonal(seasonal, point.timestamp, x, prevT, config);
  const seasonExpected = useSeason ? lastSeasonalExpected : null;
  const expected = seasonExpected !== null
    ? { low: seasonExpected - EXPECTED_SPREADS * seasonSpread, high: seasonExpected + EXPECTED_SPREADS * seasonSpread }
    : b.n === 0 ? { low: x, high: x } : { low: b.level - EXPECTED_SPREADS * spread, high: b.level + EXPECTED_SPREADS * spread };
  const dev = useSeason && seasonDev !== null ? seasonDev : flatDev;
  updateBaseline(b, x, config.baselineRate);

  const recent = state.recent;
  // 8 significant digits: raw inputs such as 0.0865828750982 cost the state budget; the forest keeps 5.
  const kept = roundDigits(x, 8);
  // Slid in place once full: `shift` would trim the array's start and leave garbage for every point.
  if (recent.length < config.shingleSize) recent.push(kept);
  else {
    for (let i = 1; i < recent.length; i++) recent[i - 1] = recent[i] as number;
    recent[recent.length - 1] = kept;
  }
  let forestRaw = 0;
  if (recent.length === config.shingleSize) {
    forestRaw = scoreShingle(state.forest, recent, config);
    offerShingle(state.forest, recent, config);
  }

  const size = Math.log1p(Math.abs(dev));
  // The calibrated voices as z's: their surprises are taken below, only where they can matter.
  const zBase = calibrateZ(state.baselineCalibration, size, config.calibrationRate, config.shortRate);
  const zForest = calibrateZ(state.forestCalibration, forestRaw, config.calibrationRate, config.shortRate);
  // Spike rate: spikes among the last 32 points, calibrated against the series' own spike process
  // (a spiky series is not surprising for spiking, only for spiking much faster than it does).
  const zSpike = spikeZ(state.spikes, dev, config, config.calibrationRate);
  // Drift: the signed mean deviation, so a sustained shift (or a changed day) adds up while noise cancels out.
  state.drift = roundDigits(state.drift + config.driftRate * (Math.max(-DRIFT_CLIP, Math.min(DRIFT_CLIP, dev)) - state.drift), 5);
  const zDrift = calibrateZ(state.driftCalibration, Math.abs(state.drift), config.calibrationRate, 1);
  // Range break: how far the value lies beyond the slowly contracting range seen so far,
  // in range widths, mapped to [0, 1); the context novelty is off by default (contextWeight 0).
  const novRaw = noveltyOf(state.novelty, x, config, b.level, spread);
  const sRange = lastExceed === 0 ? 0 : 1 - Math.exp(-lastExceed / config.noveltyRangeScale);
  // A deviation no larger than the (slowly forgotten) largest recent one has been seen before:
  // the point voices (level, forest) are damped for it; spiky series stop alerting on every spike.
  const seen = config.peakHorizon > 0 && size <= state.peak ? config.peakDamping : 1;
  // Learned after the warm-up only: the first points' spreads are tiny and their deviations meaningless.
  if (state.n > config.warmup) {
    state.peak = roundDigits(Math.max(size, state.peak * (1 - 1 / Math.max(1, config.peakHorizon))), 5);
  }
  // Quiet record: a calm run (no deviation near the recent peak) 3x longer than any before; learned after the
  // warm-up, as the peak is. A noisy or bursty series gone still has stopped doing what it kept doing.
  const sQuiet = state.n > config.warmup && quietRecord(state.quiet, size, state.peak, config) ? 1 : 0;
  // An ordinary point (within `ordinarySpreads` of the model) alerts less on the forest and the drift: the forest's
  // isolation then comes from earlier values of the shingle, which had their own chance, and a drift that adds up
  // while the point itself is ordinary is mostly a noisy or spiky series wandering (the drift raised ~40% of the FPs).
  const ordinary = Math.abs(dev) < config.ordinarySpreads;
  const forestFactor = ordinary ? config.forestOrdinaryDamping : 1;
  // On a bursty series (a floor with bursts far above it) the clipped drift adds up burst by burst: a drift
  // surprise there is mostly the burst process, which the spike rate already scores (it raised ~40% of the FPs left).
  const bursty = isBursty(state.burst, config);
  const driftFactor = (ordinary ? config.driftOrdinaryDamping : 1) * (bursty ? config.burstDamping : 1);
  state.burst = learnBurst(state.burst, flatDev, state.n, config);
  const wBase = seen * config.baseWeight;
  const wForest = forestFactor * seen * config.forestWeight;
  const wDrift = driftFactor * config.driftWeight;
  const wSpike = config.spikeWeight;
  // The max of the voices. A calibrated voice's surprise is taken (a logarithm and an exponential) only where its bound
  // (`calmBound`, for z <= 0) could reach the max of the others: otherwise it cannot be the max (NaN: not taken).
  const uBase = wBase * calmBound(zBase);
  const uForest = wForest * calmBound(zForest);
  const uDrift = wDrift * calmBound(zDrift);
  const uSpike = wSpike * calmBound(zSpike);
  const first = Math.max(uBase, uForest, uDrift, uSpike);
  let top = Math.max(config.noveltyWeight * sRange, config.quietWeight * sQuiet, config.contextWeight * novRaw);
  let sBase = Number.NaN;
  let sForest = Number.NaN;
  let sDrift = Number.NaN;
  let sSpike = Number.NaN;
  // The voice of the largest bound first: its surprise raises the max the others' bounds are held against.
  if (uBase === first && !(uBase < top)) top = Math.max(top, wBase * (sBase = surpriseOf(zBase)));
  else if (uForest === first && !(uForest < top)) top = Math.max(top, wForest * (sForest = surpriseOf(zForest)));
  else if (uDrift === first && !(uDrift < top)) top = Math.max(top, wDrift * (sDrift = surpriseOf(zDrift)));
  else if (uSpike === first && !(uSpike < top)) top = Math.max(top, wSpike * (sSpike = surpriseOf(zSpike)));
  if (Number.isNaN(sBase) && !(uBase < top)) top = Math.max(top, wBase * (sBase = surpriseOf(zBase)));
  if (Number.isNaN(sForest) && !(uForest < top)) top = Math.max(top, wForest * (sForest = surpriseOf(zForest)));
  if (Number.isNaN(sDrift) && !(uDrift < top)) top = Math.max(top, wDrift * (sDrift = surpriseOf(zDrift)));
  if (Number.isNaN(sSpike) && !(uSpike < top)) top = Math.max(top, wSpike * (sSpike = surpriseOf(zSpike)));
  let score = Math.min(1, top);
  if (state.n <= config.warmup) score = 0;
  // An event's first point past the trigger is emitted as is; the rest of the
  // refractory period is damped (NAB-style: one detection per event, later
  // points would only add false positives).
  let damped = false;
  let held = false;
  let recurrent = false;
  if (state.refractoryLeft > 0) {
    state.refractoryLeft -= 1;
    // The refractory's last point opens the grace (negative count) in which a detection continues the event.
    if (state.refractoryLeft === 0 && config.chainHold > 0) state.refractoryLeft = -config.chainSlack;
    score *= config.refractoryDamping;
    damped = true;
  } else {
    const chained = state.refractoryLeft < 0;
    if (chained) state.refractoryLeft += 1;
    if (state.hold > 0) {
      state.hold -= 1;
      score *= config.chainDamping;
      held = true;
    }
    if (score >= config.alertScore) {
      state.refractoryLeft = config.refractory;
      // Still past the trigger when its refractory ended: one lasting event (NAB counts the first detection in a
      // window, later ones past its end are false positives), so a longer hold follows; a much stronger event still fires.
      if (chained) state.hold = config.chainHold;
      if (config.recurMemory > 0) {
        // An event one regular gap after regularly spaced earlier ones is a pattern: damped, still remembered.
        recurrent = isRecurrent(state.recurrence, point.timestamp, config);
        rememberOnset(state.recurrence, point.timestamp, config);
        if (recurrent) score *= config.recurDamping;
      }
    }
  }
  const anomalous = !damped && !recurrent && score >= config.alertScore;
  // The detailed line is built only for points worth reading (formatting costs as much as scoring).
  let reason: string;
  if (state.n <= config.warmup) reason = `learning (${state.n}/${config.warmup} points)`;
  else if (damped) reason = "damped: within the refractory period of a recent detection";
  else if (recurrent) reason = "damped: continues a series of events at a regular interval";
  else if (held && score < config.alertScore) reason = "damped: within the hold after a lasting event";
  else if (score < config.alertScore) reason = "no unusual level or pattern";
  else if (sQuiet > 0 && score === config.quietWeight * sQuiet) {
    reason = `no deviation near the recent peak for ${state.quiet[0] ?? 0} points, over ${config.quietFactor}x the longest calm ` +
      `before (${state.quiet[1] ?? 0} points): the series has gone quiet`;
  }
  else {
    if (Number.isNaN(sBase)) sBase = surpriseOf(zBase);
    if (Number.isNaN(sForest)) sForest = surpriseOf(zForest);
    if (Number.isNaN(sDrift)) sDrift = surpriseOf(zDrift);
    if (Number.isNaN(sSpike)) sSpike = surpriseOf(zSpike);
    reason = `value ${fmt(x)} is ${fmt(Math.abs(dev))} spreads ${dev >= 0 ? "above" : "below"} level ${fmt(b.level)}; ` +
      `pattern isolation ${fmt(forestRaw)} (surprise ${fmt(sForest)}), level surprise ${fmt(sBase)}, ` +
      `drift ${fmt(state.drift)} (surprise ${fmt(sDrift)}), ${useSeason ? "daily profile" : "flat level"}, ` +
      `range break ${fmt(sRange)}, spike rate ${spikeCount(state.spikes[0] ?? 0)}/32 (surprise ${fmt(sSpike)})`;
  }
  return { state, result: { score, expected, reason, anomalous } };
}
