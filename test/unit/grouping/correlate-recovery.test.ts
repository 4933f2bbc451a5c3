import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { alertFactory, finalGroups, MIN, runAlerts, T0 } from "./alert-factory";
import { type Alert, buildTopology, createGroupingState, DeadlineHeap, type Decision, ingest, parseGroupingConfig, tick } from "../../../core/grouping";

const topology = buildTopology({
  services: [
    { name: "orders", dependsOn: [] },
    { name: "api", dependsOn: ["orders"] },
  ],
});
const ctx = { topology, config: parseGroupingConfig({}) };
const alert = alertFactory({ service: "orders", prefix: "recovery-ev" });
const run = (alerts: Alert[]): Decision[] => runAlerts([...alerts].sort((x, y) => x.eventTime - y.eventTime), ctx, 24 * 60 * MIN).decisions;

/** The incident each event finally belongs to (following merges), or undefined when it never reached one. */
function incidentsOf(ds: Decision[]): Map<string, string | undefined> {
  const into = new Map<string, string>();
  const first = new Map<string, string>();
  const opened = new Set<string>();
  for (const d of ds) {
    if (d.type === "incident.merged") into.set(d.from, d.incidentId);
    else if (d.type === "incident.opened") opened.add(d.incidentId);
    else if (d.type === "alert.held" && !first.has(d.eventId)) first.set(d.eventId, d.groupId);
    else if (d.type === "alert.attached" && !first.has(d.eventId)) first.set(d.eventId, d.incidentId);
  }
  const resolve = (id: string): string => (into.has(id) ? resolve(into.get(id) as string) : id);
  return new Map([...first].map(([eventId, group]) => [eventId, opened.has(resolve(group)) ? resolve(group) : undefined]));
}

