import * as z from "zod";
import { AwsTimestamp, eventBridgeEvent } from "./envelope";
import { lazily, pick } from "../lazy";

/** Builds the schemas below on first call, once (events/lazy.ts): the route of their event kind calls it. */
export const alarmStateChangeSchemas = lazily(() => {
  const AlarmStateValue = z.enum(["OK", "ALARM", "INSUFFICIENT_DATA"]);
  const AlarmStateSchema = z.looseObject({
    value: AlarmStateValue,
    reason: z.string(),
    /** JSON string with the datapoints (metric alarms) or triggering alarms (composite alarms). */
    reasonData: z.string().optional(),
    /** CloudWatch's own format, e.g. `2019-10-02T17:04:40.989+0000`. */
    timestamp: AwsTimestamp,
    actionsSuppressedBy: z.string().optional(),
    actionsSuppressedReason: z.string().optional(),
    /** `PARTIAL_DATA` for Metrics Insights alarms that evaluated a subset of series. */
    evaluationState: z.string().optional(),
  });
  const AlarmMetricSchema = z.looseObject({
    namespace: z.string(),
    name: z.string(),
    dimensions: z.record(z.string(), z.string()).default({}),
  });
  const AlarmMetricQuerySchema = z
    .looseObject({
      id: z.string(),
      metricStat: z
        .looseObject({
          metric: AlarmMetricSchema,
          period: z.number(),
          stat: z.string(),
          unit: z.string().optional(),
        })
        .optional(),
      expression: z.string().optional(),
      label: z.string().optional(),
      returnData: z.boolean().optional(),
      period: z.number().optional(),
    })
    .refine((q) => q.metricStat !== undefined || q.expression !== undefined, {
      message: "expected metricStat or expression",
    });
  const MetricAlarmConfigurationSchema = z.looseObject({
    description: z.string().optional(),
    metrics: z.array(AlarmMetricQuerySchema).min(1),
  });
  const CompositeAlarmConfigurationSchema = z.looseObject({
    description: z.string().optional(),
    alarmRule: z.string(),
    actionsSuppressor: z.string().optional(),
    actionsSuppressorWaitPeriod: z.number().optional(),
    actionsSuppressorExtensionPeriod: z.number().optional(),
  });
  const CloudWatchAlarmStateChangeDetailSchema = z.looseObject({
    alarmName: z.string(),
    state: AlarmStateSchema,
    previousState: AlarmStateSchema,
    configuration: z.union([CompositeAlarmConfigurationSchema, MetricAlarmConfigurationSchema]),
  });
  const CloudWatchAlarmStateChangeEventSchema = eventBridgeEvent(
    z.literal("aws.cloudwatch"),
    ["CloudWatch Alarm State Change"],
    CloudWatchAlarmStateChangeDetailSchema,
  );
  return { AlarmStateValue, AlarmStateSchema, AlarmMetricSchema, AlarmMetricQuerySchema, MetricAlarmConfigurationSchema, CompositeAlarmConfigurationSchema, CloudWatchAlarmStateChangeDetailSchema, CloudWatchAlarmStateChangeEventSchema };
});

/** Alarm states CloudWatch reports. */
export const AlarmStateValue = /* @__PURE__ */ pick(alarmStateChangeSchemas, "AlarmStateValue");
/** One side of a state transition (`state` or `previousState`). */
export const AlarmStateSchema = /* @__PURE__ */ pick(alarmStateChangeSchemas, "AlarmStateSchema");
/** A metric referenced by an alarm. */
export const AlarmMetricSchema = /* @__PURE__ */ pick(alarmStateChangeSchemas, "AlarmMetricSchema");
/** One entry of `configuration.metrics`: a metric stat, or an expression (math, anomaly band, Metrics Insights query). */
export const AlarmMetricQuerySchema = /* @__PURE__ */ pick(alarmStateChangeSchemas, "AlarmMetricQuerySchema");
/** Configuration of a metric, metric-math, anomaly-detection or Metrics Insights alarm. */
export const MetricAlarmConfigurationSchema = /* @__PURE__ */ pick(alarmStateChangeSchemas, "MetricAlarmConfigurationSchema");
/** Configuration of a composite alarm. */
export const CompositeAlarmConfigurationSchema = /* @__PURE__ */ pick(alarmStateChangeSchemas, "CompositeAlarmConfigurationSchema");
/** `detail` of `CloudWatch Alarm State Change`, for metric, metric-math, anomaly-detection and composite alarms. */
export const CloudWatchAlarmStateChangeDetailSchema = /* @__PURE__ */ pick(alarmStateChangeSchemas, "CloudWatchAlarmStateChangeDetailSchema");
export type CloudWatchAlarmStateChangeDetail = z.infer<typeof CloudWatchAlarmStateChangeDetailSchema>;
/** `aws.cloudwatch` / `CloudWatch Alarm State Change`. */
export const CloudWatchAlarmStateChangeEventSchema = /* @__PURE__ */ pick(alarmStateChangeSchemas, "CloudWatchAlarmStateChangeEventSchema");
export type CloudWatchAlarmStateChangeEvent = z.infer<typeof CloudWatchAlarmStateChangeEventSchema>;

/** What kind of alarm a state change comes from; decides how Vigil reads its metrics. */
export type AlarmKind = "metric" | "metric-math" | "anomaly-detection" | "metrics-insights" | "composite";

/**
 * Classifies the alarm behind a state change from its configuration.
 *
 * @param detail - a parsed `CloudWatch Alarm State Change` detail
 */
export function alarmKind(detail: CloudWatchAlarmStateChangeDetail): AlarmKind {
  const config = detail.configuration;
  if ("alarmRule" in config) return "composite";
  const expressions = config.metrics.flatMap((m) => (m.expression === undefined ? [] : [m.expression]));
  if (expressions.length === 0) return "metric";
  if (expressions.some((e) => e.startsWith("ANOMALY_DETECTION_BAND"))) return "anomaly-detection";
  if (expressions.some((e) => /^\s*SELECT\s/i.test(e))) return "metrics-insights";
  return "metric-math";
}
