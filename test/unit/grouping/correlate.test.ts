import { describe, expect, it } from "vitest";
import { alertFactory, MIN, T0 } from "./alert-factory";
import {
  type Alert,
  buildTopology,
  createGroupingState,
  type Decision,
  type GroupingConfigInput,
  type GroupingState,
  ingest,
  parseGroupingConfig,
  tick,
} from "../../../core/grouping";

const topology = buildTopology({
  services: [
    { name: "orders", dependsOn: [] },
    { name: "api", dependsOn: ["orders"] },
    { name: "search", dependsOn: [] },
  ],
});

const alert = alertFactory({ service: "orders", prefix: "ev", resourceOf: (f) => f.replace(/^alarm:/, "") });

/** Runs alerts in order (tick then ingest at each alert's time), then ticks to `until`; returns all decisions. */
function run(alerts: Alert[], until: number, config: GroupingConfigInput = {}): { state: GroupingState; decisions: Decision[] } {
  const ctx = { topology, config: parseGroupingConfig(config) };
  let state = createGroupingState();
  const decisions: Decision[] = [];
  for (const a of alerts) {
    decisions.push(...tick(state, a.eventTime, ctx).decisions);
    const step = ingest(state, a, a.eventTime, ctx);
    state = step.state;
    decisions.push(...step.decisions);
  }
  for (let now = (alerts.at(-1)?.eventTime ?? T0) + 10_000; now <= until; now += 10_000) decisions.push(...tick(state, now, ctx).decisions);
  return { state, decisions };
}

const ofType = <K extends Decision["type"]>(ds: Decision[], type: K) => ds.filter((d): d is Extract<Decision, { type: K }> => d.type === type);

describe("correlate: dedup and hold-back", () => {
  it("answers a redelivered event id with alert.duplicate and counts it once", () => {
    const a = alert({ fingerprint: "alarm:db-cpu" });
    const { decisions, state } = run([a, { ...a }], T0);
    expect(ofType(decisions, "alert.duplicate")).toHaveLength(1);
    expect(Object.values(state.groups)[0]?.eventCount).toBe(1);
  });

  it("suppresses a lone alarm that clears within the pause as transient and never pages", () => {
    const { decisions } = run([alert({ fingerprint: "alarm:x" }), alert({ fingerprint: "alarm:x", status: "resolved", eventTime: T0 + MIN })], T0 + 60 * MIN);
    expect(ofType(decisions, "incident.opened")).toHaveLength(0);
    expect(ofType(decisions, "alert.suppressed").map((d) => d.reason)).toEqual(["transient", "transient"]);
    expect(ofType(decisions, "notify")).toHaveLength(0);
  });

  it("suppresses a lone flapping alarm as flapping", () => {
    const flaps = [0, 1, 2, 3].flatMap((i) => [
      alert({ fingerprint: "alarm:flap", service: "search", eventTime: T0 + i * 8 * MIN }),
      alert({ fingerprint: "alarm:flap", service: "search", status: "resolved", eventTime: T0 + i * 8 * MIN + 2 * MIN }),
    ]);
    const { decisions } = run(flaps, T0 + 5 * 60 * MIN);
    expect(ofType(decisions, "incident.opened")).toHaveLength(0);
    expect(new Set(ofType(decisions, "alert.suppressed").map((d) => d.reason))).toEqual(new Set(["flapping"]));
  });

  it("suppresses informational alerts that correlate with nothing", () => {
    const { decisions } = run([alert({ fingerprint: "ec2:i-1", severity: "info", status: "resolved" })], T0 + 60 * MIN);
    expect(ofType(decisions, "alert.suppressed").map((d) => d.reason)).toEqual(["informational"]);
  });
});

