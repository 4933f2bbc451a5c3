import { Entity } from "electrodb";
import { KEY_FIELDS, MODEL_VERSION, SERVICE_NAME } from "./table";

/**
 * Idempotency marker of an audit append: which chain position an event id is taking.
 * Written before the entry, so a retried append can tell whether it already landed.
 */
export const auditIntentSchema = {
  model: { entity: "auditIntent", version: MODEL_VERSION, service: SERVICE_NAME },
  attributes: {
    chainId: { type: "string", required: true },
    eventId: { type: "string", required: true },
    seq: { type: "number", required: true },
    createdAt: { type: "string", required: true },
    updatedAt: { type: "string", required: true },
  },
  indexes: {
    byEvent: {
      pk: { field: KEY_FIELDS.pk, composite: ["chainId", "eventId"] },
      sk: { field: KEY_FIELDS.sk, composite: [] },
    },
  },
} as const;

/** Unbound entity, for types and key layout; `createStore` binds a fresh one to a table. Pure, so bundles drop it (building one runs ElectroDB's validation at load). */
export const AuditIntentEntity = /* @__PURE__ */ new Entity(auditIntentSchema);
