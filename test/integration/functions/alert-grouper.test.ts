import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import type { Context, KinesisStreamEvent } from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createStore } from "../../../core/store/service";
import { commitGroupingScope, loadGroupingScopes, writeAlertPages } from "../../../core/store/grouping-batch";
import { encodeScopeText } from "../../../core/store/scope-codec";
import { createLambdaContext } from "../../../local/kinesis/lambda-context";
import { albAlarm, alertStreamRecord } from "../../support/alarm-events";
import { handlerEnv, startDynalite, type DynaliteHandle } from "../../support/dynalite";

const ACCOUNT = "123456789012";
const T0 = Date.parse("2025-06-02T09:00:00Z");
const MIN = 60_000;
const TOPOLOGY = { services: [{ name: "checkout", resources: ["arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/checkout/1"] }] };

const eventbridge = mockClient(EventBridgeClient);
let db: DynaliteHandle;
let grouper: (event: KinesisStreamEvent, context: Context) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;
let timer: (event: unknown, context: Context) => Promise<{ scopes: number; published: number }>;
const context = (name: string) => createLambdaContext({ functionName: name, region: "us-east-1", accountId: ACCOUNT, timeoutMs: 30_000 });

beforeAll(async () => {
  db = await startDynalite();
  // Set before the handlers load: their clients and config are built once per instance, as in Lambda.
  Object.assign(process.env, handlerEnv(db, { topology: TOPOLOGY }));
  grouper = (await import("../../../functions/alert-grouper")).handler as never;
  timer = (await import("../../../functions/incident-timer")).handler as never;
});
afterAll(async () => db?.stop());
beforeEach(() => {
  eventbridge.reset();
  eventbridge.on(PutEventsCommand).callsFake((input: { Entries: unknown[] }) => ({ FailedEntryCount: 0, Entries: input.Entries.map((_, i) => ({ EventId: `e${i}` })) }));
});

/** A CloudWatch alarm going to ALARM on the checkout load balancer. */
const alarm = (id: string, name: string, at: number) => albAlarm({ id, account: ACCOUNT, name, at });
const record = (data: string) => alertStreamRecord(data, ACCOUNT);

const scheduled = (at: number) => ({ version: "0", id: `s${at}`, "detail-type": "Scheduled Event", source: "aws.events", account: ACCOUNT, time: new Date(at).toISOString(), region: "us-east-1", resources: [], detail: {} });
const publishedTypes = () => eventbridge.commandCalls(PutEventsCommand).flatMap((c) => c.args[0].input.Entries ?? []).map((e) => e.DetailType);

