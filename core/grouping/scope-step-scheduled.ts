import type { Alert } from "./alert";
import type { EngineContext } from "./correlate";
import type { GroupingState } from "./correlate-state";
import { appendRecords, ingestScopeBatch, tickScope, type ScopeOutbox, type ScopeStep } from "./scope-step";

/** The incident timer's period: its schedule fires on every minute boundary. */
export const TIMER_EVERY_MS = 60_000;

const ceilTo = (at: number, every: number) => Math.ceil(at / every) * every;
const floorTo = (at: number, every: number) => Math.floor(at / every) * every;

/**
 * Ingests a batch of one scope's alerts as if they had been delivered one timer period at a time with the
 * timer firing in between: the alerts are split by the period of their `emittedAt` (the event envelope's
 * time, fixed in the record, so the split does not depend on how records are batched; an alert's own
 * `eventTime` may be minutes earlier), and before each period every timer moment (period boundary) since
 * the state's clock at which something is due is ticked, then the period's alerts are ingested with
 * `ingestScopeBatch` (event-time order). So the engine sees the same calls at the same times whatever the
 * size of the batch: a grouper reading batches of 10,000 records decides exactly as one reading a minute at
 * a time, provided the timer never ticks a scope ahead of alerts not yet delivered (see
 * `GROUPING_TIMER_LAG_MS` in functions/incident-timer.ts).
 *
 * @param state - the scope's state (taken over and returned)
 * @param alerts - the batch's alerts of this scope, any order
 * @param ctx - topology and grouping config
 * @param emittedAt - when an alert's event was emitted (ms); default its `eventTime`
 * @param everyMs - the timer's period
 */
export function ingestScopeBatchOnSchedule(
  state: GroupingState,
  alerts: readonly Alert[],
  ctx: EngineContext,
  emittedAt: (alert: Alert) => number = (alert) => alert.eventTime,
  everyMs = TIMER_EVERY_MS,
): ScopeStep {
  const periods = new Map<number, Alert[]>();
  for (const alert of alerts) {
    const p = floorTo(emittedAt(alert), everyMs);
    const list = periods.get(p);
    if (list) list.push(alert);
    else periods.set(p, [alert]);
  }
  const steps: ScopeStep[] = [];
  for (const [start, batch] of [...periods].sort(([a], [b]) => a - b)) {
    // The timer moments strictly after the state's clock, up to this period's start, with something due.
    let at = Math.max(ceilTo(state.nextDueAt, everyMs), floorTo(state.clock, everyMs) + everyMs);
    while (Number.isFinite(at) && at <= start) {
      steps.push(tickScope(state, at, ctx));
      at = Math.max(at + everyMs, ceilTo(state.nextDueAt, everyMs));
    }
    steps.push(ingestScopeBatch(state, batch, ctx));
  }
  return mergeSteps(state, steps);
}

/** One step from consecutive steps on the same state: decisions, records and events in order; an incident's latest record wins. */
function mergeSteps(state: GroupingState, steps: readonly ScopeStep[]): ScopeStep {
  const incidents = new Map<string, ScopeOutbox["incidents"][number]>();
  const merged: ScopeStep = { state, decisions: [], records: { alerts: [], merges: [] }, outbox: { incidents: [], events: [] } };
  for (const step of steps) {
    merged.decisions.push(...step.decisions);
    appendRecords(merged.records, step.records);
    merged.outbox.events.push(...step.outbox.events);
    for (const incident of step.outbox.incidents) {
      incidents.delete(incident.incidentId);
      incidents.set(incident.incidentId, incident);
    }
  }
  merged.outbox.incidents = [...incidents.values()];
  return merged;
}
