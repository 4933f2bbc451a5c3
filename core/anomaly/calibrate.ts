/**
 * Turns a raw anomaly score into a surprise in [0, 1], in the manner of
 * Numenta's anomaly likelihood: how unlikely is the recent (short-run) mean of
 * the raw score given its long-run mean and variance.
 */
export interface CalibrationState {
  mean: number;
  variance: number;
  short: number;
  n: number;
}

/** An empty calibration. */
export function createCalibration(): CalibrationState {
  return { mean: 0, variance: 0, short: 0, n: 0 };
}

/**
 * Rounds to 5 decimals (raw scores are log-scale or isolation depths, of order 0.1-100),
 * so the three numbers stay short in the stored JSON; done at every update, in memory too.
 */
function fixed5(x: number): number {
  return Math.round(x * 1e5) / 1e5;
}

/** Upper tail probability of the standard normal (Abramowitz-Stegun 7.1.26). */
export function normalTail(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erfc = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) *
    Math.exp(-x * x);
  return z >= 0 ? erfc / 2 : 1 - erfc / 2;
}

/** What `calibrateZ` returns while a calibration has seen too few values to measure a tail: a surprise of 0. */
export const NO_Z = Number.NEGATIVE_INFINITY;

/**
 * The z of the short-run mean of `raw` against the long-run mean and spread (then learns it; mutates `c`),
 * or NO_Z before two values; `surpriseOf(z)` is its surprise. Kept apart so that a caller can skip the logarithm
 * where the surprise provably cannot matter (`calmBound`). A finite raw score never has NO_Z as its real z.
 * `minSd`: the smallest standard deviation the tail is measured in (the raw score's resolution, e.g. one spike).
 */
export function calibrateZ(c: CalibrationState, raw: number, longRate: number, shortRate: number, minSd = 1e-9): number {
  c.short = fixed5(c.n === 0 ? raw : c.short + shortRate * (raw - c.short));
  const sd = Math.sqrt(c.variance);
  const z = c.n > 1 ? (c.short - c.mean) / Math.max(sd, 1e-3 * Math.abs(c.mean), minSd) : NO_Z;
  const a = Math.max(longRate, 1 / (c.n + 1));
  const diff = raw - c.mean;
  c.mean = fixed5(c.mean + a * diff);
  c.variance = fixed5((1 - a) * (c.variance + a * diff * diff));
  if (c.n < 1 / longRate) c.n += 1;
  return z;
}

/** The surprise of a z from `calibrateZ`: -log10 of its normal tail probability, scaled so a 1e-10 tail gives 1. */
export function surpriseOf(z: number): number {
  return z === NO_Z ? 0 : Math.min(1, -Math.log10(Math.max(normalTail(z), 1e-300)) / 10);
}

/** Steps per unit of z of `CALM_BOUND`, and its last index (z = -8). */
const CALM_STEPS = 16;
const CALM_LAST = 8 * CALM_STEPS;
/**
 * `surpriseOf(-i / CALM_STEPS)`, raised by a margin (relative 1e-6, absolute 1e-15) far above the rounding of the
 * tail: the surprise rises with z (the tail's polynomial times exp(-x^2) falls as |z| grows), so for z <= 0 the
 * entry at the grid point at or above z bounds it.
 */
const CALM_BOUND = Float64Array.from({ length: CALM_LAST + 1 }, (_, i) => surpriseOf(-i / CALM_STEPS) * (1 + 1e-6) + 1e-15);

/** An upper bound of `surpriseOf(z)` for z <= 0 (for z < -8, the bound at -8); Infinity for any other z, NaN included. */
export function calmBound(z: number): number {
  if (!(z <= 0)) return Number.POSITIVE_INFINITY;
  const i = Math.floor(-z * CALM_STEPS);
  return CALM_BOUND[i < CALM_LAST ? i : CALM_LAST] as number;
}

/**
 * Surprise of `raw` (then learns it; mutates `c`): -log10 of the tail
 * probability of the short-run mean, scaled so a 1e-10 tail gives 1.
 * `minSd`: the smallest standard deviation the tail is measured in (the raw score's resolution, e.g. one spike).
 */
export function calibrate(c: CalibrationState, raw: number, longRate: number, shortRate: number, minSd = 1e-9): number {
  return surpriseOf(calibrateZ(c, raw, longRate, shortRate, minSd));
}
