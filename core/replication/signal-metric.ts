import { describeFirstIssue } from "../../events/format-issue";
import { MetricStreamDatumSchema } from "../../events/inbound/metric-stream";
import type { SignalResult } from "./signals";

const S3_METRICS = ["ReplicationLatency", "BytesPendingReplication", "OperationsPendingReplication"] as const;
type S3Metric = (typeof S3_METRICS)[number];
const isS3Metric = (name: string): name is S3Metric => (S3_METRICS as readonly string[]).includes(name);

/**
 * Normalises one Metric Streams datum into a replication metric signal, reading its `max` (the worst minute):
 * - `AWS/S3` `ReplicationLatency` (seconds), `BytesPendingReplication`, `OperationsPendingReplication`,
 *   dimensions `SourceBucket`, `DestinationBucket`, `RuleId`;
 * - `AWS/DynamoDB` `ReplicationLatency` (milliseconds), dimensions `TableName`, `ReceivingRegion`
 *   (the datum's own `region` is the sending replica's).
 * Other metrics are `irrelevant`; a datum without those dimensions or with a negative or non-finite value is `malformed`.
 *
 * @param datum - one parsed (or raw) Metric Streams JSON object
 */
export function signalFromMetric(datum: unknown): SignalResult {
  const parsed = MetricStreamDatumSchema.safeParse(datum);
  if (!parsed.success) return { ok: false, reason: "malformed", detail: describeFirstIssue(parsed.error) };
  const d = parsed.data;
  const at = d.timestamp;
  const value = d.value.max;
  const isS3 = d.namespace === "AWS/S3" && isS3Metric(d.metric_name);
  const isDynamoDb = d.namespace === "AWS/DynamoDB" && d.metric_name === "ReplicationLatency";
  if (!isS3 && !isDynamoDb) return { ok: false, reason: "irrelevant", detail: `${d.namespace} ${d.metric_name}` };
  // A count of 0 means no sample in the minute: no measurement, and certainly not a latency of 0.
  if (!Number.isFinite(value) || value < 0 || d.value.count === 0) {
    return { ok: false, reason: "malformed", detail: `value.max: not a usable measurement: ${value} (count ${d.value.count})` };
  }
  const dims = d.dimensions;
  if (isS3) {
    const { SourceBucket, DestinationBucket, RuleId } = dims;
    if (SourceBucket === undefined || DestinationBucket === undefined || RuleId === undefined) {
      return { ok: false, reason: "malformed", detail: "dimensions: expected SourceBucket, DestinationBucket and RuleId" };
    }
    const metric = d.metric_name as S3Metric;
    return {
      ok: true,
      signal: { type: "replication-metric", service: "s3", metric, at, value, sourceBucket: SourceBucket, destinationBucket: DestinationBucket, ruleId: RuleId },
    };
  }
  const { TableName, ReceivingRegion } = dims;
  if (TableName === undefined || ReceivingRegion === undefined) {
    return { ok: false, reason: "malformed", detail: "dimensions: expected TableName and ReceivingRegion" };
  }
  return {
    ok: true,
    signal: {
      type: "replication-metric",
      service: "dynamodb",
      metric: "ReplicationLatency",
      at,
      value,
      account: d.account_id,
      region: d.region,
      tableName: TableName,
      receivingRegion: ReceivingRegion,
    },
  };
}
