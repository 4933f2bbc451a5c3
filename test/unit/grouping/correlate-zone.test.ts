import { describe, expect, it } from "vitest";
import { alertFactory, MIN, T0 } from "./alert-factory";
import { type Alert, buildTopology, createGroupingState, type Decision, ingest, parseGroupingConfig, tick } from "../../../core/grouping";

const topology = buildTopology({ services: [{ name: "search", dependsOn: [] }, { name: "catalog", dependsOn: [] }, { name: "auth", dependsOn: [] }] });
const ctx = { topology, config: parseGroupingConfig({}) };

const alert = alertFactory({ service: "search", prefix: "zone-ev" });

function run(alerts: Alert[]): Decision[] {
  const state = createGroupingState();
  const decisions: Decision[] = [];
  for (const a of alerts) {
    decisions.push(...tick(state, a.eventTime, ctx).decisions);
    decisions.push(...ingest(state, a, a.eventTime, ctx).decisions);
  }
  return decisions;
}

/** The group each event finally belongs to, following merges. */
function finalGroups(ds: Decision[]): Map<string, string> {
  const into = new Map<string, string>();
  const first = new Map<string, string>();
  for (const d of ds) {
    if (d.type === "incident.merged") into.set(d.from, d.incidentId);
    else if (d.type === "alert.held" && !first.has(d.eventId)) first.set(d.eventId, d.groupId);
    else if (d.type === "alert.attached" && !first.has(d.eventId)) first.set(d.eventId, d.incidentId);
  }
  const resolve = (id: string): string => (into.has(id) ? resolve(into.get(id) as string) : id);
  return new Map([...first].map(([eventId, group]) => [eventId, resolve(group)]));
}

const health = (at: number) =>
  alert({ fingerprint: "health:az", service: undefined, az: "us-east-1a", severity: "error", source: "aws.health", kind: "health.event", eventTime: at });

describe("correlate: announced zone impairments", () => {
  it("merges the groups that began in the announced zone shortly before into the announcing incident", () => {
    const search = alert({ fingerprint: "alarm:search-unhealthy", az: "us-east-1a", eventTime: T0 });
    const catalog = alert({ fingerprint: "alarm:catalog-unhealthy", service: "catalog", az: "us-east-1a", eventTime: T0 + MIN });
    const otherZone = alert({ fingerprint: "alarm:auth-unhealthy", service: "auth", az: "us-east-1b", eventTime: T0 + MIN });
    const ds = run([search, catalog, otherZone, health(T0 + 12 * MIN)]);
    const groups = finalGroups(ds);
    expect(groups.get(search.eventId)).toBe(groups.get(catalog.eventId));
    expect(groups.get(search.eventId)).not.toBe(groups.get(otherZone.eventId));
    expect(ds.filter((d) => d.type === "incident.merged")).toHaveLength(2);
    expect(ds.some((d) => d.type === "incident.opened" && d.incidentId === groups.get(search.eventId))).toBe(true);
  });

  it("leaves alone groups that began in the zone long before the announcement, and compliance findings in the zone", () => {
    const old = alert({ fingerprint: "alarm:search-old", az: "us-east-1a", eventTime: T0 });
    const finding = alert({ fingerprint: "config:rule", service: "catalog", az: "us-east-1a", source: "aws.config", kind: "config.compliance-change", eventTime: T0 + 50 * MIN });
    const ds = run([old, finding, health(T0 + 60 * MIN)]);
    expect(ds.filter((d) => d.type === "incident.merged")).toHaveLength(0);
  });
});
