import { describe, expect, it } from "vitest";
import { alertFactory, finalGroups as groupsOf, MIN, runAlerts, T0 } from "./alert-factory";
import {
  type Alert,
  buildTopology,
  createGroupingState,
  type Decision,
  ingest,
  isSlowBurnSignal,
  isZoneHealthSignal,
  parseGroupingConfig,
  subjectOf,
  tick,
} from "../../../core/grouping";

// db ← orders ← api ← web: a failure propagates to callers, one hop at a time.
const topology = buildTopology({
  services: [
    { name: "db", dependsOn: [] },
    { name: "orders", dependsOn: ["db"] },
    { name: "api", dependsOn: ["orders"] },
    { name: "web", dependsOn: ["api"] },
    { name: "search", dependsOn: [] },
    { name: "auth", dependsOn: [] },
    { name: "cart", dependsOn: [] },
  ],
});
const ctx = { topology, config: parseGroupingConfig({}) };

const alert = alertFactory({ service: "orders", prefix: "cascade-ev" });
const run = (alerts: Alert[]) => runAlerts(alerts, ctx, 24 * 60 * MIN);

const metric = (metricName: string, namespace = "AWS/EC2") => ({ labels: { metricName, namespace } });

describe("correlate: how failures propagate along dependencies", () => {
  it("joins a direct caller's alert to the failure, but not a caller two hops away that shares no alerting service", () => {
    const cause = alert({ fingerprint: "alarm:db-latency", service: "db" });
    const owner = alert({ fingerprint: "alarm:orders-5xx", eventTime: T0 + MIN });
    const twoHops = alert({ fingerprint: "alarm:web-5xx", service: "web", eventTime: T0 + 2 * MIN });
    const groups = groupsOf(run([cause, owner, twoHops]).decisions);
    expect(groups.get(owner.eventId)).toBe(groups.get(cause.eventId));
    expect(groups.get(twoHops.eventId)).not.toBe(groups.get(cause.eventId));
  });

  it("adopts a dependency alerting after its callers' errors as their cause, but not after a caller's busy host alone", () => {
    const callerErrors = alert({ fingerprint: "alarm:orders-5xx" });
    const dbLate = alert({ fingerprint: "alarm:db-latency", service: "db", eventTime: T0 + MIN });
    const { decisions } = run([callerErrors, dbLate]);
    const adopted = groupsOf(decisions);
    expect(adopted.get(dbLate.eventId)).toBe(adopted.get(callerErrors.eventId));
    // Why, for people: it joined by dependency, the other way round, through the caller failing there.
    const placed = decisions.find((d) => (d.type === "alert.held" || d.type === "alert.attached") && d.eventId === dbLate.eventId);
    expect(placed).toMatchObject({ link: "dependency", upstream: true, through: "orders" });
    // A CPU alarm on one of orders' hosts shows no call of orders failing: db's later failure is no cause it explains.
    const callerCpu = alert({ fingerprint: "alarm:orders-cpu", ...metric("CPUUtilization") });
    const apart = groupsOf(run([callerCpu, dbLate]).decisions);
    expect(apart.get(dbLate.eventId)).not.toBe(apart.get(callerCpu.eventId));
  });

  it("draws a caller's errors by dependency only where the dependency fails calls, not where only its hosts are busy", () => {
    const busy = [alert({ fingerprint: "alarm:orders-cpu-1", ...metric("CPUUtilization") }), alert({ fingerprint: "alarm:orders-cpu-2", eventTime: T0 + 30_000, ...metric("CPUUtilization") })];
    const apiErrors = alert({ fingerprint: "alarm:api-5xx", service: "api", eventTime: T0 + 2 * MIN });
    const apart = groupsOf(run([...busy, apiErrors]).decisions);
    expect(apart.get(apiErrors.eventId)).not.toBe(apart.get(busy[0]?.eventId ?? ""));
    // orders' own errors are a failure of its calls: they found a group of their own (a busy host explains none), which api's errors join.
    const failing = alert({ fingerprint: "alarm:orders-5xx", eventTime: T0 + MIN });
    const joined = groupsOf(run([...busy, failing, apiErrors]).decisions);
    expect(joined.get(failing.eventId)).not.toBe(joined.get(busy[0]?.eventId ?? ""));
    expect(joined.get(apiErrors.eventId)).toBe(joined.get(failing.eventId));
  });

  it("keeps a service's errors out of the group one of its busy hosts founded, and lets another busy host join it", () => {
    const cpu = alert({ fingerprint: "alarm:orders-cpu-1", ...metric("CPUUtilization") });
    const otherCpu = alert({ fingerprint: "alarm:orders-cpu-2", eventTime: T0 + 30_000, ...metric("CPUUtilization") });
    const errors = alert({ fingerprint: "alarm:orders-5xx", eventTime: T0 + MIN });
    const groups = groupsOf(run([cpu, otherCpu, errors]).decisions);
    expect(groups.get(otherCpu.eventId)).toBe(groups.get(cpu.eventId));
    expect(groups.get(errors.eventId)).not.toBe(groups.get(cpu.eventId));
  });

  it("keeps a failover that completed within a minute as the cause of the 5xx its owner reports minutes later", () => {
    const failover = alert({ fingerprint: "rds:orders-db:failover", severity: "error", source: "aws.rds", kind: "rds.resource-event", resources: ["arn:aws:rds:us-east-1:111111111111:db:orders-db"] });
    const done = { ...failover, eventId: "cascade-done", status: "resolved" as const, eventTime: T0 + MIN };
    const fiveXx = alert({ fingerprint: "alarm:orders-5xx", eventTime: T0 + 3 * MIN });
    const groups = groupsOf(run([failover, done, fiveXx]).decisions);
    expect(groups.get(fiveXx.eventId)).toBe(groups.get(failover.eventId));
  });

  it("takes a warning that fires and clears alone before an unrelated alert as noise, not as that alert's cause", () => {
    const blip = alert({ fingerprint: "alarm:orders-cpu" });
    const cleared = alert({ fingerprint: "alarm:orders-cpu", status: "resolved", eventTime: T0 + MIN });
    const later = alert({ fingerprint: "alarm:orders-5xx", eventTime: T0 + 3 * MIN });
    const groups = groupsOf(run([blip, cleared, later]).decisions);
    expect(groups.get(later.eventId)).not.toBe(groups.get(blip.eventId));
  });

  it("does not link another alarm through the alarm's own ARN: an alarm is no shared resource", () => {
    const a = alert({ fingerprint: "alarm:arn:x", resources: ["arn:x", "arn:alb"] });
    expect(subjectOf(a)).toBeUndefined();
    const finding = alert({ fingerprint: "finding:1", resources: ["arn:aws:ec2:us-east-1:111111111111:instance/i-1"], source: "aws.guardduty" });
    expect(subjectOf(finding)).toBe("arn:aws:ec2:us-east-1:111111111111:instance/i-1");
  });
});

