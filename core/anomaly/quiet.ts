/**
 * Quiet record: the run of points without a "large" deviation (at least `quietShare` of the largest recent one,
 * both as log1p of |deviation| in spreads), against the longest such run the series has had. A run that first
 * exceeds `quietFactor` times every earlier one is a record calm: the series has stopped doing what it kept doing
 * (bursts that stop, a noisy series gone still), which no single point shows. Fires once per record, O(1), no allocation.
 */

/** Settings of the quiet record. */
export interface QuietShape {
  /** Share of the recent peak (log1p of |deviation|) a point must reach to end a calm run (0 turns the voice off). */
  quietShare: number;
  /** A calm run is a record when it first exceeds this many times the longest earlier one. */
  quietFactor: number;
  /** Completed calm runs needed before a record counts (a few events make a process). */
  quietRuns: number;
}

/** Quiet-record state, one compact array: `[run, longest, runs]` (current calm run, longest completed one, completed runs). */
export type QuietState = number[];

/** Completed runs are counted up to this (only `quietRuns` is ever compared with it; keeps the number short). */
const MAX_RUNS = 999;

/** An empty quiet-record state. */
export function createQuiet(): QuietState {
  return [0, 0, 0];
}

/**
 * Learns one point (mutates `s`): `size` is log1p(|deviation|), `peak` the largest recent one. True at the one
 * point where the current calm run first exceeds `quietFactor` times the longest completed one.
 */
export function quietRecord(s: QuietState, size: number, peak: number, shape: QuietShape): boolean {
  if (shape.quietShare <= 0 || peak <= 0) return false;
  const run = s[0] ?? 0;
  const longest = s[1] ?? 0;
  const runs = s[2] ?? 0;
  if (size >= shape.quietShare * peak) {
    if (run > 0) {
      s[1] = Math.max(longest, run);
      s[2] = Math.min(runs + 1, MAX_RUNS);
    }
    s[0] = 0;
    return false;
  }
  s[0] = run + 1;
  return runs >= shape.quietRuns && longest > 0 && run + 1 === Math.floor(shape.quietFactor * longest) + 1;
}
