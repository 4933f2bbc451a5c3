import { KEY_FIELDS, MODEL_VERSION, SERVICE_NAME } from "./table";

/**
 * A slice of the text attributes of a grouping scope too large for one item (core/store/scope-parts.ts). A scope
 * item whose attributes spilled names its part set (`<version>.<digest of the spilled text>`) and how many parts it
 * has; the parts are written before that item and deleted once a newer version replaces it. Keyed by the scope, so a
 * scope and its parts share a partition.
 */
export const groupingScopePartSchema = {
  model: { entity: "groupingScopePart", version: MODEL_VERSION, service: SERVICE_NAME },
  attributes: {
    scopeId: { type: "string", required: true },
    partSet: { type: "string", required: true },
    /** 0-based position of `data` in the spilled text. */
    index: { type: "number", required: true, padding: { length: 4, char: "0" } },
    data: { type: "string", required: true },
  },
  indexes: {
    byScope: {
      pk: { field: KEY_FIELDS.pk, composite: ["scopeId"] },
      sk: { field: KEY_FIELDS.sk, composite: ["partSet", "index"] },
    },
  },
} as const;
