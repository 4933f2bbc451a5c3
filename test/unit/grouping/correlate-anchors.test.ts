import { describe, expect, it } from "vitest";
import { alertFactory, finalGroups, MIN, runAlerts, T0 } from "./alert-factory";
import { type Alert, buildTopology, type Decision, parseGroupingConfig, tick } from "../../../core/grouping";

const topology = buildTopology({ services: [{ name: "orders", dependsOn: [] }, { name: "api", dependsOn: ["orders"] }] });
const ctx = { topology, config: parseGroupingConfig({}) };

const alert = alertFactory({ service: "orders", prefix: "anchor-ev" });
const run = (alerts: Alert[]): Decision[] => runAlerts(alerts, ctx, 24 * 60 * MIN).decisions;

const opened = (ds: Decision[]) => ds.filter((d) => d.type === "incident.opened");
const incidentOf = (ds: Decision[], eventId: string) =>
  ds.flatMap((d) => (d.type === "alert.attached" && d.eventId === eventId ? [d.incidentId] : d.type === "incident.opened" && d.eventIds.includes(eventId) ? [d.incidentId] : []))[0];

const finding = (id: string, count: number, at: number) =>
  alert({ fingerprint: `finding:${id}`, severity: "info", source: "aws.guardduty", kind: "guardduty.finding", eventTime: at, labels: { count: String(count) } });

