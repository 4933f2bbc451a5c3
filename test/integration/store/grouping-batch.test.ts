import { randomBytes } from "node:crypto";
import type { PutEventsRequestEntry } from "@aws-sdk/client-eventbridge";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { buildTopology, parseGroupingConfig, type Alert, type AlertRecord } from "../../../core/grouping";
import { clearGroupingOutbox, commitGroupingScope, listAlertPages, listDueGroupingScopes, listGroupingScopes, loadGroupingScopes, ScopePartsMissingError, ScopeTooLargeError, writeAlertPages, writeIncidents } from "../../../core/store/grouping-batch";
import { partSetOf } from "../../../core/store/scope-parts";
import { ConcurrencyConflictError } from "../../../core/store/errors";
import { createStore, type Store } from "../../../core/store/service";
import { groupingWrites } from "../../../core/store/write-counter";
import { groupAlerts, tickDueScopes, type GroupingDeps } from "../../../functions/lib/grouping-run";
import { startDynalite, type DynaliteHandle } from "../../support/dynalite";
import { alertFactory, MIN, T0 } from "../../unit/grouping/alert-factory";

const ctx = { topology: buildTopology({ services: [{ name: "db" }, { name: "api", dependsOn: ["db"] }] }), config: parseGroupingConfig({}) };
const SCOPE = "acct#111111111111";

let db: DynaliteHandle;
let store: Store;
let published: PutEventsRequestEntry[];
let deps: GroupingDeps;

beforeAll(async () => {
  db = await startDynalite();
});
afterAll(async () => db?.stop());
beforeEach(() => {
  // Each test works in its own account scope (see storm), so tests share the table without colliding.
  store = createStore({ client: db.client, table: db.table });
  published = [];
  deps = { store, publish: async (entries) => void published.push(...entries) };
});

let run = 0;
/** Two error alarms of one service a minute apart: enough to open an incident. */
function storm(): [Alert, Alert] {
  run += 1;
  const alert = alertFactory({ service: "api", prefix: `r${run}` });
  return [
    alert({ fingerprint: `alarm:api-5xx-${run}`, eventTime: T0 + run * 600 * MIN, severity: "error", account: `1111111111${String(run).padStart(2, "0")}` }),
    alert({ fingerprint: `alarm:api-latency-${run}`, eventTime: T0 + run * 600 * MIN + MIN, severity: "error", account: `1111111111${String(run).padStart(2, "0")}` }),
  ];
}

const scopeOfRun = (alerts: Alert[]) => `acct#${alerts[0]!.account}`;
/** The alerts stored for a scope: written pages, then the page buffer in the scope item. */
async function storedAlerts(scopeId: string): Promise<AlertRecord[]> {
  const paged = (await listAlertPages(store, scopeId)).flatMap((p) => JSON.parse(p.alerts) as AlertRecord[]);
  const buffer = (await loadGroupingScopes(store, [scopeId])).get(scopeId)?.pageBuffer;
  return [...paged, ...(buffer ? (JSON.parse(buffer) as { alerts: AlertRecord[] }).alerts : [])];
}

describe("grouping persistence", () => {
  it("is idempotent on redelivery: no second page, incident or event", async () => {
    const alerts = storm();
    await groupAlerts(deps, alerts, ctx);
    const again = await groupAlerts(deps, alerts, ctx);
    expect(again).toMatchObject({ alerts: 0, duplicates: 2 });
    expect((await storedAlerts(scopeOfRun(alerts))).map((a) => a.eventId)).toEqual(alerts.map((a) => a.eventId));

    const at = alerts[1].eventTime + ctx.config.groupWait;
    await tickDueScopes(deps, at, ctx);
    await tickDueScopes(deps, at, ctx);
    await groupAlerts(deps, alerts, ctx);
    expect(published.map((e) => e.DetailType)).toEqual(["Incident Opened"]);
    const incidents = (await store.entities.incident.scan.go({ pages: "all" })).data.filter((i) => i.fingerprints.includes(alerts[0].fingerprint));
    expect(incidents).toHaveLength(1);
  });

  it("retries a scope that lost a race by reloading it: both writers' alerts end up stored once", async () => {
    const [a, b] = storm();
    const reports = await Promise.all([groupAlerts(deps, [a], ctx), groupAlerts(deps, [b], ctx)]);
    expect(reports.reduce((n, r) => n + r.conflicts, 0)).toBe(1);
    const stored = await storedAlerts(scopeOfRun([a]));
    expect(stored.map((r) => r.eventId).sort()).toEqual([a.eventId, b.eventId].sort());
    // Ingested into one state, the two roots opened one incident.
    expect(new Set(stored.map((r) => r.groupId)).size).toBe(1);
    const scope = (await loadGroupingScopes(store, [scopeOfRun([a])])).get(scopeOfRun([a]));
    expect(scope?.version).toBe(2);
  });

  it("groups a late, earlier alert with the one delivered before it (out-of-order delivery)", async () => {
    const [early, late] = storm();
    await groupAlerts(deps, [late], ctx);
    await groupAlerts(deps, [early], ctx);
    const stored = await storedAlerts(scopeOfRun([early]));
    expect(stored).toHaveLength(2);
    expect(stored[0]!.groupId).toBe(stored[1]!.groupId);
    const incidents = await store.entities.incident.get({ incidentId: stored[0]!.groupId! }).go();
    expect(incidents.data?.alertCount).toBe(2);
  });

  it("counts its DynamoDB item writes: the commit and the opened incident, alerts buffered in the scope item", async () => {
    const before = groupingWrites.count;
    const alerts = storm();
    await groupAlerts(deps, alerts, ctx);
    expect(groupingWrites.count - before).toBe(2);
  });

  it("commits, with the scope, a digest of each Incident item it wrote, so an unchanged one is not written again", async () => {
    const alerts = storm();
    await groupAlerts(deps, alerts, ctx);
    const incidents = Object.keys(JSON.parse((await loadGroupingScopes(store, [scopeOfRun(alerts)])).get(scopeOfRun(alerts))?.incidentDigests ?? "{}") as object);
    expect(incidents).toHaveLength(1);
    expect((await store.entities.incident.get({ incidentId: incidents[0]! }).go()).data?.status).toBe("open");
  });
});

