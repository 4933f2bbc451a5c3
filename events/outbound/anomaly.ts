import * as z from "zod";
import { DetailBaseSchema, UtcTimestamp } from "./envelope";

/** What the anomaly scorer found in one metric series. */
export const AnomalyPayloadSchema = z
  .object({
    /** Stable id of the series: namespace, metric name and sorted dimensions, hashed. */
    seriesId: z.string().min(1).describe("Stable id of the series (namespace, metric, dimensions)."),
    /** Metric namespace, e.g. `AWS/EC2`. */
    namespace: z.string().min(1).describe("Metric namespace, e.g. AWS/EC2."),
    /** Metric name, e.g. `CPUUtilization`. */
    metricName: z.string().min(1).describe("Metric name, e.g. CPUUtilization."),
    /** Metric dimensions. */
    dimensions: z.record(z.string(), z.string()).describe("Metric dimensions."),
    /** Account the metric belongs to. */
    account: z.string().regex(/^\d{12}$/).describe("12-digit account id the metric belongs to."),
    /** Region the metric belongs to. */
    region: z.string().min(1).describe("Region the metric belongs to."),
    /** Timestamp of the anomalous datapoint. */
    timestamp: UtcTimestamp.describe("Timestamp of the anomalous datapoint."),
    /** The observed value. */
    value: z.number().describe("The observed value."),
    /** Anomaly score, 0 (normal) to 1 (certainly anomalous). */
    score: z.number().min(0).max(1).describe("Anomaly score from 0 (normal) to 1 (certainly anomalous)."),
    /** Band the detector expected the value in. */
    expected: z
      .object({
        /** Lower bound. */
        low: z.number().describe("Lower bound."),
        /** Upper bound. */
        high: z.number().describe("Upper bound."),
      })
      .refine((b) => b.low <= b.high, { message: "low must not exceed high" })
      .describe("Band the detector expected the value in."),
    /** Why it is anomalous, for humans, e.g. `value 97 above expected 20–45`. */
    reason: z.string().min(1).describe("Why it is anomalous, for humans."),
  })
  .describe("The anomalous datapoint and how the detector judged it.");
export type AnomalyPayload = z.infer<typeof AnomalyPayloadSchema>;

/** `Anomaly Detected`: a metric datapoint scored anomalous. */
export const AnomalyDetectedDetailSchema = DetailBaseSchema.extend({ anomaly: AnomalyPayloadSchema }).describe(
  "Vigil 'Anomaly Detected': a metric datapoint scored anomalous.",
);
export type AnomalyDetectedDetail = z.infer<typeof AnomalyDetectedDetailSchema>;
