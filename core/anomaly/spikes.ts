import { calibrateZ, NO_Z, surpriseOf, type CalibrationState } from "./calibrate";

/**
 * Spike rate of a series: which of the last 32 points were "spikes" (deviation beyond
 * `spikeLevel` spreads), as the bits of one unsigned 32-bit integer (bit i: the point i back).
 * Their count is a raw score like any other: calibrated, it rises when spikes come faster than
 * the series' own spike process usually brings them (bursts every 3 points instead of every 12).
 */

/** Settings of the spike rate. */
export interface SpikeShape {
  /** Deviation (in spreads) beyond which a point is a spike (0 turns the spike rate off). */
  spikeLevel: number;
  /** Smallest standard deviation of the count in its calibration, in spikes (the count's resolution; 0: none). */
  spikeSdFloor: number;
}

/** Whether a deviation (in spreads) is a spike under `shape` (never when the spike rate is off). */
export function isSpike(dev: number, shape: SpikeShape): boolean {
  return shape.spikeLevel > 0 && Math.abs(dev) > shape.spikeLevel;
}

/** The spike bits after one more point: older points shift up, the oldest beyond 32 drops out. */
export function pushSpike(bits: number, spike: boolean): number {
  return ((bits << 1) | (spike ? 1 : 0)) >>> 0;
}

/** Spikes among the last 32 points (set bits of `bits`; no loop, no allocation). */
export function spikeCount(bits: number): number {
  let v = bits - ((bits >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
}

/**
 * Spike-rate state, one compact array (the JSON budget is tight): `[bits, mean, variance, n]`, the
 * spike bits and the long-run calibration of their count (its short-run mean is the count itself).
 */
export type SpikeState = number[];

/** An empty spike-rate state. */
export function createSpikes(): SpikeState {
  return [0, 0, 0, 0];
}

/** Reused for every call: the calibration works on an object, the state stores an array (no allocation). */
const scratch: CalibrationState = { mean: 0, variance: 0, short: 0, n: 0 };

/**
 * Learns one deviation (mutates `s`) and returns the surprise of the spike count among the last
 * 32 points against its long-run mean and variance (0 when the spike rate is off).
 */
export function spikeSurprise(s: SpikeState, dev: number, shape: SpikeShape, longRate: number): number {
  return surpriseOf(spikeZ(s, dev, shape, longRate));
}

/** `spikeSurprise` as the z of the count (`calibrateZ`; NO_Z when the spike rate is off): the surprise is `surpriseOf(z)`. */
export function spikeZ(s: SpikeState, dev: number, shape: SpikeShape, longRate: number): number {
  if (shape.spikeLevel <= 0) return NO_Z;
  const bits = pushSpike(s[0] ?? 0, isSpike(dev, shape));
  scratch.mean = s[1] ?? 0;
  scratch.variance = s[2] ?? 0;
  scratch.n = s[3] ?? 0;
  scratch.short = 0;
  const z = calibrateZ(scratch, spikeCount(bits), longRate, 1, Math.max(1e-9, shape.spikeSdFloor));
  s[0] = bits;
  // 4 decimals are plenty for a count of 0..32 and keep the state within its JSON budget.
  s[1] = Math.round(scratch.mean * 1e4) / 1e4;
  s[2] = Math.round(scratch.variance * 1e4) / 1e4;
  s[3] = scratch.n;
  return z;
}
