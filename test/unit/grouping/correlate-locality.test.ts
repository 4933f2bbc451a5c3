import { describe, expect, it } from "vitest";
import { alertFactory, finalGroups, MIN, runAlerts, T0 } from "./alert-factory";
import { type Alert, buildTopology, isHostLocalSignal, parseGroupingConfig } from "../../../core/grouping";

// orders ← api: api calls orders, so an orders failure shows at api as latency and errors.
const topology = buildTopology({
  services: [
    { name: "orders", dependsOn: [] },
    { name: "api", dependsOn: ["orders"] },
  ],
});
const ctx = { topology, config: parseGroupingConfig({}) };
const alert = alertFactory({ service: "orders", prefix: "locality-ev" });
const run = (alerts: Alert[]) => finalGroups(runAlerts(alerts, ctx, 24 * 60 * MIN).decisions);
const metric = (metricName: string, namespace: string) => ({ labels: { metricName, namespace } });

/** An orders failure in us-east-1: two alarms a minute apart, so it opens an incident. */
const failure = (region = "us-east-1"): Alert[] => [
  alert({ fingerprint: `alarm:orders-5xx-${region}`, region, ...metric("HTTPCode_Target_5XX_Count", "AWS/ApplicationELB") }),
  alert({ fingerprint: `alarm:orders-errors-${region}`, region, eventTime: T0 + MIN, ...metric("RequestErrors", "App/Orders") }),
];

describe("correlate: signals that stay where they are", () => {
  it("tells host-local signals (CPU, memory, instance lifecycle, planned maintenance) from ones that travel along calls", () => {
    expect(isHostLocalSignal(alert({ fingerprint: "alarm:cpu", ...metric("CPUUtilization", "AWS/EC2") }))).toBe(true);
    expect(isHostLocalSignal(alert({ fingerprint: "alarm:mem", ...metric("mem_used_percent", "CWAgent") }))).toBe(true);
    expect(isHostLocalSignal(alert({ fingerprint: "ec2-state:i-1", source: "aws.ec2", kind: "ec2.instance-state-change" }))).toBe(true);
    const health = { source: "aws.health", kind: "health.event" };
    expect(isHostLocalSignal(alert({ fingerprint: "health:m", ...health, labels: { eventTypeCategory: "scheduledChange" } }))).toBe(true);
    expect(isHostLocalSignal(alert({ fingerprint: "health:i", ...health, labels: { eventTypeCategory: "issue" } }))).toBe(false);
    expect(isHostLocalSignal(alert({ fingerprint: "alarm:5xx", ...metric("HTTPCode_Target_5XX_Count", "AWS/ApplicationELB") }))).toBe(false);
  });

  it("joins a caller's errors to its dependency's failure, but not the caller's CPU alarm", () => {
    const [first, second] = failure();
    const callerErrors = alert({ fingerprint: "alarm:api-5xx", service: "api", eventTime: T0 + 2 * MIN, ...metric("HTTPCode_Target_5XX_Count", "AWS/ApplicationELB") });
    const callerCpu = alert({ fingerprint: "alarm:api-cpu", service: "api", eventTime: T0 + 3 * MIN, ...metric("CPUUtilization", "AWS/EC2") });
    const groups = run([first, second, callerErrors, callerCpu] as Alert[]);
    expect(groups.get(callerErrors.eventId)).toBe(groups.get(first?.eventId ?? ""));
    expect(groups.get(callerCpu.eventId)).not.toBe(groups.get(first?.eventId ?? ""));
  });

  it("joins a caller's errors only in the region where its dependency fails", () => {
    const [first, second] = failure("us-east-1");
    const sameRegion = alert({ fingerprint: "alarm:api-5xx-east", service: "api", eventTime: T0 + 2 * MIN });
    const otherRegion = alert({ fingerprint: "alarm:api-5xx-west", service: "api", region: "us-west-2", eventTime: T0 + 2 * MIN });
    const groups = run([first, second, sameRegion, otherRegion] as Alert[]);
    expect(groups.get(sameRegion.eventId)).toBe(groups.get(first?.eventId ?? ""));
    expect(groups.get(otherRegion.eventId)).not.toBe(groups.get(first?.eventId ?? ""));
  });

  it("takes the same service failing in a second region into an open incident (a rollout), not into a lone warning's pending group", () => {
    const [first, second] = failure("us-east-1");
    const rollout = alert({ fingerprint: "alarm:orders-5xx-west", region: "us-west-2", eventTime: T0 + 12 * MIN });
    const opened = run([first, second, rollout] as Alert[]);
    expect(opened.get(rollout.eventId)).toBe(opened.get(first?.eventId ?? ""));

    const lone = alert({ fingerprint: "alarm:orders-mem-west", region: "us-west-2", ...metric("mem_used_percent", "CWAgent") });
    const elsewhere = alert({ fingerprint: "alarm:orders-5xx-east", region: "us-east-1", eventTime: T0 + 2 * MIN });
    const pending = run([lone, elsewhere]);
    expect(pending.get(elsewhere.eventId)).not.toBe(pending.get(lone.eventId));
  });

  it("takes the same service failing in a second region after the first recovered into the still open incident, anchored there", () => {
    const east = failure("us-east-1");
    const recovered = east.map((a, i) => ({ ...a, eventId: `clear-${i}`, status: "resolved" as const, eventTime: T0 + (12 + i) * MIN }));
    const west = alert({ fingerprint: "alarm:orders-5xx-west", region: "us-west-2", eventTime: T0 + 20 * MIN });
    const westErrors = alert({ fingerprint: "alarm:orders-errors-west", region: "us-west-2", eventTime: T0 + 21 * MIN, ...metric("RequestErrors", "App/Orders") });
    const groups = run([...east, ...recovered, west, westErrors]);
    expect(groups.get(west.eventId)).toBe(groups.get(east[0]?.eventId ?? ""));
    expect(groups.get(westErrors.eventId)).toBe(groups.get(east[0]?.eventId ?? ""));
  });

  it("takes the same service failing in a second region while the first still fires, once the cascade window is over", () => {
    // The first region's alarms keep the incident anchored, but past the cascade window no service link takes the new region.
    const east = [...failure("us-east-1"), alert({ fingerprint: "alarm:orders-latency-east", eventTime: T0 + 10 * MIN, ...metric("TargetResponseTime", "AWS/ApplicationELB") })];
    const west = alert({ fingerprint: "alarm:orders-5xx-west", region: "us-west-2", eventTime: T0 + 18 * MIN });
    const westErrors = alert({ fingerprint: "alarm:orders-errors-west", region: "us-west-2", eventTime: T0 + 19 * MIN, ...metric("RequestErrors", "App/Orders") });
    const groups = run([...east, west, westErrors]);
    expect(groups.get(west.eventId)).toBe(groups.get(east[0]?.eventId ?? ""));
    expect(groups.get(westErrors.eventId)).toBe(groups.get(east[0]?.eventId ?? ""));
  });

  it("does not take the same service failing in another region into an incident tied to a zone (failed hosts do not roll out)", () => {
    const zonal = failure("us-east-1").map((a) => ({ ...a, az: "us-east-1a" }));
    const west = alert({ fingerprint: "alarm:orders-5xx-west", region: "us-west-2", eventTime: T0 + 12 * MIN });
    const groups = run([...zonal, west]);
    expect(groups.get(zonal[1]?.eventId ?? "")).toBe(groups.get(zonal[0]?.eventId ?? ""));
    expect(groups.get(west.eventId)).not.toBe(groups.get(zonal[0]?.eventId ?? ""));
  });
});

