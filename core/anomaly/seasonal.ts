import { msIntoDay } from "./day";
import { roundDigits } from "./round";

/**
 * Daily profile: the expected value at each time of day, as `slots` levels over the
 * UTC day, interpolated linearly between slot centres. Each slot forgets at a rate
 * per day (not per point), so a series sampled every minute and one sampled every
 * hour keep the same memory in days. Its residuals have their own robust spread and
 * mean absolute error; the detector uses the profile only while it predicts the
 * series better than the flat level does (online model selection).
 */
export interface SeasonalState {
  /** Level per slot of the day; null until a point has fallen near it. */
  levels: (number | null)[];
  /** Mean absolute deviation of the (clipped) residuals. */
  spread: number;
  /** Typical gap between points (ms), for the per-point rate. */
  gap: number;
  /**
   * Residuals learned so far, capped at 500. Absent in states saved before it existed: read as 0,
   * so such a state re-learns its spread (theirs could be frozen near 0, see `updateSeasonal`).
   */
  m?: number;
}

/** Settings of the daily profile. */
export interface SeasonalShape {
  /** Slots over the day (0 turns the profile off). */
  seasonSlots: number;
  /** Share of a slot's level replaced per day of data. */
  seasonDailyRate: number;
}

const DAY_MS = 86_400_000;
/** Residuals are clipped to this many spreads before they are learned. */
const CLIP = 3;
/** Residuals learned unclipped, at 1/m rates, before the spread is trusted as a clip limit. */
const SPREAD_START = 20;
/** Slowest spread rate is 1/SPREAD_WARM per residual. */
const SPREAD_WARM = 500;

/** An empty profile. */
export function createSeasonal(shape: SeasonalShape): SeasonalState {
  return { levels: new Array<number | null>(shape.seasonSlots).fill(null), spread: 0, gap: 0, m: 0 };
}

/** The two slots around the last located time and the weight of the second (module scratch: no allocation per point). */
let slotA = 0;
let slotB = 0;
let slotW = 0;

/** Sets `slotA`, `slotB` and `slotW` for time `t` on a day of `k` slots. */
function locate(k: number, t: number): void {
  const pos = (msIntoDay(t) / DAY_MS) * k - 0.5;
  const lo = Math.floor(pos);
  slotA = (lo + k) % k;
  slotB = (lo + 1) % k;
  slotW = pos - lo;
}

/** The profile's value between the located slots, or null while either is unknown. */
function interpolated(levels: readonly (number | null)[]): number | null {
  const la = levels[slotA];
  const lb = levels[slotB];
  if (la === null || la === undefined || lb === null || lb === undefined) return null;
  return la * (1 - slotW) + lb * slotW;
}

/** Expected value at time `t`, or null while either slot around it is unknown. */
export function seasonalExpected(s: SeasonalState, t: number): number | null {
  if (s.levels.length === 0) return null;
  locate(s.levels.length, t);
  return interpolated(s.levels);
}

/**
 * What the profile expected for the value last given to `updateSeasonal`, before learning it
 * (null when it could not predict it): the detector's expected range, without a second lookup.
 */
export let lastSeasonalExpected: number | null = null;

/** The per-point rate last computed, and what it was computed from: the gap rarely changes, `Math.pow` is dear. */
let rateGap = Number.NaN;
let rateSlots = 0;
let rateDaily = Number.NaN;
let rateValue = 0;

/** Per-point rate giving `daily` per day for the points that fall in one of `slots` slots, at `gap` ms between points. */
function perPointRate(gap: number, slots: number, daily: number): number {
  if (gap !== rateGap || slots !== rateSlots || daily !== rateDaily) {
    const perSlotDay = gap > 0 ? Math.max(1, DAY_MS / slots / gap) : 1;
    rateValue = 1 - Math.pow(1 - daily, 1 / perSlotDay);
    rateGap = gap;
    rateSlots = slots;
    rateDaily = daily;
  }
  return rateValue;
}

/**
 * Learns value `x` at time `t` (mutates `s`; `prevT` is the previous point's time) and returns its
 * deviation from the profile before learning, in spreads, or null when the profile could not predict it yet.
 * The profile's value before learning is left in `lastSeasonalExpected`.
 */
export function updateSeasonal(
  s: SeasonalState, t: number, x: number, prevT: number | null, shape: SeasonalShape,
): number | null {
  lastSeasonalExpected = null;
  const levels = s.levels;
  if (levels.length === 0) return null;
  if (prevT !== null) {
    const dt = t - prevT;
    s.gap = Math.round(s.gap === 0 ? dt : s.gap + 0.01 * (dt - s.gap));
  }
  locate(levels.length, t);
  const a = slotA;
  const b = slotB;
  const w = slotW;
  const expected = interpolated(levels);
  if (expected === null) {
    if (levels[a] === null) levels[a] = roundDigits(x, 5);
    if (levels[b] === null) levels[b] = roundDigits(x, 5);
    return null;
  }
  lastSeasonalExpected = expected;
  const rate = perPointRate(s.gap, levels.length, shape.seasonDailyRate);
  const residual = x - expected;
  const floor = Math.max(s.spread, 1e-6 * Math.abs(expected), 1e-9);
  const dev = residual / floor;
  // The spread's warm-up counts the profile's own residuals (it predicts only from its second day on):
  // clipping at 3 spreads from the first residual, with a spread still near 0, froze the spread at a
  // tiny value (deviations of thousands of spreads), and the model selection then always chose the profile.
  const m = s.m ?? 0;
  const clipped = m < SPREAD_START ? residual : Math.max(-CLIP * floor, Math.min(CLIP * floor, residual));
  levels[a] = roundDigits((levels[a] as number) + rate * (1 - w) * clipped, 5);
  levels[b] = roundDigits((levels[b] as number) + rate * w * clipped, 5);
  s.spread = roundDigits(s.spread + (1 / Math.min(m + 1, SPREAD_WARM)) * (Math.abs(clipped) - s.spread), 5);
  if (m < SPREAD_WARM) s.m = m + 1;
  return dev;
}
