import { Entity } from "electrodb";
import { INDEX_NAMES, KEY_FIELDS, MODEL_VERSION, SERVICE_NAME, TTL_ATTRIBUTE } from "./table";

/** PagerDuty's severity levels, shared by alerts and incidents. */
export const SEVERITIES = ["critical", "error", "warning", "info"] as const;

/** One normalised alert (alarm, finding, health event, anomaly), grouped into an incident. */
export const alertSchema = {
  model: { entity: "alert", version: MODEL_VERSION, service: SERVICE_NAME },
  attributes: {
    alertId: { type: "string", required: true },
    fingerprint: { type: "string", required: true },
    incidentId: { type: "string" },
    status: { type: ["firing", "resolved"] as const, required: true },
    severity: { type: SEVERITIES, required: true },
    source: { type: "string", required: true },
    summary: { type: "string", required: true },
    resources: { type: "list", items: { type: "string" }, required: true },
    service: { type: "string" },
    account: { type: "string", required: true },
    region: { type: "string", required: true },
    eventTime: { type: "string", required: true },
    receivedAt: { type: "string", required: true },
    /** Id of the event the alert came from: the idempotency key. */
    eventId: { type: "string", required: true },
    expiresAt: { type: "number", field: TTL_ATTRIBUTE },
  },
  indexes: {
    byAlert: {
      pk: { field: KEY_FIELDS.pk, composite: ["alertId"] },
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
    byFingerprint: {
      index: INDEX_NAMES.byLookup,
      pk: { field: KEY_FIELDS.gsi2pk, composite: ["fingerprint"] },
      sk: { field: KEY_FIELDS.gsi2sk, composite: ["eventTime", "alertId"] },
    },
  },
} as const;

/** Unbound entity, for types and key layout; `createStore` binds a fresh one to a table. Pure, so bundles drop it (building one runs ElectroDB's validation at load). */
export const AlertEntity = /* @__PURE__ */ new Entity(alertSchema);
