import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { describe, expect, it } from "vitest";
import { createStore } from "../../../core/store/service";
import { INDEX_NAMES, KEY_FIELDS, tableDefinition, TTL_ATTRIBUTE } from "../../../core/store/table";

// Offline: `.params()` builds requests without sending them, so a change to the key
// layout (which would orphan every stored item) fails here first.
const store = createStore({
  client: new DynamoDBClient({ region: "us-east-1", credentials: { accessKeyId: "x", secretAccessKey: "x" } }),
  table: "vigil-layout",
});

type PutParams = { Item: Record<string, unknown> };
const keysOf = (params: PutParams) =>
  Object.fromEntries(Object.entries(params.Item).filter(([name]) => /^(pk|sk|gsi\dpk|gsi\dsk)$/.test(name)));

describe("key layout", () => {
  it("series: one item per series id", () => {
    const params = store.entities.series
      .put({ seriesId: "CPU|i-123", state: "{}", version: 1, lastTimestamp: 0, updatedAt: "t", expiresAt: 99 })
      .params<PutParams>();
    expect(keysOf(params)).toEqual({ pk: "$vigil#seriesid_cpu|i-123", sk: "$series_1" });
    expect(params.Item[TTL_ATTRIBUTE]).toBe(99);
  });

  it("alert: by id, in its incident's collection, and by fingerprint", () => {
    const params = store.entities.alert
      .put({
        alertId: "a1", fingerprint: "fp1", incidentId: "i1", status: "firing", severity: "error", source: "aws.cloudwatch",
        summary: "s", resources: [], account: "1", region: "r", eventTime: "2024-01-01T00:00:00Z", receivedAt: "t", eventId: "e",
      })
      .params<PutParams>();
    expect(keysOf(params)).toEqual({
      pk: "$vigil#alertid_a1",
      sk: "$alert_1",
      gsi1pk: "$vigil#incidentid_i1",
      gsi1sk: "$incidentdetail#alert_1",
      gsi2pk: "$vigil#fingerprint_fp1",
      gsi2sk: "$alert_1#eventtime_2024-01-01t00:00:00z#alertid_a1",
    });
  });

  it("items without an incident stay out of the incident index", () => {
    const params = store.entities.alert
      .put({
        alertId: "a2", fingerprint: "fp1", status: "firing", severity: "info", source: "s", summary: "s",
        resources: ["arn"], account: "1", region: "r", eventTime: "e", receivedAt: "t", eventId: "e",
      })
      .params<PutParams>();
    expect(Object.keys(keysOf(params)).sort()).toEqual(["gsi2pk", "gsi2sk", "pk", "sk"]);
    const entry = store.entities.auditEntry
      .put({ chainId: "main", seq: 1, eventId: "e", at: "a", kind: "k", actor: "vigil", payload: "{}", prevHash: "p", hash: "h" })
      .params<PutParams>();
    expect(Object.keys(keysOf(entry)).sort()).toEqual(["pk", "sk"]);
  });

  it("incident, remediation and replication target", () => {
    const incident = store.entities.incident
      .put({
        incidentId: "i1", status: "open", title: "t", priority: "P1", severity: "critical", fingerprints: ["fp"],
        alertCount: 1, openedAt: "o", updatedAt: "u", version: 1,
      })
      .params<PutParams>();
    expect(keysOf(incident)).toEqual({
      pk: "$vigil#incidentid_i1",
      sk: "$incident_1",
      gsi1pk: "$vigil#incidentid_i1",
      gsi1sk: "$incidentdetail#incident_1",
      gsi2pk: "$vigil#status_open",
      gsi2sk: "$incident_1#incidentid_i1",
    });
    const remediation = store.entities.remediation
      .put({
        remediationId: "r1", incidentId: "i1", policy: "p", action: "a", mode: "dry-run", resource: "arn",
        status: "planned", createdAt: "c", updatedAt: "u", version: 1,
      })
      .params<PutParams>();
    expect(keysOf(remediation)).toEqual({
      pk: "$vigil#remediationid_r1",
      sk: "$remediation_1",
      gsi1pk: "$vigil#incidentid_i1",
      gsi1sk: "$incidentdetail#remediation_1",
      gsi2pk: "$vigil#status_planned",
      gsi2sk: "$remediation_1#remediationid_r1",
    });
    const target = store.entities.replicationTarget
      .put({ targetId: "t1", kind: "s3", resource: "arn", status: "ok", rpoMinutes: 15, updatedAt: "u", version: 1 })
      .params<PutParams>();
    expect(keysOf(target)).toEqual({
      pk: "$vigil#targetid_t1",
      sk: "$replicationtarget_1",
      gsi2pk: "$vigil#status_ok",
      gsi2sk: "$replicationtarget_1#targetid_t1",
    });
  });

  it("audit entries sort numerically by zero-padded seq; intents are keyed by event id", () => {
    const entry = store.entities.auditEntry
      .put({
        chainId: "main", seq: 42, eventId: "e", at: "a", kind: "k", incidentId: "i1", actor: "vigil", payload: "{}",
        prevHash: "p", hash: "h",
      })
      .params<PutParams>();
    expect(keysOf(entry)).toEqual({
      pk: "$vigil#chainid_main",
      sk: "$auditentry_1#seq_000000000042",
      gsi1pk: "$vigil#incidentid_i1",
      gsi1sk: "$incidentdetail#auditentry_1",
    });
    const intent = store.entities.auditIntent
      .put({ chainId: "main", eventId: "E-1", seq: 3, createdAt: "c", updatedAt: "u" })
      .params<PutParams>();
    expect(keysOf(intent)).toEqual({ pk: "$vigil#chainid_main#eventid_e-1", sk: "$auditintent_1" });
    // The head shares its chain's partition, under a sort key the entries' begins_with never matches.
    const head = store.entities.auditHead.put({ chainId: "main", seq: 3, hash: "h", pending: "[]", updatedAt: "u" }).params<PutParams>();
    expect(keysOf(head)).toEqual({ pk: "$vigil#chainid_main", sk: "$audithead_1" });
  });

  it("creates are guarded by attribute_not_exists and updates by the version read", () => {
    const create = store.entities.incident
      .create({
        incidentId: "i1", status: "open", title: "t", priority: "P1", severity: "critical", fingerprints: [],
        alertCount: 0, openedAt: "o", updatedAt: "u", version: 1,
      })
      .params<{ ConditionExpression: string }>();
    expect(create.ConditionExpression).toBe("attribute_not_exists(#pk) AND attribute_not_exists(#sk)");
    const update = store.entities.incident
      .patch({ incidentId: "i1" })
      .set({ title: "t2", version: 3 })
      .where(({ version }, { eq }) => eq(version, 2))
      .params<{ ConditionExpression: string; ExpressionAttributeValues: Record<string, unknown> }>();
    expect(update.ConditionExpression).toContain("#version = :version");
    expect(Object.values(update.ExpressionAttributeValues)).toContain(2);
  });
});

describe("tableDefinition", () => {
  it("declares pk/sk and the two access-pattern GSIs, billed per request", () => {
    const def = tableDefinition("t");
    expect(def.TableName).toBe("t");
    expect(def.BillingMode).toBe("PAY_PER_REQUEST");
    expect(def.KeySchema).toEqual([
      { AttributeName: KEY_FIELDS.pk, KeyType: "HASH" },
      { AttributeName: KEY_FIELDS.sk, KeyType: "RANGE" },
    ]);
    expect(def.GlobalSecondaryIndexes?.map((gsi) => [gsi.IndexName, gsi.KeySchema?.map((k) => k.AttributeName)])).toEqual([
      [INDEX_NAMES.byIncident, ["gsi1pk", "gsi1sk"]],
      [INDEX_NAMES.byLookup, ["gsi2pk", "gsi2sk"]],
    ]);
  });
});