describe("correlate: correlation", () => {
  it("opens one incident when a cascade reaches a dependent service, with the dependency as root cause", () => {
    const { decisions } = run(
      [alert({ fingerprint: "alarm:db-cpu" }), alert({ fingerprint: "alarm:api-5xx", service: "api", eventTime: T0 + 2 * MIN })],
      T0 + 5 * MIN,
    );
    const opened = ofType(decisions, "incident.opened");
    expect(opened).toHaveLength(1);
    expect(opened[0]?.eventIds).toHaveLength(2);
    expect(opened[0]?.rootService).toBe("orders");
  });

  it("keeps unrelated services apart", () => {
    const { decisions } = run(
      [alert({ fingerprint: "alarm:db-cpu" }), alert({ fingerprint: "alarm:search-5xx", service: "search", eventTime: T0 + MIN })],
      T0 + 5 * MIN,
    );
    expect(ofType(decisions, "incident.opened")).toHaveLength(0);
  });

  it("groups alerts of any service in a zone a Health event announced impaired, muted as symptoms", () => {
    const health = alert({ fingerprint: "health:az", source: "aws.health", severity: "error", service: undefined, az: "us-east-1b" });
    const a = alert({ fingerprint: "alarm:search-tg", service: "search", az: "us-east-1b", eventTime: T0 + MIN });
    const b = alert({ fingerprint: "alarm:orders-tg", az: "us-east-1b", eventTime: T0 + 2 * MIN });
    const { decisions } = run([health, a, b], T0 + 5 * MIN);
    const opened = ofType(decisions, "incident.opened");
    expect(opened).toHaveLength(1);
    const attached = ofType(decisions, "alert.attached");
    expect(attached.map((d) => [d.incidentId, d.link, d.muted])).toEqual([[opened[0]?.incidentId, "zone", true]]);
  });

  it("places an alert that arrives late (out of order) in the incident of its event time", () => {
    const late = alert({ fingerprint: "alarm:api-5xx", service: "api", eventTime: T0 + MIN });
    const ctx = { topology, config: parseGroupingConfig({}) };
    const state = createGroupingState();
    ingest(state, alert({ fingerprint: "alarm:db-cpu" }), T0, ctx);
    ingest(state, alert({ fingerprint: "alarm:db-lat", eventTime: T0 + 3 * MIN }), T0 + 3 * MIN, ctx);
    const step = ingest(state, late, T0 + 6 * MIN, ctx);
    expect(ofType(step.decisions, "alert.attached")[0]?.link).toBe("dependency");
  });
});

describe("correlate: lifecycle and notification timing", () => {
  const cascade = () => [alert({ fingerprint: "alarm:db-cpu" }), alert({ fingerprint: "alarm:db-lat", eventTime: T0 + 10_000 })];

  it("resolves only after every alert cleared and the resolve timeout passed; a clear attaches to its incident", () => {
    const [a, b] = cascade() as [Alert, Alert];
    const clears = [
      alert({ fingerprint: "alarm:db-cpu", status: "resolved", eventTime: T0 + 20 * MIN }),
      alert({ fingerprint: "alarm:db-lat", status: "resolved", eventTime: T0 + 30 * MIN }),
    ];
    const { decisions } = run([a, b, ...clears], T0 + 60 * MIN);
    const opened = ofType(decisions, "incident.opened")[0];
    expect(ofType(decisions, "alert.attached").map((d) => d.incidentId)).toEqual([opened?.incidentId, opened?.incidentId]);
    expect(ofType(decisions, "incident.resolved").map((d) => d.at)).toEqual([T0 + 40 * MIN]);
    expect(ofType(decisions, "notify").map((d) => d.kind)).toEqual(["opened", "resolved"]);
  });

  it("pages after group_wait, batches updates by group_interval and repeats after repeat_interval", () => {
    const joins = [alert({ fingerprint: "alarm:db-conn", eventTime: T0 + MIN }), alert({ fingerprint: "alarm:db-iops", eventTime: T0 + 2 * MIN })];
    const { decisions } = run([...cascade(), ...joins], T0 + 70 * MIN, { groupWait: "30s", groupInterval: "5m", repeatInterval: "1h" });
    const pages = ofType(decisions, "notify").map((d) => [d.kind, (d.at - T0) / 1000]);
    expect(pages).toEqual([
      ["opened", 40],
      ["updated", 340],
      ["repeat", 3940],
    ]);
  });

  it("mutes pages inside a silence but never swallows the resolve of a paged incident", () => {
    const silence = { id: "s1", matchers: { service: "orders" }, startsAt: "2025-05-26T11:05:00Z", endsAt: "2025-05-26T13:00:00Z" };
    const joins = [alert({ fingerprint: "alarm:db-conn", eventTime: T0 + 6 * MIN })];
    const clears = ["alarm:db-cpu", "alarm:db-lat", "alarm:db-conn"].map((fp) => alert({ fingerprint: fp, status: "resolved", eventTime: T0 + 20 * MIN }));
    const { decisions } = run([...cascade(), ...joins, ...clears], T0 + 60 * MIN, { silences: [silence] });
    expect(ofType(decisions, "notify").map((d) => d.kind)).toEqual(["opened", "resolved"]);
    expect(ofType(decisions, "notify.muted").map((d) => d.reason)).toContain("silenced");
  });

  it("mutes the pages of an incident whose root depends on another open incident's root (inhibition)", () => {
    const api = [alert({ fingerprint: "alarm:api-5xx", service: "api", eventTime: T0 + 40 * MIN }), alert({ fingerprint: "alarm:api-lat", service: "api", eventTime: T0 + 40 * MIN })];
    const { decisions } = run([...cascade(), ...api], T0 + 45 * MIN, { cascadeWindow: "10m" });
    const [cause, symptom] = ofType(decisions, "incident.opened");
    expect(symptom).toBeDefined();
    expect(ofType(decisions, "notify.muted").filter((d) => d.incidentId === symptom?.incidentId).map((d) => [d.reason, d.by])).toContainEqual(["inhibited", cause?.incidentId]);
  });
});
