import { Entity } from "electrodb";
import { KEY_FIELDS, MODEL_VERSION, SERVICE_NAME } from "./table";

/**
 * The head of an audit chain: its last seq and hash, and the entries of the step that moved it there. Every
 * append is one conditional write of this item (on the seq read), so a step of N entries takes N seqs at once
 * and two writers can never take the same seq; the entries and their intent markers are written after it,
 * and whoever reads a head whose entries are not all written yet writes them first (same content, so a
 * crashed appender leaves no gap). Lives in the chain's partition beside its entries.
 */
export const auditHeadSchema = {
  model: { entity: "auditHead", version: MODEL_VERSION, service: SERVICE_NAME },
  attributes: {
    chainId: { type: "string", required: true, readOnly: true },
    seq: { type: "number", required: true },
    hash: { type: "string", required: true },
    /** JSON array of the entries (`ChainEntry`) the last step appended, ending at `seq`. */
    pending: { type: "string", required: true },
    updatedAt: { type: "string", required: true },
  },
  indexes: {
    byChain: {
      pk: { field: KEY_FIELDS.pk, composite: ["chainId"] },
      sk: { field: KEY_FIELDS.sk, composite: [] },
    },
  },
} as const;

/** Unbound entity, for types and key layout; `createStore` binds a fresh one to a table. Pure, so bundles drop it (building one runs ElectroDB's validation at load). */
export const AuditHeadEntity = /* @__PURE__ */ new Entity(auditHeadSchema);
