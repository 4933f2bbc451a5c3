import { describe, expect, it } from "vitest";
import {
  alertRecord,
  bufferAlerts,
  buildTopology,
  finalGroupOf,
  createGroupingState,
  incidentEvent,
  incidentTitle,
  incidentRecord,
  ingestScopeBatch,
  parseGroupingConfig,
  perAccountScopes,
  scopeOf,
  tickScope,
  type Alert,
  type Group,
  type PageBuffer,
} from "../../../core/grouping";
import { vigilEntry } from "../../../events/outbound";
import { alertFactory, MIN, T0 } from "./alert-factory";

const topology = buildTopology({ services: [{ name: "db" }, { name: "api", dependsOn: ["db"] }] });
const ctx = { topology, config: parseGroupingConfig({}) };
const alert = alertFactory({ service: "api", prefix: "e" });

/** Two independent roots on one service within minutes: the engine opens an incident. */
function storm(): Alert[] {
  return [
    alert({ fingerprint: "alarm:api-5xx", eventTime: T0, severity: "error", eventId: "e-1" }),
    alert({ fingerprint: "alarm:api-latency", eventTime: T0 + MIN, severity: "error", eventId: "e-2" }),
  ];
}

describe("ingestScopeBatch", () => {
  it("records each new alert with its group, and pages nothing before group_wait", () => {
    const step = ingestScopeBatch(createGroupingState(), storm(), ctx);
    const opened = step.decisions.flatMap((d) => (d.type === "incident.opened" ? [d.incidentId] : []));
    expect(opened).toHaveLength(1);
    expect(step.records.alerts.map((a) => a.groupId)).toEqual([opened[0], opened[0]]);
    expect(step.outbox.incidents.map((i) => i.status)).toEqual(["open"]);
    expect(step.outbox.events).toEqual([]);
    expect(step.state.nextDueAt).toBe(T0 + MIN + ctx.config.groupWait);
  });

  it("records how each alert reached its group: the founder began it, a caller joined by dependency", () => {
    const db = alert({ fingerprint: "alarm:db-errors", service: "db", eventTime: T0, severity: "error", eventId: "e-db" });
    const step = ingestScopeBatch(createGroupingState(), [db, ...storm()], ctx);
    expect(step.records.alerts.map((a) => [a.eventId, a.link, a.through])).toEqual([
      ["e-db", "new", undefined],
      ["e-1", "dependency", "db"],
      ["e-2", "dependency", "db"],
    ]);
  });

  it("orders a batch by event time, so a reversed delivery decides the same", () => {
    const inOrder = ingestScopeBatch(createGroupingState(), storm(), ctx);
    const reversed = ingestScopeBatch(createGroupingState(), storm().reverse(), ctx);
    expect(reversed.records.alerts.map((a) => a.eventId).sort()).toEqual(inOrder.records.alerts.map((a) => a.eventId).sort());
    expect(reversed.outbox.incidents).toEqual(inOrder.outbox.incidents);
  });

  it("ignores a redelivered batch: no page, no incident write, no event", () => {
    const alerts = storm();
    const first = ingestScopeBatch(createGroupingState(), alerts, ctx);
    const again = ingestScopeBatch(first.state, alerts, ctx);
    expect(again.decisions.every((d) => d.type === "alert.duplicate")).toBe(true);
    expect(again.records).toEqual({ alerts: [], merges: [] });
    expect(again.outbox).toEqual({ incidents: [], events: [] });
  });

});

