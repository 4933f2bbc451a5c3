import { describe, expect, it } from "vitest";
import { alertFactory, finalGroups, MIN, runAlerts, T0 } from "./alert-factory";
import { type Alert, buildTopology, type Decision, isLifecycleChange, parseGroupingConfig } from "../../../core/grouping";

// orders ← api: api calls orders.
const topology = buildTopology({ services: [{ name: "orders", dependsOn: [] }, { name: "api", dependsOn: ["orders"] }] });
const ctx = { topology, config: parseGroupingConfig({}) };
const alert = alertFactory({ service: "orders", prefix: "background-ev" });
const run = (alerts: Alert[]): Decision[] => runAlerts(alerts, ctx, 24 * 60 * MIN).decisions;
const opened = (ds: Decision[]) => ds.filter((d) => d.type === "incident.opened");
const suppressed = (ds: Decision[], eventId: string) => ds.some((d) => d.type === "alert.suppressed" && d.eventId === eventId);

const instance = (id: string) => `arn:aws:ec2:us-east-1:111111111111:instance/${id}`;
/** An instance the platform launched or stopped, reported as information (a scale-out or scale-in). */
const lifecycle = (id: string, at: number) =>
  alert({ fingerprint: `ec2-state:${instance(id)}`, severity: "info", source: "aws.ec2", kind: "ec2.instance-state-change", resources: [instance(id)], eventTime: at });
/** An orders failure: two alarms a minute apart, so it opens an incident. */
const failure = (at: number) => [alert({ fingerprint: "alarm:orders-5xx", eventTime: at }), alert({ fingerprint: "alarm:orders-errors", eventTime: at + MIN })];

describe("correlate: background activity is no failure's incident", () => {
  it("reads an informational instance state change as a lifecycle change, and a failing one as not", () => {
    expect(isLifecycleChange(lifecycle("i-1", T0))).toBe(true);
    expect(isLifecycleChange({ ...lifecycle("i-1", T0), severity: "error" })).toBe(false);
    expect(isLifecycleChange(alert({ fingerprint: "alarm:orders-5xx" }))).toBe(false);
  });

  it("keeps a scale-out that came first out of the failure that follows: a group with no evidence draws nothing by service", () => {
    const scaleOut = lifecycle("i-9", T0);
    const [first, second] = failure(T0 + 2 * MIN) as [Alert, Alert];
    const ds = run([scaleOut, first, second]);
    const groups = finalGroups(ds);
    expect(opened(ds)).toHaveLength(1);
    expect(groups.get(second.eventId)).toBe(groups.get(first.eventId));
    expect(groups.get(scaleOut.eventId)).not.toBe(groups.get(first.eventId));
    expect(suppressed(ds, scaleOut.eventId)).toBe(true);
  });

  it("keeps a scale-out of the failing service during its open incident out of it (another instance, no symptom)", () => {
    const [first, second] = failure(T0) as [Alert, Alert];
    const scaleOut = lifecycle("i-9", T0 + 3 * MIN);
    const ds = run([first, second, scaleOut]);
    const groups = finalGroups(ds);
    expect(groups.get(scaleOut.eventId)).not.toBe(groups.get(first.eventId));
    expect(suppressed(ds, scaleOut.eventId)).toBe(true);
  });
});

describe("correlate: a slow burn that comes back", () => {
  const memory = { labels: { metricName: "MemoryUtilization", namespace: "AWS/ECS" } };
  const cycle = (fingerprint: string, at: number, lasts: number) => [
    alert({ fingerprint, eventTime: at, ...memory }),
    alert({ fingerprint, status: "resolved", eventTime: at + lasts, ...memory }),
  ];

  it("opens an incident when a memory alarm's cycle comes back an hour after it cleared, with both cycles in it", () => {
    const first = cycle("alarm:mem-i-1", T0, 8 * MIN);
    const second = cycle("alarm:mem-i-1", T0 + 70 * MIN, 8 * MIN);
    const ds = run([...first, ...second]);
    expect(opened(ds)).toHaveLength(1);
    const groups = finalGroups(ds);
    expect(suppressed(ds, first[0]?.eventId ?? "")).toBe(false);
    expect(groups.get(second[0]?.eventId ?? "")).toBe(groups.get(first[0]?.eventId ?? ""));
  });

  it("does not take a memory alarm that fires again soon after it cleared, or one that flaps, as a leak", () => {
    const soon = run([...cycle("alarm:mem-i-1", T0, 4 * MIN), ...cycle("alarm:mem-i-1", T0 + 10 * MIN, 4 * MIN)]);
    expect(opened(soon)).toHaveLength(0);
    const flapping = run([0, 20, 40, 60].flatMap((m) => cycle("alarm:mem-i-2", T0 + m * MIN, 3 * MIN)));
    expect(opened(flapping)).toHaveLength(0);
  });
});