describe("correlate: noise that flaps, recoveries and preludes", () => {
  it("stops a flapping alarm that is no cause from rejoining an incident once the cause went quiet, however busy its own flaps keep it", () => {
    const cause = alert({ fingerprint: "alarm:orders-5xx", eventTime: T0 });
    const second = alert({ fingerprint: "alarm:orders-latency", eventTime: T0 + MIN });
    const clears = [cause, second].map((a) => alert({ fingerprint: a.fingerprint, status: "resolved", eventTime: T0 + 5 * MIN }));
    // A flapping alarm on the service fires every 6 minutes and clears 3 minutes later.
    const flaps = [2, 8, 14, 20, 26, 32].flatMap((m) => [
      alert({ fingerprint: "alarm:orders-cpu", eventTime: T0 + m * MIN }),
      alert({ fingerprint: "alarm:orders-cpu", status: "resolved", eventTime: T0 + (m + 3) * MIN }),
    ]);
    const incidents = incidentsOf(run([cause, second, ...clears, ...flaps]));
    const incident = incidents.get(cause.eventId);
    expect(incident).toBeDefined();
    // While the cause was live (its firing within the correlation window) the flap belonged to it; long after, it does not.
    expect(incidents.get(flaps[0]?.eventId ?? "")).toBe(incident);
    const late = flaps.filter((f) => f.status === "firing" && f.eventTime >= T0 + 20 * MIN);
    expect(late).toHaveLength(3);
    for (const f of late) expect(incidents.get(f.eventId)).not.toBe(incident);
  });

  it("keeps an incident's founder that fires again after everything cleared from holding it open to a new failure of its service", () => {
    // A noisy latency alarm fires just before the failure and founds the group; it keeps firing every 20 minutes.
    const founder = alert({ fingerprint: "alarm:orders-latency", eventTime: T0 });
    const failure = [alert({ fingerprint: "alarm:orders-5xx", eventTime: T0 + MIN }), alert({ fingerprint: "alarm:orders-errors", eventTime: T0 + 2 * MIN })];
    const clears = [founder, ...failure].map((a, i) => alert({ fingerprint: a.fingerprint, status: "resolved", eventTime: T0 + (8 + i) * MIN }));
    const again = alert({ fingerprint: founder.fingerprint, eventTime: T0 + 14 * MIN });
    const next = alert({ fingerprint: "alarm:orders-db-connections", eventTime: T0 + 25 * MIN });
    const incidents = incidentsOf(run([founder, ...failure, ...clears, again, next]));
    expect(incidents.get(failure[0]!.eventId)).toBeDefined();
    expect(incidents.get(again.eventId)).toBe(incidents.get(failure[0]!.eventId));
    expect(incidents.get(next.eventId)).not.toBe(incidents.get(failure[0]!.eventId));
  });

  it("joins a new failure with an alarm that flapped in an earlier one but stayed clear for longer than a flap", () => {
    const earlier = [alert({ fingerprint: "alarm:orders-5xx", eventTime: T0 }), alert({ fingerprint: "alarm:orders-errors", eventTime: T0 + MIN })];
    const over = earlier.map((a) => alert({ fingerprint: a.fingerprint, status: "resolved", eventTime: T0 + 20 * MIN }));
    // The latency alarm flaps through the earlier failure: three firings within the hour.
    const flaps = [2, 8, 14].flatMap((m) => [
      alert({ fingerprint: "alarm:orders-latency", eventTime: T0 + m * MIN }),
      alert({ fingerprint: "alarm:orders-latency", status: "resolved", eventTime: T0 + (m + 3) * MIN }),
    ]);
    const next = [alert({ fingerprint: "alarm:orders-timeouts", eventTime: T0 + 45 * MIN }), alert({ fingerprint: "alarm:orders-rejected", eventTime: T0 + 46 * MIN })];
    // Clear for 30 minutes, it fires again with the new failure: its fourth firing within the hour, but no flap.
    const again = alert({ fingerprint: "alarm:orders-latency", eventTime: T0 + 47 * MIN });
    const incidents = incidentsOf(run([...earlier, ...over, ...flaps, ...next, again]));
    expect(incidents.get(next[0]!.eventId)).toBeDefined();
    expect(incidents.get(next[0]!.eventId)).not.toBe(incidents.get(earlier[0]!.eventId));
    expect(incidents.get(again.eventId)).toBe(incidents.get(next[0]!.eventId));
  });

  const instance = (id: string) => `arn:aws:ec2:us-east-1:111111111111:instance/${id}`;
  const ec2 = (id: string, status: "firing" | "resolved", minute: number) =>
    alert({ fingerprint: `ec2-state:${instance(id)}`, status, severity: "info", source: "aws.ec2", kind: "ec2.instance-state-change", resources: [instance(id)], eventTime: T0 + minute * MIN });

  it("attaches the launch of a replacement instance (a clear never seen firing) to the incident that lost one on the same service", () => {
    // i-1's status check fails, so its stop joins by resource (a scale-in of another instance would not join by service).
    const check = "arn:aws:cloudwatch:us-east-1:111111111111:alarm:orders-status-check";
    const failing = alert({ fingerprint: `alarm:${check}`, resources: [check, instance("i-1")], az: "us-east-1a", eventTime: T0, labels: { metricName: "StatusCheckFailed", namespace: "AWS/EC2" } });
    const lost = [failing, alert({ fingerprint: "alarm:orders-5xx", eventTime: T0 + MIN }), ec2("i-1", "firing", 2)];
    const launch = ec2("i-2", "resolved", 4);
    const incidents = incidentsOf(run([...lost, launch]));
    expect(incidents.get(launch.eventId)).toBeDefined();
    expect(incidents.get(launch.eventId)).toBe(incidents.get(lost[0]?.eventId ?? ""));
  });

  it("attaches an alarm silenced by its instance's termination to the incident that saw the instance go, long after its cascade", () => {
    const check = "arn:aws:cloudwatch:us-east-1:111111111111:alarm:orders-status-check";
    const failing = alert({ fingerprint: `alarm:${check}`, resources: [check, instance("i-4")], az: "us-east-1a", eventTime: T0, labels: { metricName: "StatusCheckFailed", namespace: "AWS/EC2" } });
    const lost = [failing, alert({ fingerprint: "alarm:orders-5xx", eventTime: T0 + MIN }), ec2("i-4", "firing", 2)];
    // Another orders incident opens meanwhile: by service alone the silenced alarm would go there.
    const other = [alert({ fingerprint: "alarm:orders-latency", eventTime: T0 + 30 * MIN }), alert({ fingerprint: "alarm:orders-errors", eventTime: T0 + 31 * MIN })];
    const silenced = (id: string, minute: number) => {
      const cpu = `arn:aws:cloudwatch:us-east-1:111111111111:alarm:orders-cpu-${id}`;
      return alert({ fingerprint: `alarm:${cpu}`, severity: "info", resources: [cpu, instance(id)], eventTime: T0 + minute * MIN, labels: { metricName: "CPUUtilization", namespace: "AWS/EC2", alarmState: "INSUFFICIENT_DATA", previousState: "OK" } });
    };
    const gone = silenced("i-4", 32);
    // An instance never seen going down: its metric vanishing says nothing about where it belongs.
    const unexplained = silenced("i-5", 33);
    const ds = run([...lost, ...other, gone, unexplained]);
    const incidents = incidentsOf(ds);
    expect(incidents.get(failing.eventId)).toBeDefined();
    expect(incidents.get(other[0]?.eventId ?? "")).not.toBe(incidents.get(failing.eventId));
    expect(ds).toContainEqual(expect.objectContaining({ type: "alert.attached", eventId: gone.eventId, incidentId: incidents.get(failing.eventId), link: "resource" }));
    expect(incidents.get(unexplained.eventId)).not.toBe(incidents.get(failing.eventId));
  });

  it("suppresses a launch on a service whose incident saw no instance go (a scale-out is no recovery)", () => {
    const failing = [alert({ fingerprint: "alarm:orders-5xx", eventTime: T0 }), alert({ fingerprint: "alarm:orders-latency", eventTime: T0 + MIN })];
    const launch = ec2("i-3", "resolved", 4);
    const ds = run([...failing, launch]);
    expect(incidentsOf(ds).get(launch.eventId)).toBeUndefined();
    expect(ds).toContainEqual({ type: "alert.suppressed", eventId: launch.eventId, reason: "informational" });
  });

  describe("launches an alarm on the instance later adopts", () => {
    const idle = (id: string, minute: number) => {
      const arn = `arn:aws:cloudwatch:us-east-1:111111111111:alarm:orders-cpu-idle-${id}`;
      return alert({ fingerprint: `alarm:${arn}`, resources: [arn, instance(id)], eventTime: T0 + minute * MIN, labels: { metricName: "CPUUtilization", namespace: "AWS/EC2" } });
    };
    const launch = (id: string, minute: number, service = "orders") => [ec2(id, "resolved", minute), ec2(id, "resolved", minute + 1)].map((a) => ({ ...a, service }));
    /** The incident each event ends in (events that joined no group followed through moves from ""), or undefined. */
    const incidentOf = (alerts: Alert[]) => {
      const ds = run(alerts);
      const opened = new Set(ds.flatMap((d) => (d.type === "incident.opened" ? [d.incidentId] : [])));
      const groups = finalGroups(ds, alerts);
      return (a: Alert) => (opened.has(groups.get(a.eventId) ?? "") ? groups.get(a.eventId) : undefined);
    };

    it("takes into the idle alarms' incident the launches of their instances and of the instances started with them, 80 minutes earlier", () => {
      const burst = [...launch("i-1", 0), ...launch("i-2", 1), ...launch("i-3", 2)];
      const others = [...launch("i-9", 1, "api"), ...launch("i-8", -40)];
      const alarms = [idle("i-1", 80), idle("i-2", 81)];
      const incident = incidentOf([...burst, ...others, ...alarms]);
      expect(incident(alarms[0]!)).toBeDefined();
      // i-3 started with them though no alarm names it yet; another service's launch and an earlier one are other actions.
      for (const a of burst) expect(incident(a)).toBe(incident(alarms[0]!));
      for (const a of others) expect(incident(a)).toBeUndefined();
    });

    it("leaves a launch out of an incident its instance's alarm joined as a symptom (of a dependency failing)", () => {
      const failing = [alert({ fingerprint: "alarm:orders-5xx", eventTime: T0 + 100 * MIN }), alert({ fingerprint: "alarm:orders-latency", eventTime: T0 + 101 * MIN })];
      const apiArn = "arn:aws:cloudwatch:us-east-1:111111111111:alarm:api-5xx-i-1";
      const api = alert({ fingerprint: `alarm:${apiArn}`, service: "api", resources: [apiArn, instance("i-1")], eventTime: T0 + 102 * MIN });
      const launched = launch("i-1", 20, "api");
      const ds = run([...launched, ...failing, api]);
      expect(ds).toContainEqual(expect.objectContaining({ type: "alert.attached", eventId: api.eventId, link: "dependency" }));
      expect(ds.some((d) => d.type === "alerts.moved")).toBe(false);
    });

    it("leaves a launch alone when the alarm on its instance comes after the fingerprint memory (3 hours)", () => {
      const old = launch("i-1", 0);
      const late = [idle("i-1", 184), idle("i-4", 185)];
      const incident = incidentOf([...old, ...late]);
      expect(incident(late[0]!)).toBeDefined();
      expect(incident(old[0]!)).toBeUndefined();
    });
  });

  it("attaches a replacement launched in another zone to the zone impairment that took an instance of a symptom service", () => {
    const zoneOf = { az: "us-east-1a" };
    const impairment = alert({ fingerprint: "health:az", severity: "error", source: "aws.health", kind: "health.event", service: undefined, resources: [], ...zoneOf, eventTime: T0 });
    const check = alert({ fingerprint: "alarm:api-status-check", service: "api", ...zoneOf, labels: { metricName: "StatusCheckFailed", namespace: "AWS/EC2" }, eventTime: T0 + MIN });
    const lostApi = { ...ec2("i-7", "firing", 2), service: "api", ...zoneOf };
    const replacement = { ...ec2("i-8", "resolved", 5), service: "api", az: "us-east-1b" };
    const scaleOut = { ...ec2("i-6", "resolved", 40), service: "api", az: "us-east-1b" };
    const incidents = incidentsOf(run([impairment, check, lostApi, replacement, scaleOut]));
    expect(incidents.get(check.eventId)).toBeDefined();
    expect(incidents.get(replacement.eventId)).toBe(incidents.get(check.eventId));
    // Long after the loss, a launch is capacity, not recovery.
    expect(incidents.get(scaleOut.eventId)).toBeUndefined();
  });

  it("takes an attack's quiet first findings on an instance into the incident that opens on that instance later", () => {
    const target = instance("i-9");
    const finding = (fingerprint: string, severity: Alert["severity"], minute: number) =>
      alert({ fingerprint, severity, source: "aws.guardduty", kind: "guardduty.finding", resources: [target], eventTime: T0 + minute * MIN });
    const probe = finding("finding:probe", "info", 0);
    const bruteForce = finding("finding:brute-force", "info", 4);
    const exfiltration = finding("finding:exfiltration", "error", 50);
    const miner = alert({ fingerprint: "alarm:orders-cpu-i-9", resources: [target, "arn:aws:cloudwatch:us-east-1:111111111111:alarm:cpu"], eventTime: T0 + 52 * MIN });
    const incidents = incidentsOf(run([probe, bruteForce, exfiltration, miner]));
    const incident = incidents.get(exfiltration.eventId);
    expect(incident).toBeDefined();
    expect(incidents.get(probe.eventId)).toBe(incident);
    expect(incidents.get(bruteForce.eventId)).toBe(incident);
  });

  it("takes no AWS Health maintenance notice on the instance as a prelude (the incident begins when the failure does)", () => {
    const target = instance("i-7");
    const notice = alert({ fingerprint: "health:arn:aws:health:us-east-1::event/EC2/MAINTENANCE/1:111111111111", severity: "info", source: "aws.health", kind: "health.event", resources: [target], labels: { eventTypeCategory: "scheduledChange" }, eventTime: T0 });
    const check = alert({ fingerprint: "alarm:orders-status-check-i-7", resources: [target], eventTime: T0 + 150 * MIN, labels: { metricName: "StatusCheckFailed" } });
    const errors = alert({ fingerprint: "alarm:orders-5xx", eventTime: T0 + 151 * MIN });
    const ds = run([notice, check, errors]);
    const incidents = incidentsOf(ds);
    expect(incidents.get(check.eventId)).toBeDefined();
    expect(incidents.get(notice.eventId)).toBeUndefined();
    expect(ds.some((d) => d.type === "incident.merged")).toBe(false);
  });

  it("puts a composite's clear with the incident of the child that triggered it, not the older one it fired in", () => {
    const pair = buildTopology({ services: [{ name: "api", dependsOn: [] }, { name: "search", dependsOn: [] }] });
    const pairCtx = { topology: pair, config: parseGroupingConfig({}) };
    const at = (fingerprint: string, service: string, minute: number, over: Partial<Alert> = {}) => alert({ fingerprint, service, eventTime: T0 + minute * MIN, ...over });
    // The composite goes to alarm over api's errors; search then fails, and the composite clears when search's latency does.
    const apiErrors = at("alarm:api-errors", "api", 0);
    const api5xx = at("alarm:api-5xx", "api", 0.5);
    const apiHealth = at("alarm:health", "api", 1, { severity: "error", labels: { triggeringAlarms: "api-errors" } });
    const search = [at("alarm:search-5xx", "search", 20), at("alarm:search-latency", "search", 21)];
    const cleared = at("alarm:search-latency", "search", 30, { status: "resolved" });
    const healthClear = at("alarm:health", "api", 30.1, { status: "resolved", severity: "error", labels: { triggeringAlarms: "search-latency" } });
    const ds = runAlerts([apiErrors, api5xx, apiHealth, ...search, cleared, healthClear], pairCtx).decisions;
    const incidents = incidentsOf(ds);
    expect(incidents.get(apiErrors.eventId)).toBeDefined();
    expect(incidents.get(apiHealth.eventId)).toBe(incidents.get(apiErrors.eventId));
    expect(incidents.get(healthClear.eventId)).toBe(incidents.get(search[0]?.eventId ?? ""));
    expect(incidents.get(healthClear.eventId)).not.toBe(incidents.get(apiErrors.eventId));
  });

  it("keeps a service's 5xx out of an incident caused only by compliance findings on that service", () => {
    const config = (rule: string) =>
      alert({ fingerprint: `config:${rule}`, source: "aws.config", kind: "config.compliance-change", resources: [`arn:aws:s3:::orders-${rule}`], labels: { configRule: rule } });
    const findings = [config("s3-encryption"), { ...config("s3-logging"), eventTime: T0 + MIN }];
    const fiveXx = alert({ fingerprint: "alarm:orders-5xx", eventTime: T0 + 2 * MIN });
    const latency = alert({ fingerprint: "alarm:orders-latency", eventTime: T0 + 3 * MIN });
    const incidents = incidentsOf(run([...findings, fiveXx, latency]));
    expect(incidents.get(findings[0]?.eventId ?? "")).toBeDefined();
    expect(incidents.get(fiveXx.eventId)).toBeDefined();
    expect(incidents.get(fiveXx.eventId)).not.toBe(incidents.get(findings[0]?.eventId ?? ""));
  });

  it("takes a Config rule's change on another resource by rule within minutes of the last (a drift), not hours later while the group is busy", () => {
    const exposed = (sg: string, minute: number) =>
      alert({ fingerprint: `config:111111111111:us-east-1:restricted-ssh:AWS::EC2::SecurityGroup:${sg}`, source: "aws.config", kind: "config.compliance-change", resources: [`arn:aws:ec2:us-east-1:111111111111:security-group/${sg}`], eventTime: T0 + minute * MIN, labels: { configRule: "restricted-ssh" } });
    const probe = (minute: number) =>
      alert({ fingerprint: "finding:probe", severity: "error", source: "aws.guardduty", kind: "guardduty.finding", resources: ["arn:aws:ec2:us-east-1:111111111111:security-group/sg-1"], eventTime: T0 + minute * MIN });
    const drift = [exposed("sg-1", 0), exposed("sg-2", 2)];
    const busy = [5, 15, 25, 35, 45, 55, 65, 75, 85, 95, 105, 115].map(probe);
    const later = exposed("sg-9", 120);
    const incidents = incidentsOf(run([...drift, ...busy, later]));
    expect(incidents.get(drift[1]?.eventId ?? "")).toBe(incidents.get(drift[0]?.eventId ?? ""));
    expect(incidents.get(busy[11]?.eventId ?? "")).toBe(incidents.get(drift[0]?.eventId ?? ""));
    expect(incidents.get(later.eventId)).not.toBe(incidents.get(drift[0]?.eventId ?? ""));
  });

  it("attaches a clear about a resource an open incident holds, long after the incident's founders were fixed", () => {
    const sg = (n: number) => `arn:aws:ec2:us-east-1:111111111111:security-group/sg-${n}`;
    const drift = [1, 2, 3].map((n) => alert({ fingerprint: `config:restricted-ssh:sg-${n}`, source: "aws.config", kind: "config.compliance-change", resources: [sg(n)], eventTime: T0 + n * 1000, labels: { configRule: "restricted-ssh" } }));
    const fixed = [1, 2].map((n) => ({ ...drift[n - 1], eventId: `recovery-fix-${n}`, status: "resolved" as const, eventTime: T0 + 20 * MIN }) as Alert);
    // Security Hub reports the control passing on sg-3 under a finding id never seen firing.
    const passed = alert({ fingerprint: "finding:securityhub:EC2.13:sg-3", status: "resolved", severity: "info", source: "aws.securityhub", kind: "securityhub.findings-imported", resources: [sg(3)], eventTime: T0 + 100 * MIN, labels: { complianceStatus: "PASSED" } });
    const incidents = incidentsOf(run([...drift, ...fixed, passed]));
    expect(incidents.get(drift[0]?.eventId ?? "")).toBeDefined();
    expect(incidents.get(passed.eventId)).toBe(incidents.get(drift[0]?.eventId ?? ""));
  });

  it("does not open an incident for a composite that stays in alarm over one warning child (a composite is no evidence of its own)", () => {
    const child = alert({ fingerprint: "alarm:arn:aws:cloudwatch:us-east-1:111111111111:alarm:orders-p99", eventTime: T0 });
    const composite = alert({
      fingerprint: "alarm:orders-health",
      severity: "error",
      eventTime: T0 + 1000,
      labels: { triggeringAlarms: "arn:aws:cloudwatch:us-east-1:111111111111:alarm:orders-p99" },
    });
    const ds = run([child, composite, { ...child, eventId: "recovery-clear-child", status: "resolved", eventTime: T0 + 40 * MIN }]);
    expect(ds.filter((d) => d.type === "incident.opened")).toHaveLength(0);
    // An urgent alarm firing alone for as long still opens one.
    const lone = alert({ fingerprint: "alarm:orders-down", severity: "error", eventTime: T0 });
    expect(run([lone, { ...lone, eventId: "recovery-clear-lone", status: "resolved", eventTime: T0 + 40 * MIN }]).filter((d) => d.type === "incident.opened")).toHaveLength(1);
  });

  it("fires the timers of a state loaded afresh (the timer index is rebuilt from its groups)", () => {
    const state = createGroupingState();
    ingest(state, alert({ fingerprint: "alarm:orders-5xx", eventTime: T0 }), T0, ctx);
    ingest(state, alert({ fingerprint: "alarm:orders-latency", eventTime: T0 + 1000 }), T0 + 1000, ctx);
    const loaded = JSON.parse(JSON.stringify(state)) as typeof state;
    expect(loaded.nextDueAt).toBe(T0 + 1000 + ctx.config.groupWait);
    const { decisions } = tick(loaded, T0 + MIN, ctx);
    expect(decisions.filter((d) => d.type === "notify")).toHaveLength(1);
    expect(loaded.nextDueAt).toBe(T0 + 1000 + ctx.config.groupWait + ctx.config.repeatInterval);
  });
});

describe("DeadlineHeap", () => {
  it("pops deadlines in ascending order and ignores infinite ones", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1_000_000 }), { maxLength: 200 }), (deadlines) => {
        const heap = new DeadlineHeap();
        deadlines.forEach((d, i) => heap.push(d, `g${i}`));
        heap.push(Number.POSITIVE_INFINITY, "never");
        const popped: number[] = [];
        while (heap.size > 0) {
          popped.push(heap.peek());
          heap.pop();
        }
        expect(popped).toEqual([...deadlines].sort((a, b) => a - b));
        expect(heap.peek()).toBe(Number.POSITIVE_INFINITY);
      }),
    );
  });
});
