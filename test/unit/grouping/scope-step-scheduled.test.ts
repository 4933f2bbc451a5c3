import { describe, expect, it } from "vitest";
import { buildTopology, createGroupingState, ingestScopeBatch, parseGroupingConfig, tickScope, type Alert, type Decision, type GroupingState } from "../../../core/grouping";
import { ingestScopeBatchOnSchedule } from "../../../core/grouping/scope-step-scheduled";
import { alertFactory, MIN, T0 } from "./alert-factory";

const topology = buildTopology({ services: [{ name: "db" }, { name: "api", dependsOn: ["db"] }, { name: "web", dependsOn: ["api"] }] });
const ctx = { topology, config: parseGroupingConfig({}) };
const END = T0 + 3 * 60 * MIN;

/** An afternoon of one account: a cascade, a lone alert, recoveries, and alerts emitted minutes after they happened. */
function afternoon(): { alerts: Alert[]; emitted: Map<Alert, number> } {
  const db = alertFactory({ service: "db", prefix: "d" });
  const api = alertFactory({ service: "api", prefix: "a" });
  const web = alertFactory({ service: "web", prefix: "w" });
  const plan: [Alert, number][] = [
    [db({ fingerprint: "alarm:db-cpu", eventTime: T0 + 30_000, severity: "error" }), 0],
    [api({ fingerprint: "alarm:api-5xx", eventTime: T0 + 2 * MIN + 5_000, severity: "error" }), 0],
    [web({ fingerprint: "alarm:web-latency", eventTime: T0 + 3 * MIN, severity: "warning" }), 4 * MIN],
    [api({ fingerprint: "alarm:api-latency", eventTime: T0 + 9 * MIN + 59_000, severity: "error" }), 2_000],
    [web({ fingerprint: "alarm:web-lone", eventTime: T0 + 40 * MIN, severity: "critical" }), 0],
    [db({ fingerprint: "alarm:db-cpu", eventTime: T0 + 50 * MIN, status: "resolved" }), 0],
    [api({ fingerprint: "alarm:api-5xx", eventTime: T0 + 51 * MIN + 10_000, status: "resolved" }), 3 * MIN],
    [api({ fingerprint: "alarm:api-latency", eventTime: T0 + 52 * MIN, status: "resolved" }), 0],
    [web({ fingerprint: "alarm:web-latency", eventTime: T0 + 52 * MIN + 1_000, status: "resolved" }), 0],
    [db({ fingerprint: "alarm:db-cpu", eventTime: T0 + 95 * MIN, severity: "error" }), 0],
  ];
  return { alerts: plan.map(([alert]) => alert), emitted: new Map(plan.map(([alert, late]) => [alert, alert.eventTime + late])) };
}

/** The incident timer: every minute boundary in (from, to] with something due, as the schedule ticks it. */
function timer(state: GroupingState, from: number, to: number, decisions: Decision[]): void {
  for (let at = Math.floor(from / MIN) * MIN + MIN; at <= to; at += MIN) if (at >= state.nextDueAt) decisions.push(...tickScope(state, at, ctx).decisions);
}

/** The reference: one grouper batch per minute of emission, the timer firing at each boundary between them. */
function minuteByMinute(alerts: Alert[], emitted: Map<Alert, number>): { state: GroupingState; decisions: Decision[] } {
  const state = createGroupingState();
  const decisions: Decision[] = [];
  let last = T0 - MIN;
  for (let minute = T0; minute < END; minute += MIN) {
    timer(state, last, minute, decisions);
    last = minute;
    const batch = alerts.filter((a) => Math.floor(emitted.get(a)! / MIN) * MIN === minute);
    if (batch.length > 0) decisions.push(...ingestScopeBatch(state, batch, ctx).decisions);
  }
  timer(state, last, END, decisions);
  return { state, decisions };
}

/** The alerts in batches of `minutes` minutes of emission, each ingested on schedule; the timer lags by the batch, as GROUPING_TIMER_LAG_MS does. */
function inBatches(alerts: Alert[], emitted: Map<Alert, number>, minutes: number): { state: GroupingState; decisions: Decision[] } {
  const state = createGroupingState();
  const decisions: Decision[] = [];
  let ticked = T0 - MIN;
  for (let start = T0; start < END; start += minutes * MIN) {
    // Before this batch is read, the timer has run to its start (it lags the clock by the window less a minute).
    timer(state, ticked, start, decisions);
    ticked = Math.max(ticked, start);
    const batch = alerts.filter((a) => emitted.get(a)! >= start && emitted.get(a)! < start + minutes * MIN);
    if (batch.length > 0) decisions.push(...ingestScopeBatchOnSchedule(state, batch.reverse(), ctx, (a) => emitted.get(a)!).decisions);
    ticked = Math.max(ticked, Math.floor(state.clock / MIN) * MIN);
  }
  timer(state, ticked, END, decisions);
  return { state, decisions };
}

describe("ingestScopeBatchOnSchedule", () => {
  it("decides as minute batches with the timer in between, whatever the batch size", () => {
    const { alerts, emitted } = afternoon();
    const reference = minuteByMinute(alerts, emitted);
    // The afternoon exercises the timer: pages, a pending verdict or a resolve happen between alerts.
    expect(reference.decisions.some((d) => d.type === "incident.resolved")).toBe(true);
    expect(reference.decisions.some((d) => d.type === "incident.opened")).toBe(true);
    for (const minutes of [1, 7, 30, 180]) {
      const batched = inBatches(alerts, emitted, minutes);
      expect({ minutes, decisions: batched.decisions }).toEqual({ minutes, decisions: reference.decisions });
      expect(JSON.stringify(batched.state)).toBe(JSON.stringify(reference.state));
    }
  });

  it("differs from ingesting a large batch in event time alone, which the timer moments would not match", () => {
    const { alerts, emitted } = afternoon();
    const reference = minuteByMinute(alerts, emitted);
    const state = createGroupingState();
    const plain = ingestScopeBatch(state, alerts, ctx).decisions;
    timer(state, state.clock, END, plain);
    expect(plain).not.toEqual(reference.decisions);
  });
});
