import { QueryCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendAuditEntry } from "../../../core/audit/append";
import { ConcurrencyConflictError } from "../../../core/store/errors";
import {
  getIncidentDetail,
  listAlertsByFingerprint,
  listIncidentsByStatus,
  listReplicationTargetsByStatus,
} from "../../../core/store/queries";
import { createStore, type Store } from "../../../core/store/service";
import {
  createAlert,
  createIncident,
  createRemediation,
  createReplicationTarget,
  updateIncident,
  updateRemediation,
  updateReplicationTarget,
} from "../../../core/store/versioned";
import { startDynalite, type DynaliteHandle } from "../../support/dynalite";
import { alertRecord, incidentRecord, remediationRecord } from "./factories";

let db: DynaliteHandle;
let store: Store;
let queries = 0;

beforeAll(async () => {
  db = await startDynalite();
  db.client.middlewareStack.add(
    (next, context) => (args) => {
      if (context.commandName === "QueryCommand") queries++;
      return next(args);
    },
    { step: "initialize", name: "countQueries" },
  );
  store = createStore({ client: db.client, table: db.table });
});
afterAll(() => db.stop());

describe("entity round trips", () => {
  it("series", async () => {
    const item = { seriesId: "cpu|i-1", state: '{"mean":0.1}', version: 1, lastTimestamp: 1714557600000, updatedAt: "t" };
    await store.entities.series.create(item).go();
    expect((await store.entities.series.get({ seriesId: "cpu|i-1" }).go()).data).toEqual(item);
  });

  it("alert", async () => {
    const alert = alertRecord({ incidentId: "inc-rt" });
    expect(await createAlert(store, alert)).toEqual(alert);
    expect((await store.entities.alert.get({ alertId: alert.alertId }).go()).data).toEqual(alert);
  });

  it("incident, with updates bumping the version", async () => {
    const input = incidentRecord();
    const created = await createIncident(store, input);
    expect(created).toEqual({ ...input, version: 1 });
    const resolved = await updateIncident(store, input.incidentId, 1, {
      status: "resolved",
      resolvedAt: "2024-05-01T11:00:00.000Z",
      updatedAt: "2024-05-01T11:00:00.000Z",
    });
    expect(resolved).toMatchObject({ status: "resolved", version: 2, resolvedAt: "2024-05-01T11:00:00.000Z" });
    expect((await store.entities.incident.get({ incidentId: input.incidentId }).go()).data).toEqual(resolved);
    expect((await listIncidentsByStatus(store, "resolved")).map((i) => i.incidentId)).toContain(input.incidentId);
    expect((await listIncidentsByStatus(store, "open")).map((i) => i.incidentId)).not.toContain(input.incidentId);
  });

  it("remediation, keeping its before/after snapshots as JSON", async () => {
    const input = remediationRecord();
    await createRemediation(store, input);
    const executed = await updateRemediation(store, input.remediationId, 1, {
      status: "executed",
      after: { state: "rebooting", attempts: [1, 2.5] },
      updatedAt: "2024-05-01T10:05:00.000Z",
    });
    expect(executed).toEqual({
      ...input,
      status: "executed",
      after: { state: "rebooting", attempts: [1, 2.5] },
      updatedAt: "2024-05-01T10:05:00.000Z",
      version: 2,
    });
  });

  it("replication target", async () => {
    const input = { targetId: "s3-orders", kind: "s3" as const, resource: "arn:aws:s3:::orders", status: "ok" as const, rpoMinutes: 15, updatedAt: "t0" };
    await createReplicationTarget(store, input);
    const breached = await updateReplicationTarget(store, "s3-orders", 1, {
      status: "breached",
      observedRpoMinutes: 42,
      lastSignalAt: "t1",
      updatedAt: "t1",
    });
    expect(breached).toEqual({ ...input, status: "breached", observedRpoMinutes: 42, lastSignalAt: "t1", updatedAt: "t1", version: 2 });
    expect((await listReplicationTargetsByStatus(store, "breached")).map((t) => t.targetId)).toEqual(["s3-orders"]);
  });
});