describe("correlate: cause anchors and escalation", () => {
  it("opens an incident for informational findings only once they escalate (count grows on re-publication)", () => {
    const once = run([finding("a", 1, T0), finding("b", 1, T0 + 5 * MIN)]);
    expect(opened(once)).toHaveLength(0);
    const escalating = run([finding("c", 1, T0), finding("d", 1, T0 + 5 * MIN), finding("c", 4, T0 + 15 * MIN), finding("d", 3, T0 + 20 * MIN)]);
    expect(opened(escalating)).toHaveLength(1);
  });

  const memory = { labels: { metricName: "MemoryUtilization", namespace: "AWS/ECS" } };
  const cycle = (fingerprint: string, labels: Record<string, string>) => {
    const first = alert({ fingerprint, eventTime: T0, labels });
    const again = alert({ fingerprint, eventTime: T0 + 60 * MIN, labels });
    const ds = run([
      first,
      alert({ fingerprint: "alarm:5xx", eventTime: T0 + MIN }),
      alert({ fingerprint, status: "resolved", eventTime: T0 + 10 * MIN, labels }),
      alert({ fingerprint: "alarm:5xx", status: "resolved", eventTime: T0 + 11 * MIN }),
      again,
    ]);
    return { ds, first, again };
  };

  it("reopens the incident when a memory alarm fires again an hour after it resolved (a leak's next cycle), instead of opening a new one", () => {
    const { ds, first, again } = cycle("alarm:mem", memory.labels);
    expect(ds.filter((d) => d.type === "incident.resolved").length).toBeGreaterThanOrEqual(1);
    expect(incidentOf(ds, again.eventId)).toBe(incidentOf(ds, first.eventId));
  });

  it("takes any other alarm firing again long after its incident resolved as a new failure, not the old incident", () => {
    const { ds, first, again } = cycle("alarm:db-cpu", { metricName: "CPUUtilization", namespace: "AWS/RDS" });
    expect(incidentOf(ds, first.eventId)).toBeDefined();
    expect(incidentOf(ds, again.eventId)).not.toBe(incidentOf(ds, first.eventId));
  });

  it("joins a memory alarm of another instance of the same service to the leak's incident, hours into the slow burn", () => {
    const first = alert({ fingerprint: "alarm:mem-i-1", eventTime: T0, labels: memory.labels });
    const sibling = alert({ fingerprint: "alarm:mem-i-2", eventTime: T0 + 90 * MIN, labels: memory.labels });
    const ds = run([
      first,
      alert({ fingerprint: "alarm:5xx", eventTime: T0 + MIN }),
      alert({ fingerprint: "alarm:mem-i-1", status: "resolved", eventTime: T0 + 10 * MIN, labels: memory.labels }),
      sibling,
    ]);
    expect(incidentOf(ds, first.eventId)).toBeDefined();
    expect(incidentOf(ds, sibling.eventId)).toBe(incidentOf(ds, first.eventId));
  });

  it("makes no slow burn of an incident whose memory alarm joined it as a symptom: a later memory alarm of the service is judged on its own", () => {
    const cause = [alert({ fingerprint: "alarm:5xx", eventTime: T0 }), alert({ fingerprint: "alarm:latency", eventTime: T0 + MIN })];
    const symptom = alert({ fingerprint: "alarm:mem-i-1", eventTime: T0 + 3 * MIN, labels: memory.labels });
    const clears = [...cause, symptom].map((a) => alert({ fingerprint: a.fingerprint, status: "resolved", eventTime: T0 + 8 * MIN, labels: a.labels }));
    const sibling = alert({ fingerprint: "alarm:mem-i-2", eventTime: T0 + 90 * MIN, labels: memory.labels });
    const ds = run([...cause, symptom, ...clears, sibling]);
    expect(incidentOf(ds, symptom.eventId)).toBe(incidentOf(ds, cause[0]?.eventId ?? ""));
    expect(incidentOf(ds, sibling.eventId)).not.toBe(incidentOf(ds, cause[0]?.eventId ?? ""));
  });

  it("keeps a leak's lone first cycle held until its next cycle, whose blips open the incident with both cycles in it", () => {
    const firstCycle = [
      alert({ fingerprint: "alarm:mem-i-1", eventTime: T0, labels: memory.labels }),
      alert({ fingerprint: "alarm:mem-i-1", status: "resolved", eventTime: T0 + 8 * MIN, labels: memory.labels }),
    ];
    // The second cycle ends in an out-of-memory restart, and the service blips right after it.
    const secondCycle = [
      alert({ fingerprint: "alarm:mem-i-1", eventTime: T0 + 70 * MIN, labels: memory.labels }),
      alert({ fingerprint: "alarm:mem-i-1", status: "resolved", eventTime: T0 + 78 * MIN, labels: memory.labels }),
      alert({ fingerprint: "alarm:5xx", eventTime: T0 + 79 * MIN }),
    ];
    const ds = run([...firstCycle, ...secondCycle]);
    expect(ds.some((d) => d.type === "alert.suppressed" && d.eventId === firstCycle[0]?.eventId)).toBe(false);
    expect(incidentOf(ds, firstCycle[0]?.eventId ?? "")).toBeDefined();
    expect(incidentOf(ds, secondCycle[2]?.eventId ?? "")).toBe(incidentOf(ds, firstCycle[0]?.eventId ?? ""));
  });

  it("takes in the service's errors that began just before its memory alarm cleared: the restart shows before the metric does", () => {
    const leak = [alert({ fingerprint: "alarm:mem-i-1", eventTime: T0, labels: memory.labels }), alert({ fingerprint: "alarm:mem-i-2", eventTime: T0 + MIN, labels: memory.labels })];
    const blip = [alert({ fingerprint: "alarm:5xx", eventTime: T0 + 30 * MIN }), alert({ fingerprint: "alarm:latency", eventTime: T0 + 30.5 * MIN })];
    const restart = alert({ fingerprint: "alarm:mem-i-1", status: "resolved", eventTime: T0 + 31.5 * MIN, labels: memory.labels });
    const ds = run([...leak, ...blip, restart]);
    const groups = finalGroups(ds);
    expect(groups.get(blip[0]!.eventId)).toBe(groups.get(leak[0]!.eventId));
    expect(groups.get(blip[1]!.eventId)).toBe(groups.get(leak[0]!.eventId));
    // Errors that began well before the restart are a failure of their own.
    const early = [alert({ fingerprint: "alarm:5xx", eventTime: T0 + 25 * MIN }), alert({ fingerprint: "alarm:latency", eventTime: T0 + 25.5 * MIN })];
    const apart = finalGroups(run([...leak, ...early, restart]));
    expect(apart.get(early[0]!.eventId)).not.toBe(apart.get(leak[0]!.eventId));
  });

  it("still suppresses a lone memory alarm that never comes back", () => {
    const once = [
      alert({ fingerprint: "alarm:mem-i-1", eventTime: T0, labels: memory.labels }),
      alert({ fingerprint: "alarm:mem-i-1", status: "resolved", eventTime: T0 + 8 * MIN, labels: memory.labels }),
    ];
    const ds = run(once);
    expect(opened(ds)).toHaveLength(0);
    expect(ds.some((d) => d.type === "alert.suppressed" && d.eventId === once[0]?.eventId)).toBe(true);
  });

  it("keeps findings out of an availability incident on the same or a calling service, but lets findings on one service group together", () => {
    const outage = [alert({ fingerprint: "alarm:db-cpu", eventTime: T0 }), alert({ fingerprint: "alarm:db-conn", eventTime: T0 + MIN })];
    const drift = (id: string, service: string, at: number) =>
      alert({ fingerprint: `config:${id}`, service, severity: "error", source: "aws.config", kind: "config.compliance-change", eventTime: at });
    const onCause = drift("orders-sg", "orders", T0 + 2 * MIN);
    const onCaller = drift("api-sg", "api", T0 + 3 * MIN);
    const sameService = drift("orders-volume", "orders", T0 + 4 * MIN);
    const ds = run([...outage, onCause, onCaller, sameService]);
    const outageIncident = incidentOf(ds, outage[0]?.eventId ?? "");
    expect(outageIncident).toBeDefined();
    expect(incidentOf(ds, onCause.eventId)).not.toBe(outageIncident);
    expect(incidentOf(ds, onCaller.eventId)).not.toBe(outageIncident);
    expect(incidentOf(ds, sameService.eventId)).toBe(incidentOf(ds, onCause.eventId));
    expect(incidentOf(ds, onCause.eventId)).toBeDefined();
  });

  it("does not let a service-linked symptom pull alerts in once the cause has not changed state for longer than the cascade window", () => {
    const cause = [alert({ fingerprint: "alarm:db-cpu", eventTime: T0 }), alert({ fingerprint: "alarm:db-conn", eventTime: T0 + MIN })];
    const symptom = alert({ fingerprint: "alarm:api-5xx", service: "api", eventTime: T0 + 2 * MIN });
    const late = alert({ fingerprint: "alarm:api-latency", service: "api", eventTime: T0 + 40 * MIN });
    const ds = run([...cause, symptom, alert({ fingerprint: "alarm:api-5xx", service: "api", status: "resolved", eventTime: T0 + 30 * MIN }), alert({ fingerprint: "alarm:api-5xx", service: "api", eventTime: T0 + 39 * MIN }), late]);
    expect(incidentOf(ds, symptom.eventId)).toBe(incidentOf(ds, cause[0]?.eventId ?? ""));
    expect(incidentOf(ds, late.eventId)).not.toBe(incidentOf(ds, cause[0]?.eventId ?? ""));
  });

  it("joins a symptom to a cause only along the direction failures propagate (a caller joins its dependency's group, not the reverse)", () => {
    const callerFirst = [alert({ fingerprint: "alarm:api-a", service: "api", eventTime: T0 }), alert({ fingerprint: "alarm:api-b", service: "api", eventTime: T0 + MIN })];
    const lateDependency = alert({ fingerprint: "alarm:orders-cpu", eventTime: T0 + 12 * MIN });
    const ds = run([...callerFirst, lateDependency]);
    expect(incidentOf(ds, lateDependency.eventId)).not.toBe(incidentOf(ds, callerFirst[0]?.eventId ?? ""));
    const cause = alert({ fingerprint: "alarm:orders-db", eventTime: T0 });
    const symptom = alert({ fingerprint: "alarm:api-5xx", service: "api", eventTime: T0 + 12 * MIN });
    const joined = run([cause, alert({ fingerprint: "alarm:orders-conn", eventTime: T0 + MIN }), symptom]);
    expect(incidentOf(joined, symptom.eventId)).toBe(incidentOf(joined, cause.eventId));
  });

  it("does not let a lone pending founder pull in same-service alerts once its onset window has passed", () => {
    const founder = alert({ fingerprint: "alarm:orders-flap", eventTime: T0 });
    const later = [alert({ fingerprint: "alarm:orders-x", eventTime: T0 + 20 * MIN }), alert({ fingerprint: "alarm:orders-y", eventTime: T0 + 21 * MIN })];
    const ds = run([founder, ...later]);
    expect(incidentOf(ds, later[0]?.eventId ?? "")).toBeDefined();
    expect(incidentOf(ds, founder.eventId)).toBeUndefined();
  });
});

