import { describe, expect, it } from "vitest";
import { alertFactory, finalGroups, MIN, runAlerts, T0 } from "./alert-factory";
import { type Alert, buildTopology, type Decision, parseGroupingConfig, sendsNoClear } from "../../../core/grouping";

const topology = buildTopology({ services: [{ name: "orders", dependsOn: [] }] });
const ctx = { topology, config: parseGroupingConfig({}) };
const { silenceTimeout, staleTimeout, resolveTimeout } = ctx.config;
const alert = alertFactory({ service: "orders", prefix: "silence-ev" });
const instance = "arn:aws:ec2:us-east-1:111111111111:instance/i-0abc";

/** A GuardDuty finding about the instance, reported at `minute` (a re-publication repeats fingerprint and grows `count`). */
const finding = (name: string, minute: number, count = 1): Alert =>
  alert({ fingerprint: `finding:${name}`, severity: "error", source: "aws.guardduty", kind: "guardduty.finding", resources: [instance], eventTime: T0 + minute * MIN, labels: { count: String(count) } });

const resolvedAt = (ds: readonly Decision[], incidentId: string | undefined): number | undefined =>
  ds.find((d): d is Extract<Decision, { type: "incident.resolved" }> => d.type === "incident.resolved" && d.incidentId === incidentId)?.at;

describe("correlate: incidents whose alerts never clear", () => {
  it("tells alerts whose source sends no clear from those that clear", () => {
    expect(sendsNoClear(finding("x", 0))).toBe(true);
    expect(sendsNoClear(alert({ fingerprint: "ec2-state:i-1", source: "aws.ec2", kind: "ec2.instance-state-change" }))).toBe(true);
    expect(sendsNoClear(alert({ fingerprint: "alarm:orders-5xx" }))).toBe(false);
    expect(sendsNoClear(alert({ fingerprint: "config:rule", source: "aws.config", kind: "config.compliance-change" }))).toBe(false);
    const control = { source: "aws.securityhub", kind: "securityhub.findings-imported" };
    expect(sendsNoClear(alert({ fingerprint: "finding:control", ...control, labels: { complianceStatus: "FAILED" } }))).toBe(false);
    expect(sendsNoClear(alert({ fingerprint: "finding:threat", ...control }))).toBe(true);
  });

  it("resolves an incident made only of findings once they have been silent for silenceTimeout, and not while they are re-published", () => {
    const attack = [finding("probe", 0), finding("brute-force", 2), finding("brute-force", 17, 2), finding("brute-force", 32, 3)];
    const { decisions } = runAlerts(attack, ctx, 24 * 60 * MIN);
    const incident = finalGroups(decisions).get(attack[0]?.eventId ?? "");
    expect(decisions.some((d) => d.type === "incident.opened" && d.incidentId === incident)).toBe(true);
    expect(resolvedAt(decisions, incident)).toBe(T0 + 32 * MIN + silenceTimeout + resolveTimeout);
  });

  it("keeps an incident open while one of its findings is still re-published, though its alarms cleared", () => {
    const alarm = alert({ fingerprint: "alarm:orders-cpu", resources: [instance], eventTime: T0 });
    const clear = alert({ fingerprint: "alarm:orders-cpu", status: "resolved", resources: [instance], eventTime: T0 + 10 * MIN });
    const reports = [5, 20, 35, 50, 65].map((m, i) => finding("miner", m, i + 1));
    const { decisions } = runAlerts([alarm, reports[0], clear, ...reports.slice(1)] as Alert[], ctx, 24 * 60 * MIN);
    const incident = finalGroups(decisions).get(alarm.eventId);
    expect(resolvedAt(decisions, incident)).toBe(T0 + 65 * MIN + silenceTimeout + resolveTimeout);
  });

  it("takes a finding reported again after its incident resolved by silence as a new bout, not as part of the closed incident", () => {
    const first = [finding("probe", 0), finding("brute-force", 2)];
    const later = finding("brute-force", 2 + silenceTimeout / MIN + 3 * 60, 2);
    const { decisions } = runAlerts([...first, later], ctx, 24 * 60 * MIN);
    const groups = finalGroups(decisions);
    expect(resolvedAt(decisions, groups.get(first[0]?.eventId ?? ""))).toBeDefined();
    expect(groups.get(later.eventId)).not.toBe(groups.get(first[0]?.eventId ?? ""));
  });

  it("resolves an incident whose alarm stays stuck in ALARM after staleTimeout, and its late clear still joins that incident", () => {
    const stuck = [alert({ fingerprint: "alarm:orders-dlq", severity: "error", eventTime: T0 }), alert({ fingerprint: "alarm:orders-age", severity: "error", eventTime: T0 + MIN })];
    const ageClear = alert({ fingerprint: "alarm:orders-age", status: "resolved", eventTime: T0 + 20 * MIN });
    const lateClear = alert({ fingerprint: "alarm:orders-dlq", status: "resolved", eventTime: T0 + staleTimeout + 60 * MIN });
    const { decisions } = runAlerts([...stuck, ageClear, lateClear], ctx, 24 * 60 * MIN);
    const incident = finalGroups(decisions).get(stuck[0]?.eventId ?? "");
    expect(resolvedAt(decisions, incident)).toBe(T0 + staleTimeout + resolveTimeout);
    expect(finalGroups(decisions).get(lateClear.eventId)).toBe(incident);
  });

  it("keeps the state bounded over two weeks of attacks that never clear, one every few hours", () => {
    const bouts = Array.from({ length: 14 * 6 }, (_, b) => [finding(`probe-${b}`, b * 240), finding(`brute-${b}`, b * 240 + 2), finding(`brute-${b}`, b * 240 + 17, 2)]).flat();
    const { state, decisions } = runAlerts(bouts, ctx);
    const open = Object.values(state.groups).filter((g) => g.status === "open");
    expect(decisions.filter((d) => d.type === "incident.opened").length).toBe(14 * 6);
    expect(open.length).toBeLessThanOrEqual(1);
    expect(Object.keys(state.groups).length).toBeLessThanOrEqual(3);
    expect(JSON.stringify(state).length).toBeLessThan(20_000);
  });
});
