import { describe, expect, it } from "vitest";
import { alertFactory, finalGroups, MIN, runAlerts, T0 } from "./alert-factory";
import { type Alert, buildTopology, createGroupingState, type Decision, ingest, parseGroupingConfig, tick } from "../../../core/grouping";

const topology = buildTopology({ services: [{ name: "search", dependsOn: [] }, { name: "catalog", dependsOn: [] }, { name: "auth", dependsOn: [] }] });
const ctx = { topology, config: parseGroupingConfig({}) };

const alert = alertFactory({ service: "search", prefix: "zone-ev" });
const run = (alerts: Alert[]): Decision[] => runAlerts(alerts, ctx).decisions;

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

  it("leaves alone a group whose only tie to the zone is a busy host there (its CPU alarm says nothing of the zone's health)", () => {
    const cpu = alert({ fingerprint: "alarm:search-cpu", az: "us-east-1a", eventTime: T0 + 5 * MIN, labels: { metricName: "CPUUtilization", namespace: "AWS/EC2" } });
    const ds = run([cpu, health(T0 + 12 * MIN)]);
    expect(ds.filter((d) => d.type === "incident.merged")).toHaveLength(0);
  });

  it("gathers nothing at an update of the announcement: a failure begun in the zone since, that did not join, is its own", () => {
    const search = alert({ fingerprint: "alarm:search-unhealthy", az: "us-east-1a", eventTime: T0, labels: { metricName: "UnHealthyHostCount" } });
    // The zone went quiet after the announcement; 40 minutes later catalog's instance fails there, and then AWS Health updates its notice.
    const check = alert({ fingerprint: "alarm:catalog-status-check", service: "catalog", az: "us-east-1a", eventTime: T0 + 40 * MIN, labels: { metricName: "StatusCheckFailed" } });
    const hosts = alert({ fingerprint: "alarm:catalog-unhealthy", service: "catalog", az: "us-east-1a", eventTime: T0 + 41 * MIN, labels: { metricName: "UnHealthyHostCount" } });
    const ds = run([search, health(T0 + 2 * MIN), check, hosts, health(T0 + 45 * MIN)]);
    const groups = finalGroups(ds);
    expect(groups.get(search.eventId)).not.toBe(groups.get(check.eventId));
    expect(ds.filter((d) => d.type === "incident.merged")).toHaveLength(1);
  });

  it("leaves alone a group that began failing in a healthy zone, though it drew in a sign of the impaired one", () => {
    const check = alert({ fingerprint: "alarm:search-status-check", az: "us-east-1b", eventTime: T0 + 5 * MIN, labels: { metricName: "StatusCheckFailed", namespace: "AWS/EC2" } });
    const cache = alert({ fingerprint: "alarm:search-cache-cpu", az: "us-east-1a", eventTime: T0 + 6 * MIN, labels: { metricName: "EngineCPUUtilization", namespace: "AWS/ElastiCache" } });
    const ds = run([check, cache, health(T0 + 12 * MIN)]);
    expect(finalGroups(ds).get(cache.eventId)).toBe(finalGroups(ds).get(check.eventId));
    expect(ds.filter((d) => d.type === "incident.merged")).toHaveLength(0);
  });

  it("gathers a group tied to the zone by a cache node's saturation there (it slows every call to it)", () => {
    const cache = alert({ fingerprint: "alarm:search-cache-cpu", az: "us-east-1a", eventTime: T0 + 5 * MIN, labels: { metricName: "EngineCPUUtilization", namespace: "AWS/ElastiCache" } });
    const ds = run([cache, health(T0 + 12 * MIN)]);
    expect(ds.filter((d) => d.type === "incident.merged")).toHaveLength(1);
  });
});

