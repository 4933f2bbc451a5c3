import { Entity } from "electrodb";
import { SEVERITIES } from "./alert";
import { INDEX_NAMES, KEY_FIELDS, MODEL_VERSION, SERVICE_NAME } from "./table";

/** An incident: alerts grouped by fingerprint and topology, with its lifecycle. */
export const incidentSchema = {
  model: { entity: "incident", version: MODEL_VERSION, service: SERVICE_NAME },
  attributes: {
    incidentId: { type: "string", required: true },
    status: { type: ["open", "resolved"] as const, required: true },
    title: { type: "string", required: true },
    priority: { type: "string", required: true },
    service: { type: "string" },
    rootCauseService: { type: "string" },
    severity: { type: SEVERITIES, required: true },
    fingerprints: { type: "list", items: { type: "string" }, required: true },
    alertCount: { type: "number", required: true },
    openedAt: { type: "string", required: true },
    updatedAt: { type: "string", required: true },
    resolvedAt: { type: "string" },
    /** Whether a page for it ever went out; absent on items written before it was kept. */
    paged: { type: "boolean" },
    /** Why its pages are held now: `silenced`, `maintenance` or `inhibited`, by `mutedBy` (a silence id, a window, an incident). */
    mutedReason: { type: ["silenced", "maintenance", "inhibited"] as const },
    mutedBy: { type: "string" },
    /** The correlation scope whose state and alert pages hold it, so readers find them without a Scan; absent on items written before it was kept. */
    scopeId: { type: "string" },
    /** The incident this one was merged into (it is then resolved); absent otherwise. */
    mergedInto: { type: "string" },
    version: { type: "number", required: true },
  },
  indexes: {
    byIncidentId: {
      pk: { field: KEY_FIELDS.pk, composite: ["incidentId"] },
      sk: { field: KEY_FIELDS.sk, composite: [] },
    },
    byIncident: {
      index: INDEX_NAMES.byIncident,
      collection: "incidentDetail",
      pk: { field: KEY_FIELDS.gsi1pk, composite: ["incidentId"] },
      sk: { field: KEY_FIELDS.gsi1sk, composite: [] },
    },
    byStatus: {
      index: INDEX_NAMES.byLookup,
      pk: { field: KEY_FIELDS.gsi2pk, composite: ["status"] },
      sk: { field: KEY_FIELDS.gsi2sk, composite: ["incidentId"] },
    },
  },
} as const;

/** Unbound entity, for types and key layout; `createStore` binds a fresh one to a table. Pure, so bundles drop it (building one runs ElectroDB's validation at load). */
export const IncidentEntity = /* @__PURE__ */ new Entity(incidentSchema);
