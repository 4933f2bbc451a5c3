import * as z from "zod";
import { detailBaseSchemas } from "./envelope";
import { buildAll, lazily, pick } from "../lazy";
import { entryBuilder } from "./entry";

// Fresh field schemas get their description with `.register(z.globalRegistry, …)`, not `.describe()`,
// which clones: the same JSON Schema, one schema construction fewer per field at every cold start.

/** Builds the schemas below on first call, once (events/lazy.ts): the first detail of the domain emitted or received calls it. */
export const anomalySchemas = lazily(() => {
  const { DetailBaseSchema, UtcTimestamp } = detailBaseSchemas();
  const AnomalyPayloadSchema = z
    .object({
      /** Stable id of the series: namespace, metric name and sorted dimensions, hashed. */
      seriesId: z.string().min(1).register(z.globalRegistry, { description: "Stable id of the series (namespace, metric, dimensions)." }),
      /** Metric namespace, e.g. `AWS/EC2`. */
      namespace: z.string().min(1).register(z.globalRegistry, { description: "Metric namespace, e.g. AWS/EC2." }),
      /** Metric name, e.g. `CPUUtilization`. */
      metricName: z.string().min(1).register(z.globalRegistry, { description: "Metric name, e.g. CPUUtilization." }),
      /** Metric dimensions. */
      dimensions: z.record(z.string(), z.string()).register(z.globalRegistry, { description: "Metric dimensions." }),
      /** Account the metric belongs to. */
      account: z.string().regex(/^\d{12}$/).register(z.globalRegistry, { description: "12-digit account id the metric belongs to." }),
      /** Region the metric belongs to. */
      region: z.string().min(1).register(z.globalRegistry, { description: "Region the metric belongs to." }),
      /** Timestamp of the anomalous datapoint. */
      timestamp: UtcTimestamp.describe("Timestamp of the anomalous datapoint."),
      /** The observed value. */
      value: z.number().register(z.globalRegistry, { description: "The observed value." }),
      /** Anomaly score, 0 (normal) to 1 (certainly anomalous). */
      score: z.number().min(0).max(1).register(z.globalRegistry, { description: "Anomaly score from 0 (normal) to 1 (certainly anomalous)." }),
      /** Band the detector expected the value in. */
      expected: z
        .object({
          /** Lower bound. */
          low: z.number().register(z.globalRegistry, { description: "Lower bound." }),
          /** Upper bound. */
          high: z.number().register(z.globalRegistry, { description: "Upper bound." }),
        })
        .refine((b) => b.low <= b.high, { message: "low must not exceed high" })
        .register(z.globalRegistry, { description: "Band the detector expected the value in." }),
      /** Why it is anomalous, for humans, e.g. `value 97 above expected 20–45`. */
      reason: z.string().min(1).register(z.globalRegistry, { description: "Why it is anomalous, for humans." }),
    })
    .register(z.globalRegistry, { description: "The anomalous datapoint and how the detector judged it." });
  const AnomalyDetectedDetailSchema = DetailBaseSchema.extend({ anomaly: AnomalyPayloadSchema }).register(z.globalRegistry, { description: "Vigil 'Anomaly Detected': a metric datapoint scored anomalous.", });
  return { AnomalyPayloadSchema, AnomalyDetectedDetailSchema };
});

/** What the anomaly scorer found in one metric series. */
export const AnomalyPayloadSchema = /* @__PURE__ */ pick(anomalySchemas, "AnomalyPayloadSchema");
export type AnomalyPayload = z.infer<typeof AnomalyPayloadSchema>;
/** `Anomaly Detected`: a metric datapoint scored anomalous. */
export const AnomalyDetectedDetailSchema = /* @__PURE__ */ pick(anomalySchemas, "AnomalyDetectedDetailSchema");
export type AnomalyDetectedDetail = z.infer<typeof AnomalyDetectedDetailSchema>;

/** The getter of each of the domain's detail schemas (events/lazy.ts), for the entry builder and the registry. */
export const ANOMALY_DETAIL_SCHEMA_GETTERS = {
  "Anomaly Detected": () => anomalySchemas().AnomalyDetectedDetailSchema,
} as const;

/** The anomaly detail-types and their schemas. */
export const ANOMALY_DETAIL_SCHEMAS = /* @__PURE__ */ buildAll(ANOMALY_DETAIL_SCHEMA_GETTERS);

/** Validates an anomaly detail and builds its PutEvents entry, building no other domain's schemas (see {@link entryBuilder}). */
export const anomalyEntry = entryBuilder(ANOMALY_DETAIL_SCHEMA_GETTERS, "an anomaly");
