import * as z from "zod";
import { describeFirstIssue } from "../format-issue";

/**
 * One datum of a CloudWatch Metric Streams JSON record (or the same shape from any agent):
 * the statistics of one metric over one minute.
 */
export const MetricStreamDatumSchema = z.looseObject({
  metric_stream_name: z.string(),
  account_id: z.string(),
  region: z.string(),
  namespace: z.string(),
  metric_name: z.string(),
  dimensions: z.record(z.string(), z.string()),
  /** Start of the aggregation period, epoch milliseconds. */
  timestamp: z.number().int().nonnegative(),
  /** `max`, `min`, `sum`, `count`, plus any configured percentiles and trimmed means (`p99`, `TM(25%:75%)`). */
  value: z
    .object({ max: z.number(), min: z.number(), sum: z.number(), count: z.number().nonnegative() })
    .catchall(z.number()),
  unit: z.string(),
});
export type MetricStreamDatum = z.infer<typeof MetricStreamDatumSchema>;

/** A line of a record that could not be used, numbered from 1. */
export interface MetricStreamLineError {
  line: number;
  reason: string;
}

function parseDatum(text: string, line: number, metrics: MetricStreamDatum[], errors: MetricStreamLineError[]): void {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    errors.push({ line, reason: `invalid JSON: ${(cause as Error).message}` });
    return;
  }
  const parsed = MetricStreamDatumSchema.safeParse(value);
  if (parsed.success) metrics.push(parsed.data);
  else errors.push({ line, reason: describeFirstIssue(parsed.error) });
}

/**
 * Parses the payload of one Metric Streams Kinesis record: newline-delimited JSON objects.
 * Never throws; a bad line is reported by its number and the others are kept.
 * A payload that is one pretty-printed object (as in AWS's documentation) is read as one datum.
 *
 * @param data - the decoded (UTF-8) record payload
 */
export function parseMetricStreamRecord(data: string): { metrics: MetricStreamDatum[]; errors: MetricStreamLineError[] } {
  const metrics: MetricStreamDatum[] = [];
  const errors: MetricStreamLineError[] = [];
  const lines = data.split(/\r?\n/);
  const firstLine = lines.findIndex((l) => l.trim() !== "");
  if (firstLine === -1) return { metrics, errors };
  const nonBlank = lines.filter((l) => l.trim() !== "").length;
  if (nonBlank > 1 && lines[firstLine]?.trim() === "{") {
    parseDatum(data, firstLine + 1, metrics, errors);
    return { metrics, errors };
  }
  lines.forEach((text, index) => {
    if (text.trim() !== "") parseDatum(text, index + 1, metrics, errors);
  });
  return { metrics, errors };
}

// The Lambda Kinesis event, field for field as Powertools' `KinesisDataStreamSchema`, declared here so
// its schema index (every Powertools schema, with zod's whole namespace) stays out of the bundle.
const KinesisRecordPayloadSchema = z.object({
  kinesisSchemaVersion: z.string(),
  partitionKey: z.string(),
  sequenceNumber: z.string(),
  approximateArrivalTimestamp: z.number(),
  /** Decoded to text only: one record holds several newline-delimited data. */
  data: z.base64().transform((b64) => Buffer.from(b64, "base64").toString("utf8")),
});

const KinesisRecordSchema = z.object({
  eventSource: z.literal("aws:kinesis"),
  eventVersion: z.string(),
  eventID: z.string(),
  eventName: z.literal("aws:kinesis:record"),
  awsRegion: z.string(),
  invokeIdentityArn: z.string(),
  eventSourceARN: z.string(),
  kinesis: KinesisRecordPayloadSchema,
});

/**
 * A Kinesis batch from the metrics stream, with each record's `data` decoded to text only:
 * one record holds several newline-delimited data, so `parseMetricStreamRecord` reads it, not JSON.parse.
 */
export const MetricStreamKinesisEventSchema = z.object({
  Records: z.array(KinesisRecordSchema).min(1),
  window: z.object({ start: z.iso.datetime(), end: z.iso.datetime() }).optional(),
  state: z.record(z.string(), z.unknown()).optional(),
  shardId: z.string().optional(),
  eventSourceARN: z.string().optional(),
  isFinalInvokeForWindow: z.boolean().optional(),
  isWindowTerminatedEarly: z.boolean().optional(),
});
export type MetricStreamKinesisEvent = z.infer<typeof MetricStreamKinesisEventSchema>;