describe("correlate: zone health", () => {
  const statusCheck = (service: string, at: number, az = "us-east-1a") =>
    alert({ fingerprint: `alarm:${service}-status-${az}`, service, az, eventTime: at, ...metric("StatusCheckFailed") });

  it("reads status checks, per-zone target health and failovers as zone health, and a database's CPU in the zone as not", () => {
    expect(isZoneHealthSignal(statusCheck("orders", T0))).toBe(true);
    expect(isZoneHealthSignal(alert({ fingerprint: "alarm:tg-az", az: "us-east-1a", ...metric("UnHealthyHostCount", "AWS/ApplicationELB") }))).toBe(true);
    expect(isZoneHealthSignal(alert({ fingerprint: "rds:x", az: "us-east-1a", source: "aws.rds", labels: { rdsCategories: "failover" } }))).toBe(true);
    expect(isZoneHealthSignal(alert({ fingerprint: "alarm:db-cpu", az: "us-east-1a", ...metric("CPUUtilization", "AWS/RDS") }))).toBe(false);
    expect(isZoneHealthSignal(alert({ fingerprint: "alarm:5xx", ...metric("StatusCheckFailed") }))).toBe(false);
  });

  it("does not take four services' busy resources in one zone as an impairment", () => {
    const busy = ["search", "auth", "cart", "orders"].map((s, i) =>
      alert({ fingerprint: `alarm:${s}-cpu`, service: s, az: "us-east-1a", eventTime: T0 + i * MIN, ...metric("CPUUtilization", "AWS/RDS") }),
    );
    const { state } = run(busy);
    expect(Object.values(state.groups).some((g) => g.impairedZones.length > 0)).toBe(false);
  });

  it("keeps a failing status check out of an incident on its service that is tied to no zone", () => {
    const deploy = [alert({ fingerprint: "alarm:orders-5xx" }), alert({ fingerprint: "alarm:orders-latency", eventTime: T0 + MIN })];
    const check = statusCheck("orders", T0 + 2 * MIN, "us-east-1b");
    const groups = groupsOf(run([...deploy, check]).decisions);
    expect(groups.get(check.eventId)).not.toBe(groups.get(deploy[0]?.eventId ?? ""));
  });

  it("draws a zone-less 5xx in the region into a detected impairment, ahead of the group of the service it depends on", () => {
    const ownCause = alert({ fingerprint: "alarm:api-5xx", service: "api", eventTime: T0 });
    const burst = ["search", "auth", "orders", "cart"].map((s, i) => statusCheck(s, T0 + i * MIN));
    const symptom = alert({ fingerprint: "alarm:web-5xx", service: "web", eventTime: T0 + 5 * MIN });
    const otherRegion = alert({ fingerprint: "alarm:web-5xx-west", service: "web", region: "us-west-2", eventTime: T0 + 5 * MIN });
    const groups = groupsOf(run([ownCause, ...burst, symptom, otherRegion]).decisions);
    expect(groups.get(symptom.eventId)).toBe(groups.get(burst[0]?.eventId ?? ""));
    expect(groups.get(otherRegion.eventId)).not.toBe(groups.get(burst[0]?.eventId ?? ""));
  });
});

