import { Entity } from "electrodb";
import { INDEX_NAMES, KEY_FIELDS, MODEL_VERSION, SERVICE_NAME } from "./table";

/** Digits `seq` is zero-padded to in keys, so the sort key orders entries numerically. */
export const SEQ_KEY_DIGITS = 12;

/** One link of the hash-chained audit log. Every attribute is write-once. */
export const auditEntrySchema = {
  model: { entity: "auditEntry", version: MODEL_VERSION, service: SERVICE_NAME },
  attributes: {
    chainId: { type: "string", required: true, readOnly: true },
    seq: { type: "number", required: true, readOnly: true, padding: { length: SEQ_KEY_DIGITS, char: "0" } },
    eventId: { type: "string", required: true, readOnly: true },
    at: { type: "string", required: true, readOnly: true },
    kind: { type: "string", required: true, readOnly: true },
    subjectId: { type: "string", readOnly: true },
    incidentId: { type: "string", readOnly: true },
    actor: { type: "string", required: true, readOnly: true },
    /** Canonical JSON text: the stored bytes are exactly the bytes that were hashed. */
    payload: { type: "string", required: true, readOnly: true },
    prevHash: { type: "string", required: true, readOnly: true },
    hash: { type: "string", required: true, readOnly: true },
  },
  indexes: {
    byChain: {
      pk: { field: KEY_FIELDS.pk, composite: ["chainId"] },
      sk: { field: KEY_FIELDS.sk, composite: ["seq"] },
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
  },
} as const;

/** Unbound entity, for types and key layout; `createStore` binds a fresh one to a table. Pure, so bundles drop it (building one runs ElectroDB's validation at load). */
export const AuditEntryEntity = /* @__PURE__ */ new Entity(auditEntrySchema);