describe("correlate: zone impairments detected before AWS Health says so", () => {
  const services = ["search", "catalog", "auth", "orders", "api"];
  const wide = buildTopology({ services: services.map((name) => ({ name, dependsOn: [] })) });
  const wideCtx = { topology: wide, config: parseGroupingConfig({}) };
  const runWide = (alerts: Alert[]) => {
    const state = createGroupingState();
    const ds: Decision[] = [];
    for (const a of alerts) {
      ds.push(...tick(state, a.eventTime, wideCtx).decisions);
      ds.push(...ingest(state, a, a.eventTime, wideCtx).decisions);
    }
    return ds;
  };
  const statusCheck = (service: string, at: number, az = "us-east-1a") =>
    alert({ fingerprint: `alarm:${service}-status-check-${az}`, service, az, eventTime: at, labels: { metricName: "StatusCheckFailed" } });

  it("gathers zone-tied failures of four services within minutes into one incident, and pulls in the region's zone-less symptoms", () => {
    const burst = ["search", "catalog", "auth", "orders"].map((s, i) => statusCheck(s, T0 + i * MIN));
    const symptom = alert({ fingerprint: "alarm:api-5xx", service: "api", eventTime: T0 + 6 * MIN });
    const ds = runWide([...burst, symptom]);
    const groups = finalGroups(ds);
    const incident = groups.get(burst[0]?.eventId ?? "");
    for (const a of [...burst, symptom]) expect(groups.get(a.eventId)).toBe(incident);
    expect(ds.some((d) => d.type === "incident.opened" && d.incidentId === incident)).toBe(true);
    expect(ds.some((d) => d.type === "alert.attached" && d.eventId === symptom.eventId && d.link === "zone" && d.muted)).toBe(true);
    // For people: the zone the symptom was taken in through, though it names none.
    expect(ds.find((d) => d.type === "alert.attached" && d.eventId === symptom.eventId)).toMatchObject({ through: `us-east-1/${burst[0]?.az}` });
  });

  it("takes no regional service's or quota's alarm (a table's throttles, a queue's age, a function's throttles), neither by the region it names no zone of nor through its service", () => {
    const burst = ["search", "catalog", "auth", "orders"].map((s, i) => statusCheck(s, T0 + i * MIN));
    const throttles = alert({ fingerprint: "alarm:api-ddb-throttles", service: "api", eventTime: T0 + 6 * MIN, labels: { metricName: "ReadThrottleEvents", namespace: "AWS/DynamoDB" } });
    const queue = alert({ fingerprint: "alarm:search-queue-age", service: "search", eventTime: T0 + 7 * MIN, labels: { metricName: "ApproximateAgeOfOldestMessage", namespace: "AWS/SQS" } });
    const errors = alert({ fingerprint: "alarm:api-lambda-errors", service: "api", eventTime: T0 + 8 * MIN, labels: { metricName: "Errors", namespace: "AWS/Lambda" } });
    // A function's throttles are its region's concurrency quota running out.
    const quota = alert({ fingerprint: "alarm:auth-lambda-throttles", service: "auth", eventTime: T0 + 8 * MIN, labels: { metricName: "Throttles", namespace: "AWS/Lambda" } });
    const groups = finalGroups(runWide([...burst, throttles, queue, errors, quota]));
    const incident = groups.get(burst[0]?.eventId ?? "");
    expect(groups.get(throttles.eventId)).not.toBe(incident);
    expect(groups.get(queue.eventId)).not.toBe(incident);
    expect(groups.get(quota.eventId)).not.toBe(incident);
    // A function's errors still do: functions run in the zones of their VPC.
    expect(groups.get(errors.eventId)).toBe(incident);
  });

  it("gathers an incident whose failure began with the burst, though a prelude it took in dates it an hour earlier", () => {
    const host = "arn:aws:ec2:us-east-1:111111111111:instance/i-5";
    // A quiet finding on orders' instance, then the instance fails its status check as the zone goes.
    const finding = alert({ fingerprint: "finding:probe", service: "orders", severity: "info", source: "aws.guardduty", kind: "guardduty.finding", resources: [host], eventTime: T0 - 60 * MIN });
    const check = alert({ fingerprint: "alarm:orders-status-check-i-5", service: "orders", az: "us-east-1a", resources: [host], eventTime: T0, labels: { metricName: "StatusCheckFailed" } });
    const errors = alert({ fingerprint: "alarm:orders-5xx", service: "orders", eventTime: T0 + 0.5 * MIN });
    const burst = ["search", "catalog", "auth"].map((s, i) => statusCheck(s, T0 + (1 + i) * MIN));
    const groups = finalGroups(runWide([finding, check, errors, ...burst]));
    expect(groups.get(check.eventId)).toBe(groups.get(burst[0]?.eventId ?? ""));
    expect(groups.get(finding.eventId)).toBe(groups.get(check.eventId));
  });

  it("takes no zone-less CPU or memory alarm of the region: an impaired zone makes hosts unreachable, not busy", () => {
    const burst = ["search", "catalog", "auth", "orders"].map((s, i) => statusCheck(s, T0 + i * MIN));
    const memory = alert({ fingerprint: "alarm:api-memory", service: "api", eventTime: T0 + 6 * MIN, labels: { metricName: "MemoryUtilization", namespace: "AWS/ECS" } });
    const groups = finalGroups(runWide([...burst, memory]));
    expect(groups.get(memory.eventId)).not.toBe(groups.get(burst[0]?.eventId ?? ""));
  });

  it("takes in at its verdict a lone zone-less failure that began just before the impairment showed, not a regional service's or another region's", () => {
    const burst = () => ["search", "catalog", "auth", "orders"].map((s, i) => statusCheck(s, T0 + i * MIN));
    const cleared = (a: Alert): Alert => ({ ...a, eventId: `${a.eventId}-ok`, status: "resolved", eventTime: T0 + 9 * MIN });
    const verdicts = (before: Alert) => {
      const zone = burst();
      const ds = runAlerts([before, ...zone, cleared(before)], wideCtx, 3 * 60 * MIN).decisions;
      return { incident: finalGroups(ds).get(zone[0]?.eventId ?? ""), groups: finalGroups(ds), suppressed: ds.flatMap((d) => (d.type === "alert.suppressed" ? [d.eventId] : [])) };
    };
    // Founded before the burst, so no gathering took it; its own next firings would rejoin it, not the impairment.
    const errors = alert({ fingerprint: "alarm:api-5xx", service: "api", eventTime: T0 - 2 * MIN });
    const taken = verdicts(errors);
    expect(taken.groups.get(errors.eventId)).toBe(taken.incident);
    expect(taken.groups.get(`${errors.eventId}-ok`)).toBe(taken.incident);
    expect(taken.suppressed).toEqual([]);
    const throttles = alert({ fingerprint: "alarm:api-ddb-throttles", service: "api", eventTime: T0 - 2 * MIN, labels: { namespace: "AWS/DynamoDB" } });
    expect(verdicts(throttles).suppressed).toEqual([throttles.eventId, `${throttles.eventId}-ok`]);
    const west = alert({ fingerprint: "alarm:api-5xx-west", service: "api", region: "us-west-2", eventTime: T0 - 2 * MIN });
    expect(verdicts(west).suppressed).toEqual([west.eventId, `${west.eventId}-ok`]);
  });

  it("takes nothing from another region through its services: an impaired zone fails its own region only", () => {
    const burst = ["search", "catalog", "auth", "orders"].map((s, i) => statusCheck(s, T0 + i * MIN));
    const west = alert({ fingerprint: "alarm:search-cpu-west", service: "search", region: "us-west-2", eventTime: T0 + 6 * MIN });
    const groups = finalGroups(runWide([...burst, west]));
    expect(groups.get(west.eventId)).not.toBe(groups.get(burst[0]?.eventId ?? ""));
  });

  it("does not take failures in three services, or spread over more than the burst window, as an impairment", () => {
    const three = runWide(["search", "catalog", "auth"].map((s, i) => statusCheck(s, T0 + i * MIN)));
    expect(new Set(finalGroups(three).values()).size).toBe(3);
    const slow = runWide(["search", "catalog", "auth", "orders"].map((s, i) => statusCheck(s, T0 + i * 4 * MIN)));
    expect(new Set(finalGroups(slow).values()).size).toBe(4);
  });

  it("stops drawing the zone's alerts in once AWS Health gives the all-clear", () => {
    const burst = ["search", "catalog", "auth", "orders"].map((s, i) => statusCheck(s, T0 + i * MIN));
    const clear = alert({ ...health(T0 + 8 * MIN), status: "resolved" });
    const after = statusCheck("api", T0 + 9 * MIN);
    const ds = runWide([...burst, health(T0 + 5 * MIN), clear, after]);
    const groups = finalGroups(ds);
    expect(groups.get(burst[3]?.eventId ?? "")).toBe(groups.get(burst[0]?.eventId ?? ""));
    expect(groups.get(after.eventId)).not.toBe(groups.get(burst[0]?.eventId ?? ""));
  });

  it("takes no finding about an instance it holds (a compromise is no zone's doing), but that instance's stop", () => {
    const instance = "arn:aws:ec2:us-east-1:111111111111:instance/i-9";
    const alarm = "arn:aws:cloudwatch:us-east-1:111111111111:alarm:search-status-check-i-9";
    const burst = ["search", "catalog", "auth", "orders"].map((s, i) => statusCheck(s, T0 + i * MIN));
    burst[0] = { ...burst[0]!, fingerprint: `alarm:${alarm}`, resources: [alarm, instance] };
    const finding = alert({ fingerprint: "finding:i-9", source: "aws.guardduty", kind: "guardduty.finding", resources: [instance], eventTime: T0 + 6 * MIN });
    const stop = alert({ fingerprint: `ec2-state:${instance}`, severity: "info", source: "aws.ec2", kind: "ec2.instance-state-change", resources: [instance], az: "us-east-1a", eventTime: T0 + 7 * MIN });
    const groups = finalGroups(runWide([...burst, finding, stop]));
    expect(groups.get(finding.eventId)).not.toBe(groups.get(burst[0].eventId));
    expect(groups.get(stop.eventId)).toBe(groups.get(burst[0].eventId));
  });

  it("takes no instance launched in the impaired zone: lost capacity comes back in the healthy zones", () => {
    const burst = ["search", "catalog", "auth", "orders"].map((s, i) => statusCheck(s, T0 + i * MIN));
    const launch = alert({ fingerprint: "ec2-state:arn:aws:ec2:us-east-1:111111111111:instance/i-new", status: "resolved", severity: "info", source: "aws.ec2", kind: "ec2.instance-state-change", az: "us-east-1a", eventTime: T0 + 6 * MIN });
    const groups = finalGroups(runWide([...burst, launch]));
    expect(groups.get(launch.eventId)).not.toBe(groups.get(burst[0]?.eventId ?? ""));
  });

  it("takes no new alarm of its services or their callers by service or dependency once the zone recovered", () => {
    const burst = ["search", "catalog", "auth", "orders"].map((s, i) => statusCheck(s, T0 + i * MIN));
    const clear = alert({ ...health(T0 + 8 * MIN), status: "resolved" });
    const during = alert({ fingerprint: "alarm:search-5xx", service: "search", eventTime: T0 + 6 * MIN });
    const after = alert({ fingerprint: "alarm:search-latency", service: "search", eventTime: T0 + 10 * MIN });
    const groups = finalGroups(runWide([...burst, health(T0 + 5 * MIN), during, clear, after]));
    expect(groups.get(during.eventId)).toBe(groups.get(burst[0]?.eventId ?? ""));
    expect(groups.get(after.eventId)).not.toBe(groups.get(burst[0]?.eventId ?? ""));
  });
});

