/**
 * Recurring-event memory: the onsets of the last few events (points whose score
 * reached the alert level outside a refractory period). An event that starts one
 * regular gap after the last one, when the gaps before it were regular too, is a
 * pattern of the series (a periodic job, a scheduled burst), not an anomaly.
 */
export interface RecurrenceState {
  /** Timestamps (ms) of the last event onsets, oldest first. */
  onsets: number[];
}

/** Settings of the recurrence test. */
export interface RecurrenceShape {
  /** Onsets remembered (3 are enough for the gap test; 0 turns it off). */
  recurMemory: number;
  /** Largest relative difference between consecutive gaps that still counts as regular. */
  recurGapTolerance: number;
  /** Largest whole multiple of the period a gap may span (a skipped occurrence); 1: every gap is one period. */
  recurMultiples: number;
}

/** An empty memory. */
export function createRecurrence(): RecurrenceState {
  return { onsets: [] };
}

/** True when an event starting at `t` continues a regular series of onsets (the last three gaps agree). */
export function isRecurrent(r: RecurrenceState, t: number, shape: RecurrenceShape): boolean {
  const n = r.onsets.length;
  if (shape.recurGapTolerance <= 0 || n < 3) return false;
  const g1 = t - r.onsets[n - 1]!;
  const g2 = r.onsets[n - 1]! - r.onsets[n - 2]!;
  const g3 = r.onsets[n - 2]! - r.onsets[n - 3]!;
  const tolerance = shape.recurGapTolerance * g2;
  if (Math.abs(g1 - g2) <= tolerance && Math.abs(g2 - g3) <= tolerance) return true;
  if (shape.recurMultiples <= 1) return false;
  // A periodic event that once stayed under the trigger leaves a gap of two periods: the shortest gap is the period.
  const period = Math.min(g1, g2, g3);
  return period > 0 && onPeriod(g1, period, shape) && onPeriod(g2, period, shape) && onPeriod(g3, period, shape);
}

/** Whether `gap` is a whole multiple (up to `recurMultiples`) of `period`, within the tolerance of one period. */
function onPeriod(gap: number, period: number, shape: RecurrenceShape): boolean {
  const k = Math.round(gap / period);
  return k <= shape.recurMultiples && Math.abs(gap - k * period) <= shape.recurGapTolerance * period;
}

/** Remembers an onset (mutates `r`), forgetting the oldest beyond `recurMemory`. */
export function rememberOnset(r: RecurrenceState, t: number, shape: RecurrenceShape): void {
  r.onsets.push(t);
  if (r.onsets.length > shape.recurMemory) r.onsets.shift();
}