describe("grouping scope items", () => {
  it("refuses a commit on a stale version", async () => {
    const scopeId = `${SCOPE}-stale`;
    await commitGroupingScope(store, { scopeId, state: "{}", outbox: "", pageBuffer: "", expectedVersion: 0 });
    await commitGroupingScope(store, { scopeId, state: "{}", outbox: "", pageBuffer: "", expectedVersion: 1 });
    await expect(commitGroupingScope(store, { scopeId, state: "{}", outbox: "", pageBuffer: "", expectedVersion: 1 })).rejects.toBeInstanceOf(ConcurrencyConflictError);
  });

  it("stores a large state deflated and loads it back as written", async () => {
    const scopeId = `${SCOPE}-large`;
    const state = JSON.stringify({ seen: Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`event-${i}#alarm:${i % 50}`, [T0 + i, `inc-${i % 7}`]])) });
    expect(state.length).toBeGreaterThan(400 * 1024);
    const incidentDigests = JSON.stringify(Object.fromEntries(Array.from({ length: 2_000 }, (_, i) => [`inc-${i}`, `digest-${i}`])));
    await commitGroupingScope(store, { scopeId, state, outbox: "", pageBuffer: "", incidentDigests, expectedVersion: 0 });
    const loaded = (await loadGroupingScopes(store, [scopeId])).get(scopeId);
    expect([loaded?.state, loaded?.incidentDigests]).toEqual([state, incidentDigests]);
  });

  it("stores a full alert page deflated and lists it back as written", async () => {
    const scopeId = `${SCOPE}-page`;
    const alerts = JSON.stringify(Array.from({ length: 100 }, (_, i) => ({ eventId: `event-${i}`, fingerprint: `alarm:api-5xx-${i % 5}`, groupId: "g-1", summary: "Threshold Crossed: 2 out of the last 3 datapoints were greater than the threshold" })));
    await writeAlertPages(store, [{ scopeId, pageId: "2025-01-01T00:00:00.000Z#p", alerts, merges: "[]", count: 100 }]);
    const raw = await store.entities.alertPage.get({ scopeId, pageId: "2025-01-01T00:00:00.000Z#p" }).go();
    expect(raw.data?.alerts.startsWith("z1:")).toBe(true);
    expect(raw.data!.alerts.length).toBeLessThan(alerts.length / 4);
    expect((await listAlertPages(store, scopeId)).map((p) => p.alerts)).toEqual([alerts]);
  });

  it("lists only scopes with a deadline at or before the time asked", async () => {
    await commitGroupingScope(store, { scopeId: `${SCOPE}-due`, state: "{}", outbox: "", pageBuffer: "", dueAt: T0, expectedVersion: 0 });
    await commitGroupingScope(store, { scopeId: `${SCOPE}-later`, state: "{}", outbox: "", pageBuffer: "", dueAt: T0 + 10 * MIN, expectedVersion: 0 });
    await commitGroupingScope(store, { scopeId: `${SCOPE}-never`, state: "{}", outbox: "", pageBuffer: "", dueAt: Number.POSITIVE_INFINITY, expectedVersion: 0 });
    const due = await listDueGroupingScopes(store, T0 + MIN);
    expect(due).toContain(`${SCOPE}-due`);
    expect(due).not.toContain(`${SCOPE}-later`);
    expect(due).not.toContain(`${SCOPE}-never`);
  });

  it("never lets an older projection overwrite a newer Incident item", async () => {
    const incident = { incidentId: "inc-proj", status: "open" as const, title: "t", priority: "P2", severity: "error" as const, fingerprints: ["f"], alertCount: 2, openedAt: "a", updatedAt: "b" };
    await writeIncidents(store, [{ ...incident, alertCount: 5 }], 7);
    await writeIncidents(store, [{ ...incident, alertCount: 3 }], 6);
    expect((await store.entities.incident.get({ incidentId: "inc-proj" }).go()).data).toMatchObject({ alertCount: 5, version: 7 });
  });
});