describe("correlate: a service whose first alarm in an impaired zone cleared", () => {
  const status = (fingerprint: string, az: string, at: number, status: "firing" | "resolved" = "firing") =>
    alert({ fingerprint, az, status, labels: { metricName: "StatusCheckFailed", namespace: "AWS/EC2" }, eventTime: T0 + at * MIN });

  it("still sends the service's next alarm to the impairment, not to its own host failure in a healthy zone", () => {
    // search loses a host in us-east-1b (its own incident, failing on); then us-east-1a is impaired, where search's first check cleared.
    const host = [status("alarm:search-check-1b", "us-east-1b", 0), alert({ fingerprint: "alarm:search-unhealthy-1b", az: "us-east-1b", eventTime: T0 + 0.5 * MIN })];
    const zone = [status("alarm:search-check-1a", "us-east-1a", 2), health(T0 + 3 * MIN), status("alarm:search-check-1a", "us-east-1a", 5, "resolved")];
    const latency = alert({ fingerprint: "alarm:search-latency", eventTime: T0 + 8 * MIN });
    const groups = finalGroups(run([...host, ...zone, latency].sort((a, b) => a.eventTime - b.eventTime)));
    expect(groups.get(zone[0]!.eventId)).not.toBe(groups.get(host[0]!.eventId));
    expect(groups.get(latency.eventId)).toBe(groups.get(zone[0]!.eventId));
  });
});
