import { InvalidDetectorConfigError } from "./errors";

/** Settings of the combined detector; one configuration serves every series. */
export interface DetectorConfig {
  /** Consecutive values in one Random Cut Forest point (the shingle). */
  shingleSize: number;
  /** Trees in the forest (all built over the one shared sample). */
  trees: number;
  /** Shingles kept in the time-decayed reservoir. */
  sampleSize: number;
  /** Reservoir time decay per point (AWS RCF's lambda): higher forgets faster. */
  timeDecay: number;
  /** Accepted points before any score above 0 is emitted (learning only). */
  warmup: number;
  /** Update rate of the robust level and spread. */
  baselineRate: number;
  /** Update rate of the long-run mean and variance of each raw score. */
  calibrationRate: number;
  /** Update rate of the short-run mean of each raw score. */
  shortRate: number;
  /** Score at or above which a point is reported anomalous and a refractory period starts. */
  alertScore: number;
  /** Points after an alert during which scores are damped (one detection per event). */
  refractory: number;
  /** Factor applied to scores during the refractory period. */
  refractoryDamping: number;
  /** Points after a refractory period in which a detection continues the same event (a chained detection). */
  chainSlack: number;
  /** Points after a chained detection's refractory during which scores are damped by `chainDamping` (0 turns it off). */
  chainHold: number;
  /** Factor applied to scores during the hold after a chained detection (a much stronger event still fires). */
  chainDamping: number;
  /** Seed of the detector's deterministic random streams. */
  seed: number;
  /** Value levels of the novelty alphabet. */
  noveltyBins: number;
  /** Longest context (in symbols) whose novelty is scored. */
  noveltyOrders: number;
  /** Buckets of the hashed context-count table. */
  noveltyTable: number;
  /** Points between halvings of the context counts (memory horizon). */
  noveltyDecay: number;
  /** Contraction rate of the tracked value range. */
  noveltyRangeRate: number;
  /**
   * Contraction rate of the visited extremes, the range's long memory (0 turns the check off): a value
   * within them is no range break, whatever the (faster contracting) range says.
   */
  noveltyVisitedRate: number;
  /** Exceedance (in range widths) that maps to a score of 1 - 1/e. */
  noveltyRangeScale: number;
  /** Weight of the range-break score in the combination. */
  noveltyWeight: number;
  /** Weight of the context-novelty share in the combination. */
  contextWeight: number;
  /** Weight of the forest surprise in the combination. */
  forestWeight: number;
  /** Factor applied to the forest surprise of an ordinary point (within `ordinarySpreads` of the model). */
  forestOrdinaryDamping: number;
  /** Deviation (in spreads of the model in use) under which a point is ordinary for the forest and drift damping. */
  ordinarySpreads: number;
  /** Factor applied to the drift surprise of an ordinary point. */
  driftOrdinaryDamping: number;
  /** Weight of the robust-level surprise in the combination. */
  baseWeight: number;
  /** Event onsets remembered for the regular-interval test (0 turns it off). */
  recurMemory: number;
  /** Largest relative difference between consecutive onset gaps that still counts as regular. */
  recurGapTolerance: number;
  /** Largest whole multiple of the period an onset gap may span and still be regular (1: none skipped). */
  recurMultiples: number;
  /** Factor applied to the score of a recurrent event's onset. */
  recurDamping: number;
  /** Slots of the daily profile over the UTC day (0 turns it off). */
  seasonSlots: number;
  /** Share of a daily-profile slot replaced per day of data. */
  seasonDailyRate: number;
  /** The profile replaces the flat level when its spread is below this share of the level's spread. */
  seasonRatio: number;
  /** Weight of the drift (sustained deviation) surprise in the combination. */
  driftWeight: number;
  /** Update rate of the drift. */
  driftRate: number;
  /** Deviation (in spreads) beyond which a point counts as a spike for the spike rate (0 turns it off). */
  spikeLevel: number;
  /**
   * Smallest standard deviation of the spike count in its calibration, in spikes: a series that rarely spikes has a
   * count variance near 0, and two spikes in 32 points would be ten of those deviations out (0 turns the floor off).
   */
  spikeSdFloor: number;
  /** Weight of the spike-rate surprise in the combination. */
  spikeWeight: number;
  /**
   * Share of the recent peak (log1p of |deviation| in spreads) a point must reach to end a calm run of the quiet
   * record (0 turns the quiet record off).
   */
  quietShare: number;
  /** A calm run is a record when it first exceeds this many times the longest earlier one. */
  quietFactor: number;
  /** Completed calm runs needed before a quiet record counts. */
  quietRuns: number;
  /** Score of a quiet record in the combination. */
  quietWeight: number;
  /** Deviation (in spreads of the flat level) beyond which a point is in a burst, for the burst share (0 turns it off). */
  burstSpreads: number;
  /** Update rate of the burst share (the EW share of points in bursts; ~500 points). */
  burstRate: number;
  /** Burst share at or above which the series is bursty and its drift surprise is damped. */
  burstShare: number;
  /** Factor applied to the drift surprise of a bursty series. */
  burstDamping: number;
  /** Points over which the largest recent deviation is forgotten (0 turns the damping off). */
  peakHorizon: number;
  /** Factor applied to the level and forest surprises of a deviation no larger than a recent one. */
  peakDamping: number;
}