describe("bufferAlerts", () => {
  const records = () => ingestScopeBatch(createGroupingState(), storm(), ctx).records;

  it("keeps records in the buffer until a page is full, then empties it into a page", () => {
    const first = bufferAlerts({ alerts: [], merges: [] }, records(), 3);
    expect(first.page).toBeUndefined();
    expect(first.buffer.alerts).toHaveLength(2);
    const second = bufferAlerts(first.buffer, records(), 3);
    expect(second.page?.alerts).toHaveLength(4);
    expect(second.buffer).toEqual({ alerts: [], merges: [] });
  });

  it("derives the same page id from the same alerts", () => {
    const a = bufferAlerts({ alerts: [], merges: [] }, records(), 2).page?.pageId;
    const b = bufferAlerts({ alerts: [], merges: [] }, records(), 2).page?.pageId;
    expect(a).toMatch(/^2025-05-26T11:00:00.000Z#/);
    expect(a).toBe(b);
  });

  it("carries moves into the page, keeps a buffer without moves in its stored form, and keys the page by them", () => {
    const move = { alerts: [], merges: [], moves: [["g-1", "g-2", ["alarm:api-5xx"]]] } as PageBuffer;
    const buffered = bufferAlerts({ alerts: [], merges: [] }, records(), 3).buffer;
    expect(buffered).toEqual({ alerts: buffered.alerts, merges: [] });
    const withMove = bufferAlerts(bufferAlerts(buffered, move, 3).buffer, records(), 3).page;
    expect(withMove?.moves).toEqual([["g-1", "g-2", ["alarm:api-5xx"]]]);
    const without = bufferAlerts(buffered, records(), 3).page;
    expect(without?.moves).toBeUndefined();
    expect(withMove?.pageId).not.toBe(without?.pageId);
  });
});

describe("finalGroupOf", () => {
  it("follows merges, then a fingerprint's moves while their source is where the alert is", () => {
    const final = finalGroupOf([["a", "b"]], [["b", "c", ["fp-1"]], ["x", "d", ["fp-2"]]]);
    expect(final("a", "fp-1")).toBe("c");
    expect(final("a", "fp-2")).toBe("b");
    expect(final("a", "fp-3")).toBe("b");
    // A later bout of the moved fingerprint in another group stays there.
    expect(final("e", "fp-1")).toBe("e");
  });

  it("moves the alerts that joined no group (\"\") only by the moved fingerprints", () => {
    const final = finalGroupOf([["g", "h"]], [["", "g", ["ec2-state:i-1"]]]);
    expect(final("", "ec2-state:i-1")).toBe("h");
    expect(final("", "ec2-state:i-2")).toBe("");
  });

  it("follows a move into a group merged away later", () => {
    const final = finalGroupOf([["c", "d"]], [["a", "c", ["fp-1"]]]);
    expect(final("a", "fp-1")).toBe("d");
  });
});

describe("tickScope", () => {
  it("records why held alerts never paged: a lone alarm that cleared within the transient pause, its firing and its clear", () => {
    const blip = [
      alert({ fingerprint: "alarm:api-5xx", eventTime: T0, eventId: "e-fire" }),
      alert({ fingerprint: "alarm:api-5xx", eventTime: T0 + MIN, status: "resolved", eventId: "e-clear" }),
    ];
    const { state, records } = ingestScopeBatch(createGroupingState(), blip, ctx);
    expect(records.suppressed).toBeUndefined();
    const later = tickScope(state, T0 + 3 * 60 * MIN, ctx);
    expect(later.records).toEqual({ alerts: [], merges: [], suppressed: [["e-fire", "transient"], ["e-clear", "transient"]] });
    const withHeld = bufferAlerts(bufferAlerts({ alerts: [], merges: [] }, records, 3).buffer, later.records, 2).page;
    expect(withHeld?.suppressed).toEqual([["e-fire", "transient"], ["e-clear", "transient"]]);
    expect(withHeld?.pageId).not.toBe(bufferAlerts({ alerts: [], merges: [] }, records, 2).page?.pageId);
  });

  it("keeps on the Incident item why its pages are held, until one goes out", () => {
    const nightly = { ...ctx, config: parseGroupingConfig({ maintenanceWindows: [{ name: "nightly", matchers: { service: "api" }, start: "10:30", duration: "1h" }] }) };
    const { state } = ingestScopeBatch(createGroupingState(), storm(), nightly);
    const held = tickScope(state, T0 + 2 * MIN, nightly);
    expect(held.outbox.events).toEqual([]);
    expect(held.outbox.incidents.map((i) => [i.paged, i.mutedReason, i.mutedBy])).toEqual([[false, "maintenance", "nightly"]]);
    // The timer ticks every few minutes; the window ends at 11:30, so the page held since 11:01 goes out at the next retry.
    const ticks = [7, 12, 17, 22, 27, 32].map((m) => tickScope(state, T0 + m * MIN, nightly));
    expect(ticks.map((t) => t.outbox.events.map((e) => e.detailType).join())).toEqual(["", "", "", "", "", "Incident Opened"]);
    const after = ticks.at(-1)!;
    expect(after.outbox.incidents.map((i) => [i.paged, i.mutedReason, i.mutedBy])).toEqual([[true, undefined, undefined]]);
  });

  it("pages the incident once group_wait has passed, as a valid Incident Opened", () => {
    const { state } = ingestScopeBatch(createGroupingState(), storm(), ctx);
    const step = tickScope(state, T0 + 2 * MIN, ctx);
    expect(step.outbox.events.map((e) => e.detailType)).toEqual(["Incident Opened"]);
    const [event] = step.outbox.events;
    expect(() => vigilEntry(event!.detailType, event!.detail as never)).not.toThrow();
    expect(event!.detail.dedupKey).toBe(event!.detail.id);
  });
});

describe("incidentEvent", () => {
  const group = (over: Partial<Group> = {}): Group => {
    const { state } = ingestScopeBatch(createGroupingState(), storm(), ctx);
    return { ...Object.values(state.groups)[0]!, ...over };
  };

  it("maps each page kind to its detail-type, with a deterministic eventId per incident, kind and time", () => {
    const g = group();
    const kinds = ["opened", "updated", "repeat", "resolved"] as const;
    const types = kinds.map((kind) => incidentEvent({ type: "notify", incidentId: g.id, at: T0 + 5 * MIN, kind }, g).detailType);
    expect(types).toEqual(["Incident Opened", "Incident Updated", "Incident Updated", "Incident Resolved"]);
    const a = incidentEvent({ type: "notify", incidentId: g.id, at: T0, kind: "opened" }, g).detail.eventId;
    expect(incidentEvent({ type: "notify", incidentId: g.id, at: T0, kind: "opened" }, g).detail.eventId).toBe(a);
    expect(incidentEvent({ type: "notify", incidentId: g.id, at: T0 + 1, kind: "opened" }, g).detail.eventId).not.toBe(a);
  });

  it("titles an incident by its cause and names the services it reached, the first three and how many more", () => {
    const g = group({ rootService: "orders", eventCount: 12 });
    expect(incidentTitle({ ...g, services: ["orders"] })).toBe(`${g.priority} orders: 12 alerts`);
    expect(incidentTitle({ ...g, services: ["orders", "storefront"] })).toBe(`${g.priority} orders: 12 alerts, also storefront`);
    expect(incidentTitle({ ...g, services: ["api", "orders", "storefront", "cart", "search", "admin"] })).toBe(`${g.priority} orders: 12 alerts, also api, storefront, cart and 2 more`);
  });

  it("titles an incident no service owns by what its first alert is: a Health event's type, a Config rule, a kind of signal", () => {
    const nobody = (fingerprint: string) => incidentTitle(group({ rootService: undefined, services: [], roots: [fingerprint], eventCount: 1 }));
    expect(nobody("health:arn:aws:health:us-east-1::event/EC2/AWS_EC2_OPERATIONAL_ISSUE/AWS_EC2_OPERATIONAL_ISSUE_abc:111111111111")).toMatch(/ AWS Health AWS_EC2_OPERATIONAL_ISSUE: 1 alert$/);
    expect(nobody("config:111111111111:us-east-1:restricted-ssh:AWS::EC2::SecurityGroup:sg-1")).toMatch(/ Config rule restricted-ssh: 1 alert$/);
    expect(nobody("cost:anomaly-1")).toMatch(/ cost anomaly: 1 alert$/);
    expect(nobody("generic:aws.foo:Bar:1")).toMatch(/ unattributed alerts: 1 alert$/);
  });

  it("builds details the outbound schemas accept, with PagerDuty's component, group and class", () => {
    const g = group({ status: "resolved", resolvedAt: T0 + 20 * MIN });
    const resolved = incidentEvent({ type: "notify", incidentId: g.id, at: T0 + 20 * MIN, kind: "resolved" }, g);
    expect(() => vigilEntry("Incident Resolved", resolved.detail as never)).not.toThrow();
    expect(resolved.detail.incident).toMatchObject({ status: "resolved", component: "api", group: "111111111111/us-east-1", class: g.priority, resolvedAt: new Date(T0 + 20 * MIN).toISOString() });
  });
});

describe("records", () => {
  it("stores an alert with no group as groupId null", () => {
    expect(alertRecord(storm()[0]!, "").groupId).toBeNull();
  });

  it("has no Incident item for a pending or discarded group", () => {
    const { state } = ingestScopeBatch(createGroupingState(), [storm()[0]!], ctx);
    const pending = Object.values(state.groups)[0]!;
    expect(pending.status).toBe("pending");
    expect(incidentRecord(pending, "t")).toBeUndefined();
    expect(incidentRecord({ ...pending, status: "discarded" }, "t")).toBeUndefined();
  });

  it("scopes an alert by its account's correlation scope: its own when the topology links it to no other", () => {
    expect(scopeOf(storm()[0]!, topology.scopes)).toBe("acct#111111111111");
    const linked = buildTopology({ services: [{ name: "db", account: "222222222222" }, { name: "api", account: "111111111111", dependsOn: ["db"] }] });
    expect(scopeOf(storm()[0]!, linked.scopes)).toBe("group#111111111111");
    expect(scopeOf(storm()[0]!, perAccountScopes)).toBe("acct#111111111111");
  });
});
