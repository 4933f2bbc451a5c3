import { roundDigits } from "./round";

/**
 * Burst share of a series: the exponentially weighted share of its points that lie far (beyond
 * `burstSpreads` spreads) from the flat robust level. A floor with bursts 100-1e17 spreads out (disk
 * writes, a CPU idle between jobs) spends a steady few percent of its time there; a series that only
 * shifts now and then does not. On a bursty series the drift (deviations clipped at 10 spreads) adds up
 * burst by burst, so its surprise says little: the detector damps it there.
 */

/** Settings of the burst share. */
export interface BurstShape {
  /** Deviation (in spreads of the flat level) beyond which a point is in a burst (0 turns the share off). */
  burstSpreads: number;
  /** Update rate of the share (early points learn at 1/n, so the share is an average from the start). */
  burstRate: number;
  /** Share at or above which the series is bursty. */
  burstShare: number;
}

/** Whether a series with this burst share is bursty (never when the share is off). */
export function isBursty(share: number, shape: BurstShape): boolean {
  return shape.burstSpreads > 0 && share >= shape.burstShare;
}

/**
 * The share after one more point, `flatDev` its deviation from the flat level in spreads and `n` the
 * points seen with it (4 significant digits: a share needs no more, and it is stored per series).
 */
export function learnBurst(share: number, flatDev: number, n: number, shape: BurstShape): number {
  if (shape.burstSpreads <= 0) return share;
  const far = Math.abs(flatDev) > shape.burstSpreads ? 1 : 0;
  return roundDigits(share + Math.max(shape.burstRate, 1 / Math.max(1, n)) * (far - share), 4);
}