describe("incidentDetail collection", () => {
  it("returns the incident with its alerts, remediations and audit entries in one query", async () => {
    const incident = incidentRecord();
    const { incidentId } = incident;
    await createIncident(store, incident);
    const alerts = [alertRecord({ incidentId }), alertRecord({ incidentId }), alertRecord({ incidentId })];
    for (const alert of alerts) await createAlert(store, alert);
    await createAlert(store, alertRecord({ incidentId: "someone-else" }));
    await createAlert(store, alertRecord());
    const remediation = remediationRecord({ incidentId });
    await createRemediation(store, remediation);
    const audited = await appendAuditEntry(store, {
      chainId: "detail-chain", eventId: "evt-detail", at: "2024-05-01T10:00:04.000Z", kind: "Incident Opened",
      incidentId, actor: "vigil", payload: { incidentId },
    });
    await appendAuditEntry(store, {
      chainId: "detail-chain", eventId: "evt-other", at: "2024-05-01T10:00:05.000Z", kind: "Incident Opened",
      actor: "vigil", payload: {},
    });

    const before = queries;
    const detail = await getIncidentDetail(store, incidentId);
    expect(queries - before).toBe(1);
    expect(detail.incident).toEqual({ ...incident, version: 1 });
    expect(detail.alerts.map((a) => a.alertId).sort()).toEqual(alerts.map((a) => a.alertId).sort());
    expect(detail.remediations).toEqual([{ ...remediation, version: 1 }]);
    expect(detail.auditEntries).toEqual([audited.entry]);
  });

  it("an alert attached to an incident later joins its collection", async () => {
    const { incidentId } = await createIncident(store, incidentRecord());
    const alert = await createAlert(store, alertRecord());
    await store.entities.alert.patch({ alertId: alert.alertId }).set({ incidentId }).go();
    expect((await getIncidentDetail(store, incidentId)).alerts.map((a) => a.alertId)).toEqual([alert.alertId]);
  });
});

describe("optimistic concurrency", () => {
  it("the second writer at the same version gets a ConcurrencyConflictError, and nothing is overwritten", async () => {
    const input = incidentRecord();
    await createIncident(store, input);
    await updateIncident(store, input.incidentId, 1, { title: "first writer", updatedAt: "t1" });
    const loser = updateIncident(store, input.incidentId, 1, { title: "second writer", updatedAt: "t2" });
    await expect(loser).rejects.toThrowError(ConcurrencyConflictError);
    await expect(loser).rejects.toMatchObject({
      code: "store.version_conflict",
      entity: "incident",
      id: input.incidentId,
      expectedVersion: 1,
    });
    const stored = (await store.entities.incident.get({ incidentId: input.incidentId }).go()).data;
    expect(stored).toMatchObject({ title: "first writer", version: 2 });
  });

  it("creating an item that exists is a conflict at version 0", async () => {
    const input = incidentRecord();
    await createIncident(store, input);
    await expect(createIncident(store, { ...input, title: "duplicate" })).rejects.toMatchObject({
      name: "ConcurrencyConflictError",
      code: "store.version_conflict",
      expectedVersion: 0,
    });
  });

  it("of many concurrent updates from the same version exactly one wins", async () => {
    const input = remediationRecord();
    await createRemediation(store, input);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => updateRemediation(store, input.remediationId, 1, { status: "approved", updatedAt: `t${i}` })),
    );
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    const rejected = outcomes.filter((o): o is PromiseRejectedResult => o.status === "rejected");
    expect(rejected.every((o) => o.reason instanceof ConcurrencyConflictError)).toBe(true);
  });
});

describe("pagination", () => {
  it("follows the cursor past DynamoDB's 1 MB page", async () => {
    const fingerprint = "fp-big";
    const summary = "x".repeat(300_000);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const alert = alertRecord({ fingerprint, summary, eventTime: `2024-05-01T10:00:0${i}.000Z` });
      await createAlert(store, alert);
      ids.push(alert.alertId);
    }
    const firstPage = await db.client.send(
      new QueryCommand({
        TableName: db.table,
        IndexName: "gsi2",
        KeyConditionExpression: "gsi2pk = :pk",
        ExpressionAttributeValues: { ":pk": { S: "$vigil#fingerprint_fp-big" } },
      }),
    );
    expect(firstPage.LastEvaluatedKey).toBeDefined();
    expect(firstPage.Items!.length).toBeLessThan(5);
    expect((await listAlertsByFingerprint(store, fingerprint)).map((a) => a.alertId)).toEqual(ids);
  });
});
