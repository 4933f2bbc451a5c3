import { roundDigits } from "./round";

/**
 * Context novelty in the manner of CAD OSE / ARTime: each value is quantised
 * into a small alphabet, and the detector asks how new the current short
 * context (the last 1..K symbols) is relative to the contexts seen recently.
 * Memory is a hashed table of small decayed counts (count-min style, one
 * deterministic hash per order), so it is bounded and needs no randomness.
 */
export interface NoveltyState {
  /** Tracked low and high of the value range (robust, slowly contracting). */
  lo: number;
  hi: number;
  /** Visited extremes: the range's long memory (contracting `noveltyVisitedRate` per point). */
  vlo: number;
  vhi: number;
  /** The last K symbols, newest first. */
  hist: number[];
  /** Points since the last decay of the table. */
  t: number;
  /** Decayed context counts, one per hash bucket. */
  counts: number[];
}

export interface NoveltyShape {
  noveltyBins: number;
  noveltyOrders: number;
  noveltyTable: number;
  noveltyDecay: number;
  noveltyRangeRate: number;
  noveltyVisitedRate: number;
}

/**
 * Exceedance of the last value beyond the tracked range, in range widths (scratch output);
 * 0 for a value within the visited extremes (a level the series has been at within its long memory).
 */
export let lastExceed = 0;

/** Saturation of one bucket's count. */
const MAX_COUNT = 63;

/** An empty novelty state; the context table is allocated only when context novelty is used. */
export function createNovelty(shape: NoveltyShape & { contextWeight: number }): NoveltyState {
  const size = shape.contextWeight > 0 ? shape.noveltyTable : 0;
  return { lo: 0, hi: 0, vlo: 0, vhi: 0, hist: [], t: 0, counts: new Array<number>(size).fill(0) };
}

/** Deterministic 32-bit mix of a context (order, symbols). */
function bucketOf(hist: readonly number[], sym: number, order: number, size: number): number {
  let h = Math.imul(0x9e3779b1, order + 1) ^ (sym + 1);
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  for (let k = 0; k < order - 1; k++) {
    h ^= (hist[k] as number) + 1 + 97 * k;
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  }
  h ^= h >>> 16;
  return (h >>> 0) % size;
}

/**
 * Novelty of value `x` in [0, 1] (then learns it; mutates `s`): the weighted share of
 * context orders 1..K whose context has not been seen recently.
 */
export function noveltyOf(s: NoveltyState, x: number, shape: NoveltyShape, center: number, scale: number): number {
  const B = shape.noveltyBins;
  if (s.hist.length === 0 && s.t === 0 && s.lo === 0 && s.hi === 0) {
    s.lo = x;
    s.hi = x;
    s.vlo = x;
    s.vhi = x;
  }
  // The range known so far, before this value moves it.
  const lo = s.lo;
  const hi = s.hi;
  const width = Math.max(hi - lo, scale, 1e-9);
  lastExceed = x > hi ? (x - hi) / width : x < lo ? (lo - x) / width : 0;
  // Spiky series revisit their old peaks long after the range has contracted below them: no break there.
  if (shape.noveltyVisitedRate > 0 && x >= s.vlo && x <= s.vhi) lastExceed = 0;
  if (x < s.vlo) s.vlo = roundDigits(x, 8);
  else s.vlo = roundDigits(s.vlo + shape.noveltyVisitedRate * (Math.min(center, x) - s.vlo), 8);
  if (x > s.vhi) s.vhi = roundDigits(x, 8);
  else s.vhi = roundDigits(s.vhi + shape.noveltyVisitedRate * (Math.max(center, x) - s.vhi), 8);
  // Range: expands at once, contracts slowly toward the robust centre.
  // Stored with 8 significant digits, a new extreme too (short JSON; the contraction per point is far larger).
  if (x < lo) s.lo = roundDigits(x, 8);
  else s.lo = roundDigits(lo + shape.noveltyRangeRate * (Math.min(center, x) - lo), 8);
  if (x > hi) s.hi = roundDigits(x, 8);
  else s.hi = roundDigits(hi + shape.noveltyRangeRate * (Math.max(center, x) - hi), 8);
  const size = s.counts.length;
  if (size === 0) {
    // Without the context table `t` only marks the range as started: kept at 1 (short JSON).
    s.t = 1;
    return 0;
  }
  // Symbol against the range known before: a value beyond it is its own (new-extreme) symbol.
  let sym: number;
  if (x > hi + 1e-12 * Math.abs(hi)) sym = B;
  else if (x < lo - 1e-12 * Math.abs(lo)) sym = B + 1;
  else sym = Math.min(B - 1, Math.max(0, Math.floor(((x - lo) / width) * B)));
  let novel = 0;
  let total = 0;
  const K = shape.noveltyOrders;
  for (let order = 1; order <= K; order++) {
    if (order - 1 > s.hist.length) break;
    const b = bucketOf(s.hist, sym, order, size);
    const c = s.counts[b] as number;
    const w = order;
    total += w;
    if (c === 0) novel += w;
    if (c < MAX_COUNT) s.counts[b] = c + 1;
  }
  s.hist.unshift(sym);
  if (s.hist.length > K - 1) s.hist.length = Math.max(0, K - 1);
  s.t += 1;
  if (s.t >= shape.noveltyDecay) {
    s.t = 0;
    for (let i = 0; i < size; i++) s.counts[i] = (s.counts[i] as number) >> 1;
  }
  return total > 0 ? novel / total : 0;
}
