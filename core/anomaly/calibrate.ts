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

/**
 * Surprise of `raw` (then learns it; mutates `c`): -log10 of the tail
 * probability of the short-run mean, scaled so a 1e-10 tail gives 1.
 * `minSd`: the smallest standard deviation the tail is measured in (the raw score's resolution, e.g. one spike).
 */
export function calibrate(c: CalibrationState, raw: number, longRate: number, shortRate: number, minSd = 1e-9): number {
  c.short = fixed5(c.n === 0 ? raw : c.short + shortRate * (raw - c.short));
  const sd = Math.sqrt(c.variance);
  let surprise = 0;
  if (c.n > 1) {
    const z = (c.short - c.mean) / Math.max(sd, 1e-3 * Math.abs(c.mean), minSd);
    surprise = Math.min(1, -Math.log10(Math.max(normalTail(z), 1e-300)) / 10);
  }
  const a = Math.max(longRate, 1 / (c.n + 1));
  const diff = raw - c.mean;
  c.mean = fixed5(c.mean + a * diff);
  c.variance = fixed5((1 - a) * (c.variance + a * diff * diff));
  if (c.n < 1 / longRate) c.n += 1;
  return surprise;
}