/** The one configuration used for every series (Lambda and `vigil score` alike). */
export const DEFAULT_DETECTOR_CONFIG: Readonly<DetectorConfig> = Object.freeze({
  shingleSize: 4,
  trees: 3,
  sampleSize: 16,
  timeDecay: 1 / 320,
  warmup: 150,
  baselineRate: 0.01,
  calibrationRate: 0.0005,
  shortRate: 0.3,
  alertScore: 0.35,
  refractory: 40,
  refractoryDamping: 0.1,
  chainSlack: 3,
  chainHold: 280,
  chainDamping: 0.5,
  seed: 7,
  noveltyBins: 8,
  noveltyOrders: 3,
  noveltyTable: 256,
  noveltyDecay: 500,
  noveltyRangeRate: 0.0003,
  noveltyVisitedRate: 0.00001,
  noveltyRangeScale: 0.2,
  noveltyWeight: 1,
  contextWeight: 0,
  forestWeight: 0.8,
  forestOrdinaryDamping: 0.5,
  ordinarySpreads: 5,
  driftOrdinaryDamping: 0.7,
  baseWeight: 1,
  recurMemory: 3,
  recurGapTolerance: 0.1,
  recurMultiples: 2,
  recurDamping: 0.1,
  seasonSlots: 24,
  seasonDailyRate: 0.5,
  seasonRatio: 0.7,
  driftWeight: 1,
  driftRate: 0.05,
  spikeLevel: 4,
  spikeWeight: 1,
  spikeSdFloor: 1,
  quietShare: 0.3,
  quietFactor: 3,
  quietRuns: 30,
  quietWeight: 0.5,
  burstSpreads: 10,
  burstRate: 0.002,
  burstShare: 0.04,
  burstDamping: 0.5,
  peakHorizon: 3000,
  peakDamping: 0.7,
});

const BOUNDS: { [K in keyof DetectorConfig]: [number, number, boolean] } = {
  shingleSize: [1, 16, true],
  trees: [1, 64, true],
  sampleSize: [4, 64, true],
  timeDecay: [0, 1, false],
  warmup: [0, 100_000, true],
  baselineRate: [1e-6, 1, false],
  calibrationRate: [1e-6, 1, false],
  shortRate: [1e-6, 1, false],
  alertScore: [0, 1, false],
  refractory: [0, 1_000_000, true],
  refractoryDamping: [0, 1, false],
  chainSlack: [0, 1_000_000, true],
  chainHold: [0, 1_000_000, true],
  chainDamping: [0, 1, false],
  seed: [0, 0xffffffff, true],
  noveltyBins: [2, 64, true],
  noveltyOrders: [1, 8, true],
  noveltyTable: [8, 1024, true],
  noveltyDecay: [1, 1_000_000, true],
  noveltyRangeRate: [0, 1, false],
  noveltyVisitedRate: [0, 1, false],
  noveltyRangeScale: [1e-6, 100, false],
  noveltyWeight: [0, 10, false],
  contextWeight: [0, 10, false],
  forestWeight: [0, 10, false],
  forestOrdinaryDamping: [0, 1, false],
  ordinarySpreads: [0, 1000, false],
  driftOrdinaryDamping: [0, 1, false],
  baseWeight: [0, 10, false],
  recurMemory: [0, 32, true],
  recurGapTolerance: [0, 1, false],
  recurMultiples: [1, 8, true],
  recurDamping: [0, 1, false],
  seasonSlots: [0, 96, true],
  seasonDailyRate: [0.001, 1, false],
  seasonRatio: [0, 10, false],
  driftWeight: [0, 10, false],
  driftRate: [1e-4, 1, false],
  spikeLevel: [0, 1000, false],
  spikeWeight: [0, 10, false],
  spikeSdFloor: [0, 32, false],
  quietShare: [0, 1, false],
  quietFactor: [1, 1000, false],
  quietRuns: [0, 1_000_000, true],
  quietWeight: [0, 10, false],
  burstSpreads: [0, 1e6, false],
  burstRate: [1e-6, 1, false],
  burstShare: [0, 1, false],
  burstDamping: [0, 1, false],
  peakHorizon: [0, 1e6, true],
  peakDamping: [0, 1, false],
};

/**
 * Fills a partial configuration from the defaults and checks every field's range.
 * @throws InvalidDetectorConfigError naming the first field out of range.
 */
export function resolveConfig(partial: Partial<DetectorConfig> = {}): DetectorConfig {
  const config = { ...DEFAULT_DETECTOR_CONFIG, ...partial };
  for (const [field, [min, max, integer]] of Object.entries(BOUNDS)) {
    const value = config[field as keyof DetectorConfig];
    if (typeof value !== "number" || !Number.isFinite(value)) {
      throw new InvalidDetectorConfigError(field, `expected a finite number, got ${String(value)}`);
    }
    if (value < min || value > max) {
      throw new InvalidDetectorConfigError(field, `${value} is outside [${min}, ${max}]`);
    }
    if (integer && !Number.isInteger(value)) {
      throw new InvalidDetectorConfigError(field, `${value} is not an integer`);
    }
  }
  return config;
}
