import { Entity } from "electrodb";
import { KEY_FIELDS, MODEL_VERSION, SERVICE_NAME, TTL_ATTRIBUTE } from "./table";

/** Anomaly detector state for one metric series, loaded and saved once per Kinesis batch. */
export const seriesSchema = {
  model: { entity: "series", version: MODEL_VERSION, service: SERVICE_NAME },
  attributes: {
    seriesId: { type: "string", required: true },
    /** JSON encoding of the detector's state: a string keeps every float exact. */
    state: { type: "string", required: true },
    /** JSON list of the series' last anomalies, re-emitted if their points are delivered again. */
    recentAnomalies: { type: "string" },
    /** Optimistic concurrency counter: 1 on create, +1 on every save. */
    version: { type: "number", required: true },
    /** Event time (epoch ms) of the newest point folded into `state`. */
    lastTimestamp: { type: "number", required: true },
    updatedAt: { type: "string", required: true },
    /** Epoch seconds after which DynamoDB may drop an idle series. */
    expiresAt: { type: "number", field: TTL_ATTRIBUTE },
  },
  indexes: {
    bySeries: {
      pk: { field: KEY_FIELDS.pk, composite: ["seriesId"] },
      sk: { field: KEY_FIELDS.sk, composite: [] },
    },
  },
} as const;

/** Unbound entity, for types and key layout; `createStore` binds a fresh one to a table. Pure, so bundles drop it (building one runs ElectroDB's validation at load). */
export const SeriesEntity = /* @__PURE__ */ new Entity(seriesSchema);