describe("grouping scope items too large for one item", () => {
  // Random keys deflate poorly: 400 of them are about 20 KB stored, several parts of 4 KB.
  const bulky = (n: number) => JSON.stringify({ seen: Object.fromEntries(Array.from({ length: n }, (_, i) => [randomBytes(16).toString("hex"), [T0 + i, `inc-${i}`]])) });
  const ROOM = 4096;
  const partsOf = async (scopeId: string) => (await store.entities.groupingScopePart.query.byScope({ scopeId }).go({ pages: "all" })).data;

  it("spills the largest texts to parts, loads them back whole, and deletes the parts a newer version no longer names", async () => {
    const scopeId = `${SCOPE}-spill`;
    const state = bulky(400);
    // Non-ASCII text must survive being cut into parts.
    const outbox = JSON.stringify({ events: [], incidents: [], note: "Zürich façade 東京 \u{1F525}".repeat(300) });
    await expect(commitGroupingScope(store, { scopeId, state, outbox, pageBuffer: "", expectedVersion: 0, maxBytes: ROOM })).rejects.toBeInstanceOf(ScopeTooLargeError);

    const first = await commitGroupingScope(store, { scopeId, state, outbox, pageBuffer: "", expectedVersion: 0, maxBytes: ROOM, spill: true });
    expect(first.parts).toBeGreaterThan(3);
    expect(first.state).toBeUndefined();
    expect(first.pageBuffer).toBe("");
    expect((await loadGroupingScopes(store, [scopeId])).get(scopeId)).toMatchObject({ state, outbox, pageBuffer: "", version: 1 });
    expect((await listGroupingScopes(store)).find((s) => s.scopeId === scopeId)?.state).toBe(state);
    // Parts are ASCII (escaped JSON), so a cut never splits a character and a part's length is its size in bytes.
    expect((await partsOf(scopeId)).map((p) => /^[\x20-\x7f]*$/.test(p.data))).toEqual(Array.from({ length: first.parts! }, () => true));

    const next = bulky(300);
    const second = await commitGroupingScope(store, { scopeId, state: next, outbox: "", pageBuffer: "", expectedVersion: 1, maxBytes: ROOM, spill: true, replaces: partSetOf(first) });
    expect(new Set((await partsOf(scopeId)).map((p) => p.partSet))).toEqual(new Set([second.partSet]));
    expect((await loadGroupingScopes(store, [scopeId])).get(scopeId)).toMatchObject({ state: next, outbox: "" });

    await commitGroupingScope(store, { scopeId, state: "{}", outbox: "", pageBuffer: "", expectedVersion: 2, maxBytes: ROOM, spill: true, replaces: partSetOf(second) });
    expect(await partsOf(scopeId)).toEqual([]);
    expect((await loadGroupingScopes(store, [scopeId])).get(scopeId)).toMatchObject({ state: "{}", version: 3 });
  });

  it("empties a spilled outbox in place, leaving the state as it was", async () => {
    const scopeId = `${SCOPE}-spilled-outbox`;
    const state = JSON.stringify({ groups: {} });
    const item = await commitGroupingScope(store, { scopeId, state, outbox: bulky(400), pageBuffer: "", expectedVersion: 0, maxBytes: ROOM, spill: true });
    expect([item.outbox, item.state]).toEqual([undefined, state]);
    await clearGroupingOutbox(store, scopeId, 1);
    expect((await loadGroupingScopes(store, [scopeId])).get(scopeId)).toMatchObject({ state, outbox: "" });
  });

  it("takes away the parts of a commit that lost its race, and keeps the winner's", async () => {
    const scopeId = `${SCOPE}-spill-race`;
    await commitGroupingScope(store, { scopeId, state: "{}", outbox: "", pageBuffer: "", expectedVersion: 0 });
    const winner = bulky(400);
    await commitGroupingScope(store, { scopeId, state: winner, outbox: "", pageBuffer: "", expectedVersion: 1, maxBytes: ROOM, spill: true });
    const winnerParts = await partsOf(scopeId);
    await expect(commitGroupingScope(store, { scopeId, state: bulky(400), outbox: "", pageBuffer: "", expectedVersion: 1, maxBytes: ROOM, spill: true })).rejects.toBeInstanceOf(ConcurrencyConflictError);
    expect(await partsOf(scopeId)).toEqual(winnerParts);
    expect((await loadGroupingScopes(store, [scopeId])).get(scopeId)?.state).toBe(winner);
  });

  it("names the scope whose parts are gone instead of loading part of its state", async () => {
    const scopeId = `${SCOPE}-spill-lost`;
    const item = await commitGroupingScope(store, { scopeId, state: bulky(400), outbox: "", pageBuffer: "", expectedVersion: 0, maxBytes: ROOM, spill: true });
    await store.entities.groupingScopePart.delete({ scopeId, partSet: item.partSet!, index: 1 }).go();
    await expect(loadGroupingScopes(store, [scopeId])).rejects.toThrow(ScopePartsMissingError);
    await expect(loadGroupingScopes(store, [scopeId])).rejects.toThrow(`groupingScope "${scopeId}" names part set ${item.partSet}`);
  });
});
