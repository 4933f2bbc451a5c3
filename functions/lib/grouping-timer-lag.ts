/** `GROUPING_TIMER_LAG_MS` is not a whole, non-negative number of timer periods. */
export class InvalidTimerLagError extends Error {
  override readonly name = "InvalidTimerLagError";
  readonly code = "grouping.invalid_timer_lag";
}

/**
 * How far behind its schedule the incident timer ticks scopes (ms, `GROUPING_TIMER_LAG_MS`, default 0): at
 * least the alert stream's batching window less one minute, so the timer never moves a scope past alerts
 * still waiting in the stream. The grouper replays the timer's minute ticks itself while alerts arrive
 * (see core/grouping/scope-step-scheduled.ts), so the timer only matters in quiet periods, and with this
 * lag it ticks at the same event-time moments whatever the batch size.
 */
export function groupingTimerLagMs(env: NodeJS.ProcessEnv = process.env): number {
  const text = env.GROUPING_TIMER_LAG_MS;
  if (text === undefined || text === "") return 0;
  const lag = Number(text);
  if (!Number.isInteger(lag) || lag < 0 || lag % 60_000 !== 0) {
    throw new InvalidTimerLagError(`GROUPING_TIMER_LAG_MS must be a non-negative whole number of minutes in ms, got "${text}"`);
  }
  return lag;
}