describe("correlate: the platform acting on a failing instance", () => {
  const instance = (id: string) => `arn:aws:ec2:us-east-1:111111111111:instance/${id}`;
  const statusCheck = alert({
    fingerprint: "alarm:arn:aws:cloudwatch:us-east-1:111111111111:alarm:orders-status-check-i-1",
    resources: ["arn:aws:cloudwatch:us-east-1:111111111111:alarm:orders-status-check-i-1", instance("i-1")],
    az: "us-east-1a",
    ...metric("StatusCheckFailed", "AWS/EC2"),
  });
  const stopped = (id: string) =>
    alert({ fingerprint: `ec2-state:${instance(id)}`, severity: "info", source: "aws.ec2", kind: "ec2.instance-state-change", resources: [instance(id)], az: "us-east-1a", eventTime: T0 + 3 * MIN });
  const opened = (alerts: Alert[]) => runAlerts(alerts, ctx, 24 * 60 * MIN).decisions.filter((d) => d.type === "incident.opened");

  it("opens an incident when the instance whose status check fails is then stopped, and joins the stop to it", () => {
    const stop = stopped("i-1");
    const groups = run([statusCheck, stop]);
    expect(opened([statusCheck, stop])).toHaveLength(1);
    expect(groups.get(stop.eventId)).toBe(groups.get(statusCheck.eventId));
  });

  it("takes another instance of the service stopping (a scale-in) as no evidence of the failure", () => {
    const blip = { ...statusCheck, eventId: "check-clear", status: "resolved" as const, eventTime: T0 + 4 * MIN };
    expect(opened([statusCheck, stopped("i-2"), blip])).toHaveLength(0);
  });

  it("opens a lone alarm of failing calls that stayed firing loneSustain once it cleared, not a shorter one nor a host's load", () => {
    const episode = (fingerprint: string, minutes: number, over: Partial<Alert> = {}) => {
      const firing = alert({ fingerprint, eventTime: T0, ...over });
      return [firing, { ...firing, eventId: `${fingerprint}-clear`, status: "resolved" as const, eventTime: T0 + minutes * MIN }];
    };
    const long = ctx.config.loneSustain / MIN + 5;
    const errors = runAlerts(episode("alarm:orders-5xx", long, metric("HTTPCode_Target_5XX_Count", "AWS/ApplicationELB")), ctx, 24 * 60 * MIN).decisions;
    expect(errors.filter((d) => d.type === "incident.opened")).toMatchObject([{ at: T0 + long * MIN + ctx.config.correlationWindow + ctx.config.allowedLateness }]);
    expect(opened(episode("alarm:orders-5xx", 8, metric("HTTPCode_Target_5XX_Count", "AWS/ApplicationELB")))).toHaveLength(0);
    expect(opened(episode("alarm:orders-cpu", long, metric("CPUUtilization", "AWS/EC2")))).toHaveLength(0);
  });

  it("opens a lone host failing its status checks for longer than the transient pause at its verdict, not a blip", () => {
    const clearAt = (minutes: number) => ({ ...statusCheck, eventId: `check-clear-${minutes}`, status: "resolved" as const, eventTime: T0 + minutes * MIN });
    const failed = runAlerts([statusCheck, clearAt(12)], ctx, 24 * 60 * MIN).decisions;
    const verdict = T0 + 12 * MIN + ctx.config.correlationWindow + ctx.config.allowedLateness;
    expect(failed.filter((d) => d.type === "incident.opened")).toMatchObject([{ at: verdict }]);
    expect(opened([statusCheck, clearAt(3)])).toHaveLength(0);
  });
});