describe("correlate: repeats and slow burns", () => {
  it("reads compute memory alarms as a slow burn's cycle, and a cache's memory as not", () => {
    expect(isSlowBurnSignal(alert({ fingerprint: "alarm:m", ...metric("mem_used_percent", "CWAgent") }))).toBe(true);
    expect(isSlowBurnSignal(alert({ fingerprint: "alarm:m", ...metric("DatabaseMemoryUsagePercentage", "AWS/ElastiCache") }))).toBe(false);
  });

  it("does not count a finding re-published while it still fires as a flap", () => {
    const republished = [0, 15, 30, 45].map((m) =>
      alert({ fingerprint: "finding:probe", severity: "error", source: "aws.guardduty", kind: "guardduty.finding", eventTime: T0 + m * MIN }),
    );
    // Looked at before the finding's silence ends its incident (and the state forgets it).
    const { state, decisions } = runAlerts(republished, ctx, ctx.config.silenceTimeout);
    expect(state.fingerprints["finding:probe"]?.firings).toHaveLength(1);
    expect(decisions.some((d) => d.type === "alert.suppressed" && d.reason === "flapping")).toBe(false);
  });

  it("leaves tick idle until the touched group's next deadline instead of after every alert", () => {
    const state = createGroupingState();
    ingest(state, alert({ fingerprint: "alarm:lone" }), T0, ctx);
    expect(state.nextDueAt).toBe(T0 + ctx.config.fingerprintMemory + ctx.config.allowedLateness);
  });
});

describe("correlate: a queue's backlog", () => {
  const ctx = { topology: buildTopology({ services: [{ name: "fulfillment", dependsOn: [] }] }), config: parseGroupingConfig({}) };
  const alert = alertFactory({ service: "fulfillment", prefix: "queue-ev" });
  const queue = "arn:aws:sqs:us-east-1:111111111111:order-events";
  const onQueue = (name: string, at: number, watched = queue) => {
    const arn = `arn:aws:cloudwatch:us-east-1:111111111111:alarm:${name}`;
    return alert({ fingerprint: `alarm:${arn}`, resources: [arn, watched], labels: { namespace: "AWS/SQS" }, eventTime: T0 + at * MIN });
  };

  it("takes the queue's depth alarm long after its age alarm, past the cascade window, by the queue", () => {
    // The consumer fails and keeps failing; the backlog's age crosses its threshold first (and again), its depth 17 minutes later.
    const consumer = alert({ fingerprint: "alarm:consumer-errors", eventTime: T0 });
    const age = onQueue("order-events-age", 3);
    const ageAgain = [{ ...onQueue("order-events-age", 12), status: "resolved" as const }, onQueue("order-events-age", 15)];
    const depth = onQueue("order-events-depth", 20);
    const otherQueue = onQueue("refunds-depth", 21, "arn:aws:sqs:us-east-1:111111111111:refunds");
    const groups = groupsOf(runAlerts([consumer, age, ...ageAgain, depth, otherQueue], ctx).decisions);
    expect(groups.get(age.eventId)).toBe(groups.get(consumer.eventId));
    expect(groups.get(depth.eventId)).toBe(groups.get(consumer.eventId));
    expect(groups.get(otherQueue.eventId)).not.toBe(groups.get(consumer.eventId));
  });

  it("takes the queue's depth alarm more than a correlation window after anything else changed in the incident, while its age alarm fires", () => {
    const opening = [alert({ fingerprint: "alarm:consumer-errors", eventTime: T0 }), onQueue("order-events-age", 2)];
    const depth = onQueue("order-events-depth", 2 + ctx.config.correlationWindow / MIN + 2);
    const groups = groupsOf(runAlerts([...opening, depth], ctx).decisions);
    expect(groups.get(opening[1]!.eventId)).toBe(groups.get(opening[0]!.eventId));
    expect(groups.get(depth.eventId)).toBe(groups.get(opening[0]!.eventId));
  });

  it("takes the queue's age alarm, held alone, into the incident that opens later with the queue's depth", () => {
    const age = onQueue("order-events-age", 0);
    const consumer = [alert({ fingerprint: "alarm:consumer-errors", eventTime: T0 + 20 * MIN }), onQueue("order-events-depth", 21)];
    const ds = runAlerts([age, ...consumer], ctx).decisions;
    const groups = groupsOf(ds);
    expect(ds.some((d) => d.type === "incident.opened" && d.incidentId === groups.get(consumer[0]!.eventId))).toBe(true);
    expect(groups.get(age.eventId)).toBe(groups.get(consumer[0]!.eventId));
  });

  it("does not take it into a group holding a finding about the queue (a missing tag is no backlog)", () => {
    const finding = alert({ fingerprint: "config:required-tags:queue", resources: [queue], source: "aws.config", kind: "config.compliance-change", eventTime: T0 + 10 * MIN });
    const age = onQueue("order-events-age", 12);
    const groups = groupsOf(runAlerts([finding, age], ctx).decisions);
    expect(groups.get(age.eventId)).not.toBe(groups.get(finding.eventId));
  });
});
