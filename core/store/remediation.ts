import { Entity } from "electrodb";
import { INDEX_NAMES, KEY_FIELDS, MODEL_VERSION, SERVICE_NAME } from "./table";

/** One remediation action, from plan to outcome. */
export const remediationSchema = {
  model: { entity: "remediation", version: MODEL_VERSION, service: SERVICE_NAME },
  attributes: {
    remediationId: { type: "string", required: true },
    incidentId: { type: "string" },
    policy: { type: "string", required: true },
    action: { type: "string", required: true },
    mode: { type: ["dry-run", "approve", "auto"] as const, required: true },
    resource: { type: "string", required: true },
    status: {
      type: ["planned", "pending-approval", "approved", "executed", "failed", "skipped"] as const,
      required: true,
    },
    /** Snapshot of the resource before the action (any JSON value). */
    before: { type: "any" },
    /** Snapshot of the resource after the action (any JSON value). */
    after: { type: "any" },
    createdAt: { type: "string", required: true },
    updatedAt: { type: "string", required: true },
    version: { type: "number", required: true },
  },
  indexes: {
    byRemediation: {
      pk: { field: KEY_FIELDS.pk, composite: ["remediationId"] },
      sk: { field: KEY_FIELDS.sk, composite: [] },
    },
    // Sparse: only items attached to an incident carry gsi1 keys. The sort key has no
    // composites (GSI keys need not be unique) because ElectroDB's index condition demands
    // every composite on each write that touches one.
    byIncident: {
      index: INDEX_NAMES.byIncident,
      collection: "incidentDetail",
      condition: (item: { incidentId?: string }) => item.incidentId !== undefined,
      pk: { field: KEY_FIELDS.gsi1pk, composite: ["incidentId"] },
      sk: { field: KEY_FIELDS.gsi1sk, composite: [] },
    },
    byStatus: {
      index: INDEX_NAMES.byLookup,
      pk: { field: KEY_FIELDS.gsi2pk, composite: ["status"] },
      sk: { field: KEY_FIELDS.gsi2sk, composite: ["remediationId"] },
    },
  },
} as const;

/** Unbound entity, for types and key layout; `createStore` binds a fresh one to a table. Pure, so bundles drop it (building one runs ElectroDB's validation at load). */
export const RemediationEntity = /* @__PURE__ */ new Entity(remediationSchema);
