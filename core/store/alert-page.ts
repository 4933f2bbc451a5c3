import { Entity } from "electrodb";
import { KEY_FIELDS, MODEL_VERSION, SERVICE_NAME, TTL_ATTRIBUTE } from "./table";

/**
 * The alerts one grouper batch ingested in one scope, with the group each joined and the merges the batch
 * made. One item per batch instead of one per alert keeps writes well under one per alert; the pages of a
 * scope are one Query, sorted by their first event time. Written with a plain put under a key derived from
 * the alerts it holds, so a replayed outbox rewrites the same item.
 */
export const alertPageSchema = {
  model: { entity: "alertPage", version: MODEL_VERSION, service: SERVICE_NAME },
  attributes: {
    scopeId: { type: "string", required: true },
    /** `<first event time ISO>#<hash of the alert keys>`. */
    pageId: { type: "string", required: true },
    /** JSON list of `AlertRecord` (core/grouping/alert-record.ts), deflated when long (core/store/scope-codec.ts). */
    alerts: { type: "string", required: true },
    /** JSON list of `[fromGroupId, intoGroupId]`. */
    merges: { type: "string", required: true },
    /** JSON list of `[fromGroupId, intoGroupId, fingerprints]` (`AlertMove`); absent when the page holds none. */
    moves: { type: "string" },
    /** JSON list of `[eventId, reason]`: alerts held back from every incident (`PageBuffer.suppressed`); absent when none. */
    suppressed: { type: "string" },
    count: { type: "number", required: true },
    writtenAt: { type: "string", required: true },
    expiresAt: { type: "number", field: TTL_ATTRIBUTE },
  },
  indexes: {
    byScope: {
      pk: { field: KEY_FIELDS.pk, composite: ["scopeId"] },
      sk: { field: KEY_FIELDS.sk, composite: ["pageId"] },
    },
  },
} as const;

/** Unbound entity, for types and key layout; `createStore` binds a fresh one to a table. Pure, so bundles drop it (building one runs ElectroDB's validation at load). */
export const AlertPageEntity = /* @__PURE__ */ new Entity(alertPageSchema);