describe("alert-grouper and incident-timer", () => {
  it("fails only an undecodable record, groups the others, and pages after group_wait", async () => {
    const records = [record(JSON.stringify(alarm("a-1", "checkout-5xx", T0))), record("not json"), record(JSON.stringify(alarm("a-2", "checkout-latency", T0 + MIN)))];
    const response = await grouper({ Records: records }, context("alert-grouper"));
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: records[1]!.kinesis.sequenceNumber }]);
    const store = createStore({ client: db.client, table: db.table });
    const scope = (await loadGroupingScopes(store, [`acct#${ACCOUNT}`])).get(`acct#${ACCOUNT}`);
    // Fewer alerts than a page: they wait in the scope item's page buffer.
    expect((JSON.parse(scope?.pageBuffer ?? "{}") as { alerts: { eventId: string }[] }).alerts.map((a) => a.eventId)).toEqual(["a-1", "a-2"]);
    expect(publishedTypes()).toEqual([]);

    const report = await timer(scheduled(T0 + 2 * MIN), context("incident-timer"));
    expect(report).toMatchObject({ scopes: 1, published: 1 });
    expect(publishedTypes()).toEqual(["Incident Opened"]);
  });

  it("publishes nothing again when a batch is redelivered or the timer fires twice at one time", async () => {
    const records = [record(JSON.stringify(alarm("b-1", "checkout-5xx-b", T0 + 60 * MIN))), record(JSON.stringify(alarm("b-2", "checkout-latency-b", T0 + 61 * MIN)))];
    await grouper({ Records: records }, context("alert-grouper"));
    await timer(scheduled(T0 + 62 * MIN), context("incident-timer"));
    const first = publishedTypes().length;
    await grouper({ Records: records }, context("alert-grouper"));
    await timer(scheduled(T0 + 62 * MIN), context("incident-timer"));
    expect(publishedTypes()).toHaveLength(first);
  });

  it("steps a scope from the state it committed while that is still the stored version, and reads it again once another writer committed", async () => {
    const { groupAlerts } = await import("../../../functions/lib/grouping-run");
    const { groupingContext, groupingDeps } = await import("../../../functions/lib/grouping-context");
    const { normaliseEvent } = await import("../../../core/grouping");
    const ctx = groupingContext();
    const alertsOf = (event: unknown) => {
      const result = normaliseEvent(event, ctx.topology);
      return "alerts" in result ? result.alerts : [];
    };
    const scopeId = `acct#${ACCOUNT}`;
    const store = createStore({ client: db.client, table: db.table });
    const first = alertsOf(alarm("c-1", "checkout-5xx-c", T0 + 120 * MIN));
    await groupAlerts(groupingDeps(), first, ctx);
    const warm = await groupAlerts(groupingDeps(), alertsOf(alarm("c-2", "checkout-latency-c", T0 + 121 * MIN)), ctx);
    expect(warm).toMatchObject({ alerts: 1, duplicates: 0, conflicts: 0 });
    // Another instance (or the timer, in AWS) commits a state that has never seen c-1.
    const before = (await loadGroupingScopes(store, [scopeId])).get(scopeId)!;
    const forgotten = { ...JSON.parse(before.state), seen: {} };
    await commitGroupingScope(store, { scopeId, state: JSON.stringify(forgotten), outbox: "", pageBuffer: before.pageBuffer ?? "", incidentDigests: before.incidentDigests, expectedVersion: before.version });
    // Read afresh, without losing a race first: c-1 is new to the stored state.
    const redelivered = await groupAlerts(groupingDeps(), first, ctx);
    expect(redelivered).toMatchObject({ alerts: 1, duplicates: 0, conflicts: 0 });
  });

  it("drops the oldest history of a state that outgrew its item, and keeps grouping, instead of failing every batch", async () => {
    const { groupAlerts } = await import("../../../functions/lib/grouping-run");
    const { groupingContext, groupingDeps } = await import("../../../functions/lib/grouping-context");
    const { normaliseEvent } = await import("../../../core/grouping");
    const other = "210987654321";
    const scopeId = `acct#${other}`;
    const ctx = groupingContext();
    const alertsOf = (events: object[]) => events.flatMap((e) => { const r = normaliseEvent(e, ctx.topology); return "alerts" in r ? r.alerts : []; });
    const start = T0 + 5000 * MIN;
    // Lone blips a quarter of an hour apart: each held, then discarded as transient; history the state keeps for hours.
    const blips = Array.from({ length: 10 }, (_, i) => [
      albAlarm({ id: `h-${i}`, account: other, name: `blip-${i}`, at: start + i * 15 * MIN }),
      albAlarm({ id: `h-${i}-ok`, account: other, name: `blip-${i}`, at: start + i * 15 * MIN + MIN, value: "OK" }),
    ]).flat();
    await groupAlerts(groupingDeps(), alertsOf(blips), ctx);
    const store = createStore({ client: db.client, table: db.table });
    const item = (await loadGroupingScopes(store, [scopeId])).get(scopeId)!;
    const closed = Object.values(JSON.parse(item.state).groups as Record<string, { status: string }>).filter((g) => g.status === "discarded").length;
    expect(closed).toBeGreaterThan(3);
    // The item as stored is now the limit: the next alert makes the state outgrow it.
    const limit = [item.state, item.outbox ?? "", item.pageBuffer ?? "", item.incidentDigests ?? ""].reduce((n, text) => n + encodeScopeText(text).length, 0);
    const next = alertsOf([albAlarm({ id: "h-next", account: other, name: "blip-next", at: start + 10 * 15 * MIN })]);
    const report = await groupAlerts({ ...groupingDeps(), maxScopeBytes: limit }, next, ctx);
    expect(report).toMatchObject({ alerts: 1, conflicts: 0 });
    expect(report.shed?.[scopeId]).toMatchObject({ fits: true, groups: expect.any(Number) });
    expect(report.shed![scopeId]!.groups).toBeGreaterThan(0);
    const after = (await loadGroupingScopes(store, [scopeId])).get(scopeId)!;
    expect(after.version).toBe(item.version + 1);
    expect(JSON.stringify(JSON.parse(after.state).seen)).toContain("h-next");
  });

  it("stores a state whose open groups alone outgrow the item over several items, keeping its dedup keys, and keeps grouping", async () => {
    const { groupingContext, groupingDeps } = await import("../../../functions/lib/grouping-context");
    const { buildTopology, normaliseEvent } = await import("../../../core/grouping");
    const other = "310987654321";
    const scopeId = `acct#${other}`;
    const services = Array.from({ length: 60 }, (_, i) => ({ name: `wide-${i}`, resources: [`arn:aws:elasticloadbalancing:us-east-1:${other}:loadbalancer/app/wide-${i}/${i}`] }));
    const ctx = { ...groupingContext(), topology: buildTopology({ services }) };
    const alertsOf = (events: object[]) => events.flatMap((e) => { const r = normaliseEvent(e, ctx.topology); return "alerts" in r ? r.alerts : []; });
    const start = T0 + 9000 * MIN;
    // 60 services failing at once (two alarms each), each its own group: open groups, no history to drop.
    const alarms = Array.from({ length: 60 }, (_, i) => [
      albAlarm({ id: `w-${i}`, account: other, name: `wide-${i}-5xx`, at: start + i * 1000, loadBalancer: `app/wide-${i}/${i}` }),
      albAlarm({ id: `w-${i}-latency`, account: other, name: `wide-${i}-latency`, at: start + MIN + i * 1000, metric: "TargetResponseTime", loadBalancer: `app/wide-${i}/${i}` }),
    ]).flat();
    const deps = { ...groupingDeps(), maxScopeBytes: 2048 };
    const { groupAlerts } = await import("../../../functions/lib/grouping-run");
    const first = await groupAlerts(deps, alertsOf(alarms.slice(0, 60)), ctx);
    expect(first).toMatchObject({ alerts: 60, conflicts: 0 });
    expect(first.spilled?.[scopeId]).toBeGreaterThan(1);
    expect(first.shed).toBeUndefined();
    expect(await groupAlerts(deps, alertsOf(alarms.slice(60)), ctx)).toMatchObject({ alerts: 60, spilled: { [scopeId]: expect.any(Number) } });

    // Another instance (fresh module state) reads the scope back from its parts: a redelivery is still a duplicate.
    vi.resetModules();
    const cold = await import("../../../functions/lib/grouping-run");
    expect(await cold.groupAlerts(deps, alertsOf(alarms.slice(0, 60)), ctx)).toMatchObject({ alerts: 0, duplicates: 60 });
    const ticked = await cold.tickDueScopes(deps, start + 30 * MIN, ctx);
    expect(ticked).toMatchObject({ conflicts: 0, published: expect.any(Number) });
    expect(ticked.published).toBeGreaterThan(0);

    const store = createStore({ client: db.client, table: db.table });
    const item = (await loadGroupingScopes(store, [scopeId])).get(scopeId)!;
    expect(Object.keys((JSON.parse(item.state) as { groups: object }).groups)).toHaveLength(60);
    // Only the current version's parts are left.
    const parts = (await store.entities.groupingScopePart.query.byScope({ scopeId }).go({ pages: "all" })).data;
    expect([...new Set(parts.map((p) => p.partSet))]).toEqual([item.partSet]);
  });

  it("stores launches that joined nothing so that `readAssignments` puts them in the incident an alarm on their instance opened later", async () => {
    const { readAssignments } = await import("../../../local/assignments");
    const instance = (id: string, state: string, at: number) => ({
      version: "0",
      id: `launch-${id}-${state}`,
      "detail-type": "EC2 Instance State-change Notification",
      source: "aws.ec2",
      account: ACCOUNT,
      time: new Date(at).toISOString(),
      region: "us-east-1",
      resources: [`arn:aws:ec2:us-east-1:${ACCOUNT}:instance/${id}`],
      detail: { "instance-id": id, state },
    });
    const idle = (id: string, at: number) => {
      const event = alarm(`idle-${id}`, `checkout-cpu-idle-${id}`, at);
      event.detail.configuration.metrics[0]!.metricStat.metric = { namespace: "AWS/EC2", name: "CPUUtilization", dimensions: { InstanceId: id } } as never;
      return event;
    };
    const launches = ["i-0a1", "i-0a2"].flatMap((id, n) => [instance(id, "pending", T0 + (300 + n) * MIN), instance(id, "running", T0 + (301 + n) * MIN)]);
    await grouper({ Records: launches.map((e) => record(JSON.stringify(e))) }, context("alert-grouper"));
    const alarms = [idle("i-0a1", T0 + 380 * MIN), idle("i-0a2", T0 + 381 * MIN)];
    await grouper({ Records: alarms.map((e) => record(JSON.stringify(e))) }, context("alert-grouper"));
    await timer(scheduled(T0 + 383 * MIN), context("incident-timer"));

    const store = createStore({ client: db.client, table: db.table });
    const { assignments } = await readAssignments(store, [...launches, ...alarms].map((e) => e.id));
    const incident = assignments.find((a) => a.eventId === "idle-i-0a1")?.incidentId;
    expect(incident).toEqual(expect.any(String));
    expect(assignments.map((a) => a.incidentId)).toEqual(Array(6).fill(incident));

    // The same incident read back for people: its alarms with how they joined, the launches taken in after.
    const { readIncidentAlerts } = await import("../../../local/assignments");
    const [read] = (await readIncidentAlerts(store)).filter((i) => i.incident.incidentId === incident);
    expect(read?.alerts.map((a) => a.eventId)).toEqual([...launches, ...alarms].map((e) => e.id));
    expect(read?.alerts.filter((a) => a.eventId.startsWith("idle-")).map((a) => a.link)).toEqual(["new", expect.any(String)]);
    expect(read?.alerts.filter((a) => a.eventId.startsWith("launch-")).every((a) => a.groupId === null && a.joinedElsewhere === true)).toBe(true);
  });

  it("stores why held alerts never paged, in written pages and in the buffer, so `readHeldBack` can tell a person", async () => {
    const { readHeldBack } = await import("../../../local/assignments");
    const start = T0 + 2000 * MIN;
    // Lone 5xx blips half an hour apart, each cleared a minute after it fired: each is held, then suppressed as transient.
    const blips = Array.from({ length: 60 }, (_, i) => {
      const at = start + i * 30 * MIN;
      return [alarm(`blip-${i}`, `checkout-blip-${i}`, at), albAlarm({ id: `blip-${i}-ok`, account: ACCOUNT, name: `checkout-blip-${i}`, at: at + MIN, value: "OK" })];
    }).flat();
    await grouper({ Records: blips.map((e) => record(JSON.stringify(e))) }, context("alert-grouper"));
    await timer(scheduled(start + 60 * 30 * MIN + 60 * MIN), context("incident-timer"));

    const store = createStore({ client: db.client, table: db.table });
    const pages = await store.entities.alertPage.scan.go({ pages: "all" });
    expect(pages.data.some((p) => p.suppressed !== undefined)).toBe(true);
    const held = (await readHeldBack(store)).filter((h) => h.alerts[0]!.eventId.startsWith("blip-"));
    expect(held).toHaveLength(60);
    expect(held.every((h) => h.reason === "transient" && h.alerts.length === 2)).toBe(true);
    expect(held[59]!.alerts.map((a) => a.eventId)).toEqual(["blip-59", "blip-59-ok"]);

    // A page an earlier version wrote keeps no verdicts: its held alerts are "unrecorded", never taken for pending.
    const old = { eventId: "old-1", fingerprint: "alarm:old", groupId: "inc-old-1", status: "firing", severity: "warning", source: "aws.cloudwatch", kind: "cloudwatch.alarm", eventTime: "2025-01-01T00:00:00.000Z", summary: "old" };
    await writeAlertPages(store, [{ scopeId: (await store.entities.groupingScope.scan.go()).data[0]!.scopeId, pageId: "2025-01-01T00:00:00.000Z#old", alerts: JSON.stringify([old]), merges: "[]", count: 1, expiresAt: 4_000_000_000 }]);
    expect((await readHeldBack(store)).find((h) => h.alerts[0]!.eventId === "old-1")?.reason).toBe("unrecorded");
  });

  it("rejects an event that is not a Scheduled Event, naming the field", async () => {
    await expect(timer({ source: "aws.s3" }, context("incident-timer"))).rejects.toThrow(/source/);
  });
});
