import { Entity } from "electrodb";
import { INDEX_NAMES, KEY_FIELDS, MODEL_VERSION, SERVICE_NAME } from "./table";

/** A protected resource's replication status against its RPO target. */
export const replicationTargetSchema = {
  model: { entity: "replicationTarget", version: MODEL_VERSION, service: SERVICE_NAME },
  attributes: {
    targetId: { type: "string", required: true },
    kind: { type: ["s3", "rds", "dynamodb"] as const, required: true },
    resource: { type: "string", required: true },
    status: { type: ["ok", "breached", "stale", "unknown"] as const, required: true },
    rpoMinutes: { type: "number", required: true },
    observedRpoMinutes: { type: "number" },
    lastSignalAt: { type: "string" },
    /** The model's `ReplicationState` as JSON, so the next signal continues from it. */
    state: { type: "string" },
    /** PutEvents entries (JSON) of transitions written but not yet published: sent, then cleared. */
    outbox: { type: "string" },
    updatedAt: { type: "string", required: true },
    version: { type: "number", required: true },
  },
  indexes: {
    byTarget: {
      pk: { field: KEY_FIELDS.pk, composite: ["targetId"] },
      sk: { field: KEY_FIELDS.sk, composite: [] },
    },
    byStatus: {
      index: INDEX_NAMES.byLookup,
      pk: { field: KEY_FIELDS.gsi2pk, composite: ["status"] },
      sk: { field: KEY_FIELDS.gsi2sk, composite: ["targetId"] },
    },
  },
} as const;

/** Unbound entity, for types and key layout; `createStore` binds a fresh one to a table. Pure, so bundles drop it (building one runs ElectroDB's validation at load). */
export const ReplicationTargetEntity = /* @__PURE__ */ new Entity(replicationTargetSchema);
