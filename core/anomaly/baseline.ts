import { roundDigits } from "./round";

/**
 * Robust statistical detector: an exponentially weighted level and mean
 * absolute deviation, where each residual is clipped before it updates them,
 * so one outlier cannot drag the baseline it is judged against.
 */
export interface BaselineState {
  /** Points seen (caps at the warm-start length; only the early updates use it). */
  n: number;
  level: number;
  spread: number;
}

/** Residuals are clipped to this many spreads before they update the baseline. */
const CLIP = 3;

/** An empty baseline. */
export function createBaseline(): BaselineState {
  return { n: 0, level: 0, spread: 0 };
}

/** Smallest spread used as a divisor, relative to the level (a flat line is not infinitely sensitive to rounding). */
export function spreadFloor(b: BaselineState): number {
  return Math.max(b.spread, 1e-6 * Math.abs(b.level), 1e-9);
}

/** Robust deviation of `x` from the baseline, in spreads (0 before the first point). */
export function deviation(b: BaselineState, x: number): number {
  if (b.n === 0) return 0;
  return (x - b.level) / spreadFloor(b);
}

/** Learns one value (mutates `b`). Early points use 1/n rates so the start is not biased to 0. */
export function updateBaseline(b: BaselineState, x: number, rate: number): void {
  if (b.n === 0) {
    b.level = x;
    b.n = 1;
    return;
  }
  const a = Math.max(rate, 1 / (b.n + 1));
  const r = x - b.level;
  const limit = CLIP * spreadFloor(b);
  const clipped = b.n < 10 ? r : Math.max(-limit, Math.min(limit, r));
  b.level = roundDigits(b.level + a * clipped, 8);
  b.spread = roundDigits(b.spread + a * (Math.abs(clipped) - b.spread), 8);
  if (b.n < 1 / rate) b.n += 1;
}
