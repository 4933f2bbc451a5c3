import { describe, expect, it } from "vitest";
import { alertFactory, finalGroups, MIN, runAlerts, T0 } from "./alert-factory";
import { type Alert, buildTopology, type Decision, parseGroupingConfig } from "../../../core/grouping";

const topology = buildTopology({ services: [{ name: "analytics", dependsOn: [] }, { name: "platform", dependsOn: [] }] });
const ctx = { topology, config: parseGroupingConfig({}) };
const HOUR = 60 * MIN;
const alert = alertFactory({ service: "analytics", prefix: "spend-ev" });
const instance = (id: number, account = "111111111111") => `arn:aws:ec2:us-east-1:${account}:instance/i-0f${id}`;

/** An idle instance's CPU alarm (below its threshold), firing at `minute`. */
const idle = (id: number, minute: number, over: Partial<Alert> = {}): Alert => {
  const arn = `arn:aws:cloudwatch:us-east-1:111111111111:alarm:analytics-cpu-idle-${id}`;
  return alert({ fingerprint: `alarm:${arn}`, resources: [arn, instance(id)], eventTime: T0 + minute * MIN, labels: { namespace: "AWS/EC2", metricName: "CPUUtilization", thresholdSide: "below" }, ...over });
};
/** An instance's launch (reported as a clear) or stop (information), at `minute`. */
const lifecycle = (id: number, minute: number, status: Alert["status"]): Alert =>
  alert({ fingerprint: `ec2-state:${instance(id)}`, status, severity: "info", source: "aws.ec2", kind: "ec2.instance-state-change", resources: [instance(id)], eventTime: T0 + minute * MIN });
const billing = (minute: number, account = "111111111111"): Alert => {
  const arn = `arn:aws:cloudwatch:us-east-1:${account}:alarm:billing-estimated-charges`;
  return alert({ fingerprint: `alarm:${arn}`, resources: [arn], service: "platform", account, eventTime: T0 + minute * MIN, labels: { namespace: "AWS/Billing", metricName: "EstimatedCharges", thresholdSide: "above" } });
};
const costAnomaly = (minute: number, account = "111111111111"): Alert =>
  alert({ fingerprint: `cost:anomaly-${minute}`, severity: "error", source: "aws.ce", kind: "cost.anomaly-detected", resources: [], service: undefined, account, eventTime: T0 + minute * MIN });
const advisor = (id: number, minute: number, checkName = "Low Utilization Amazon EC2 Instances"): Alert =>
  alert({ fingerprint: `generic:ta:${checkName}:${id}`, source: "aws.trustedadvisor", kind: "generic", resources: [instance(id)], eventTime: T0 + minute * MIN, labels: { checkName } });

const groupsOf = (alerts: readonly Alert[], decisions: readonly Decision[]) => {
  const groups = finalGroups(decisions, alerts);
  return alerts.map((a) => groups.get(a.eventId));
};

describe("correlate: spend", () => {
  it("gathers an idle fleet's launches, alarms and stops, its Trusted Advisor items, the account's bill and a cost anomaly hours later into one incident", () => {
    const fleet = [1, 2, 3];
    const story = [
      ...fleet.map((id) => lifecycle(id, id, "resolved")),
      ...fleet.map((id) => idle(id, 80 + id)),
      ...fleet.map((id) => advisor(id, 5 * 60 + id)),
      billing(7 * 60),
      costAnomaly(15 * 60),
      ...fleet.map((id) => lifecycle(id, 20 * 60 + id, "firing")),
    ];
    const { decisions } = runAlerts(story, ctx, 48 * HOUR);
    const groups = groupsOf(story, decisions);
    expect(groups[0]).toBeDefined();
    expect(new Set(groups)).toEqual(new Set([groups[0]]));
    expect(decisions.filter((d) => d.type === "incident.opened")).toHaveLength(1);
  });

  it("holds a spend incident open while its idle alarm stays in ALARM past staleTimeout, so the fleet's stop hours later joins it", () => {
    const story = [lifecycle(1, 0, "resolved"), idle(1, 80), idle(2, 81), lifecycle(1, 80 + ctx.config.staleTimeout / MIN + 2 * 60, "firing")];
    const { decisions } = runAlerts(story, ctx, 48 * HOUR);
    const groups = groupsOf(story, decisions);
    expect(groups[3]).toBe(groups[1]);
    expect(decisions.filter((d) => d.type === "incident.resolved")).toHaveLength(1);
  });

  it("keeps an idle alarm out of its service's failure: an idle host is no symptom", () => {
    const errors = alert({ fingerprint: "alarm:analytics-5xx", severity: "error", eventTime: T0 });
    const latency = alert({ fingerprint: "alarm:analytics-p99", severity: "error", eventTime: T0 + MIN });
    const idler = idle(7, 3);
    const groups = groupsOf([errors, latency, idler], runAlerts([errors, latency, idler], ctx).decisions);
    expect(groups[1]).toBe(groups[0]);
    expect(groups[2]).not.toBe(groups[0]);
  });

  it("leaves an instance of the regular fleet idling for a while out of a forgotten fleet's incident", () => {
    const fleet = [lifecycle(1, 0, "resolved"), lifecycle(2, 0, "resolved"), idle(1, 80), idle(2, 81)];
    const regular = idle(9, 95);
    const groups = groupsOf([...fleet, regular], runAlerts([...fleet, regular], ctx).decisions);
    expect(groups[3]).toBe(groups[2]);
    expect(groups[4]).not.toBe(groups[2]);
  });

  it("takes no other account's bill or cost anomaly, and no Trusted Advisor check that is not about cost", () => {
    const fleet = [idle(1, 0), idle(2, 1)];
    const others = [billing(60, "222222222222"), costAnomaly(120, "222222222222"), advisor(1, 30, "Security Groups - Specific Ports Unrestricted")];
    const groups = groupsOf([...fleet, ...others], runAlerts([...fleet, ...others], ctx).decisions);
    expect(groups[1]).toBe(groups[0]);
    for (const g of groups.slice(2)) expect(g).not.toBe(groups[0]);
  });

  it("lets a spend incident resolve spendWindow after its last report", () => {
    const story = [idle(1, 0), idle(2, 1), costAnomaly(60)];
    const { decisions } = runAlerts(story, ctx, 72 * HOUR);
    const resolved = decisions.find((d): d is Extract<Decision, { type: "incident.resolved" }> => d.type === "incident.resolved");
    expect(resolved?.at).toBe(T0 + 60 * MIN + ctx.config.spendWindow + ctx.config.resolveTimeout);
  });
});