describe("correlate: a silent group stops collecting", () => {
  it("places a same-resource alert in a new group once the incident has been silent for a correlation window, even while an anchor is stuck firing", () => {
    const db = "arn:aws:rds:us-east-1:111111111111:db:orders";
    const stuck = alert({ fingerprint: "alarm:dlq-depth", resources: [db], eventTime: T0 });
    const second = alert({ fingerprint: "alarm:db-conn", resources: [db], eventTime: T0 + MIN });
    const soon = alert({ fingerprint: "alarm:db-cpu", resources: [db], eventTime: T0 + 10 * MIN });
    const later = alert({ fingerprint: "alarm:db-latency", resources: [db], eventTime: T0 + 90 * MIN });
    const ds = run([stuck, second, soon, later]);
    expect(incidentOf(ds, soon.eventId)).toBe(incidentOf(ds, stuck.eventId));
    expect(incidentOf(ds, later.eventId)).not.toBe(incidentOf(ds, stuck.eventId));
  });
});

describe("correlate: an alarm firing again rejoins a busy group only soon after it cleared", () => {
  const fire = (fingerprint: string, service: string, at: number) => alert({ fingerprint, service, eventTime: T0 + at * MIN });
  const clear = (fingerprint: string, service: string, at: number) => alert({ fingerprint, service, status: "resolved", eventTime: T0 + at * MIN });
  /**
   * orders fails and recovers in four minutes; api's symptoms, begun within `symptomLag` of that, keep the incident busy;
   * api's 5xx clears at `clearAt` and fires again at 18m (the cause no longer anchors it).
   */
  const story = (clearAt: number) => [
    fire("alarm:orders-errors", "orders", 0),
    fire("alarm:orders-latency", "orders", 1),
    clear("alarm:orders-errors", "orders", 3),
    clear("alarm:orders-latency", "orders", 4),
    fire("alarm:api-5xx", "api", 5),
    fire("alarm:api-latency", "api", 6),
    clear("alarm:api-5xx", "api", clearAt),
    fire("alarm:api-5xx", "api", 18),
  ];
  const groupsOf = (alerts: Alert[]) => {
    const ds = runAlerts(alerts, ctx).decisions;
    const first = new Map<string, string>();
    for (const d of ds) if ((d.type === "alert.attached" || d.type === "alert.held") && !first.has(d.eventId)) first.set(d.eventId, d.type === "alert.held" ? d.groupId : d.incidentId);
    return first;
  };

  it("rejoins after a short clear (a flap within the failure)", () => {
    const alerts = story(13);
    const groups = groupsOf(alerts);
    expect(groups.get((alerts.at(-1) as Alert).eventId)).toBe(groups.get((alerts[0] as Alert).eventId));
  });

  it("is judged anew after a clear longer than rejoinWindow, once the cause no longer anchors the incident", () => {
    const alerts = story(8);
    const groups = groupsOf(alerts);
    expect(groups.get((alerts[5] as Alert).eventId)).toBe(groups.get((alerts[0] as Alert).eventId));
    expect(groups.get((alerts.at(-1) as Alert).eventId)).not.toBe(groups.get((alerts[0] as Alert).eventId));
  });
});

