import { type Alert, createGroupingState, type Decision, type EngineContext, finalGroupOf, type GroupingState, ingest, mergesOf, movesOf, tick } from "../../../core/grouping";

export const T0 = Date.parse("2025-05-26T11:00:00Z");
export const MIN = 60_000;

/**
 * A builder of firing CloudWatch-alarm alerts for the correlation tests: unique event ids under
 * `prefix`, the given default service, any field overridable.
 */
export function alertFactory(defaults: { service: string; prefix: string; resourceOf?: (fingerprint: string) => string }) {
  let ids = 0;
  return (over: Partial<Alert> & { fingerprint: string }): Alert => {
    ids += 1;
    return {
      status: "firing",
      severity: "warning",
      resources: [defaults.resourceOf ? defaults.resourceOf(over.fingerprint) : over.fingerprint],
      service: defaults.service,
      account: "111111111111",
      region: "us-east-1",
      eventTime: T0,
      eventId: `${defaults.prefix}-${ids}`,
      source: "aws.cloudwatch",
      kind: "cloudwatch.alarm-state-change",
      title: over.fingerprint,
      summary: over.fingerprint,
      labels: {},
      ...over,
    };
  };
}

/**
 * Feeds alerts to a fresh engine in the given order, ticking to each alert's time before its ingest,
 * as the alert-grouper does; `tailMs` then ticks that long past the last alert (pages, resolves).
 */
export function runAlerts(alerts: readonly Alert[], ctx: EngineContext, tailMs?: number): { state: GroupingState; decisions: Decision[] } {
  const state = createGroupingState();
  const decisions: Decision[] = [];
  for (const a of alerts) {
    decisions.push(...tick(state, a.eventTime, ctx).decisions);
    decisions.push(...ingest(state, a, a.eventTime, ctx).decisions);
  }
  if (tailMs !== undefined) decisions.push(...tick(state, (alerts.at(-1)?.eventTime ?? T0) + tailMs, ctx).decisions);
  return { state, decisions };
}

/**
 * The group each event first joined, followed through merges (and, given the alerts for their fingerprints,
 * through moves) to the group it finally belongs to, as `readAssignments` resolves stored pages.
 */
export function finalGroups(ds: readonly Decision[], alerts: readonly Alert[] = []): Map<string, string> {
  const first = new Map<string, string>();
  for (const d of ds) {
    if (d.type === "alert.held" && !first.has(d.eventId)) first.set(d.eventId, d.groupId);
    else if (d.type === "alert.attached" && !first.has(d.eventId)) first.set(d.eventId, d.incidentId);
  }
  const fingerprintOf = new Map(alerts.map((a) => [a.eventId, a.fingerprint]));
  const final = finalGroupOf(mergesOf(ds), movesOf(ds));
  // The given alerts that joined no group ("") follow moves from "" too (adopted launches).
  for (const a of alerts) if (!first.has(a.eventId)) first.set(a.eventId, "");
  const out = new Map([...first].map(([eventId, group]) => [eventId, final(group, fingerprintOf.get(eventId) ?? "")]));
  for (const [eventId, group] of out) if (group === "") out.delete(eventId);
  return out;
}