describe("correlate: a flapper keeps no incident alive", () => {
  const arn = (fingerprint: string) => fingerprint.replace(/^alarm:/, "");
  const fire = (fingerprint: string, at: number) => alert({ fingerprint, resources: [arn(fingerprint)], eventTime: T0 + at * MIN });
  const clear = (fingerprint: string, at: number) => alert({ fingerprint, resources: [arn(fingerprint)], status: "resolved", eventTime: T0 + at * MIN });
  // orders' errors and latency open an incident; its p99 alarm flaps every few minutes from the start.
  const flaps = (lastClearOfOthers: number) => [
    fire("alarm:orders-errors", 0),
    fire("alarm:orders-latency", 1),
    ...[2, 5, 8, 11].flatMap((m) => [fire("alarm:orders-p99", m), clear("alarm:orders-p99", m + 1)]),
    clear("alarm:orders-errors", lastClearOfOthers - 1),
    clear("alarm:orders-latency", lastClearOfOthers),
  ].sort((x, y) => x.eventTime - y.eventTime);

  it("takes a flapping alarm's next firing into its own group once no other alarm of the open incident fires, anchored as it still is", () => {
    const alerts = flaps(4);
    const groups = finalGroups(run(alerts));
    const lastFlap = alerts.filter((a) => a.fingerprint === "alarm:orders-p99" && a.status === "firing").at(-1) as Alert;
    expect(groups.get(lastFlap.eventId)).not.toBe(groups.get(alerts[0]?.eventId ?? ""));
  });

  it("keeps it while another alarm of the incident still fires (the failure flickering)", () => {
    const alerts = flaps(30);
    const groups = finalGroups(run(alerts));
    const lastFlap = alerts.filter((a) => a.fingerprint === "alarm:orders-p99" && a.status === "firing").at(-1) as Alert;
    expect(groups.get(lastFlap.eventId)).toBe(groups.get(alerts[0]?.eventId ?? ""));
  });
});
