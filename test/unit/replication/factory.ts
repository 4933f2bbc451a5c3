import type { ProtectedResource, Signal } from "../../../core/replication";
import { parseReplicationConfig } from "../../../core/replication";

export const T0 = Date.parse("2024-09-05T12:00:00.000Z");
export const MIN = 60_000;
/** Epoch ms `minutes` after T0. */
export const at = (minutes: number) => T0 + minutes * MIN;

/** The three protected resources of the example, through the real config parser. */
export function targets(): ProtectedResource[] {
  return parseReplicationConfig({
    protected: [
      { id: "assets-bucket", kind: "s3", resource: "arn:aws:s3:::assets", replica: "arn:aws:s3:::assets-dr", rpoMinutes: 15 },
      { id: "orders-table", kind: "dynamodb", resource: "arn:aws:dynamodb:us-east-1:123456789012:table/orders", replicaRegions: ["us-west-2"], rpoMinutes: 15 },
      { id: "orders-db", kind: "rds", resource: "arn:aws:rds:us-east-1:123456789012:db:orders-db", replicaRegions: ["us-west-2"], rpoMinutes: 1440 },
    ],
  }).protected;
}

export function target(id: string): ProtectedResource {
  const found = targets().find((t) => t.id === id);
  if (found === undefined) throw new Error(`no target ${id}`);
  return found;
}

/** An S3 ReplicationLatency datum as Metric Streams writes it. */
export function s3LatencyDatum(minute: number, seconds: number, overrides: Record<string, unknown> = {}) {
  return {
    metric_stream_name: "vigil",
    account_id: "123456789012",
    region: "us-east-1",
    namespace: "AWS/S3",
    metric_name: "ReplicationLatency",
    dimensions: { SourceBucket: "assets", DestinationBucket: "assets-dr", RuleId: "all" },
    timestamp: at(minute),
    value: { max: seconds, min: seconds, sum: seconds, count: 1 },
    unit: "Seconds",
    ...overrides,
  };
}

/** A DynamoDB ReplicationLatency datum (milliseconds) from us-east-1 into `receivingRegion`. */
export function ddbLatencyDatum(minute: number, ms: number, receivingRegion = "us-west-2") {
  return {
    metric_stream_name: "vigil",
    account_id: "123456789012",
    region: "us-east-1",
    namespace: "AWS/DynamoDB",
    metric_name: "ReplicationLatency",
    dimensions: { TableName: "orders", ReceivingRegion: receivingRegion },
    timestamp: at(minute),
    value: { max: ms, min: ms, sum: ms, count: 1 },
    unit: "Milliseconds",
  };
}

/** An S3 replication notification record for `assets` → `assets-dr`. */
export function s3Record(operation: string, eventMinute: number, requestMinute: number, key = "a.txt", failureReason?: string) {
  return {
    eventVersion: "2.2",
    eventSource: "aws:s3",
    awsRegion: "us-east-1",
    eventTime: new Date(at(eventMinute)).toISOString(),
    eventName: `Replication:${operation}`,
    userIdentity: { principalId: "s3.amazonaws.com" },
    requestParameters: { sourceIPAddress: "s3.amazonaws.com" },
    responseElements: { "x-amz-request-id": "r1", "x-amz-id-2": "r2" },
    s3: {
      s3SchemaVersion: "1.0",
      configurationId: "replication-events",
      bucket: { name: "assets", ownerIdentity: { principalId: "111122223333" }, arn: "arn:aws:s3:::assets" },
      object: { key, size: 10, versionId: "v1", eTag: "e", sequencer: "0066" },
    },
    replicationEventData: {
      replicationRuleId: "all",
      destinationBucket: "arn:aws:s3:::assets-dr",
      s3Operation: "OBJECT_PUT",
      requestTime: new Date(at(requestMinute)).toISOString(),
      ...(failureReason === undefined ? {} : { failureReason }),
    },
  };
}

/** An RDS snapshot event for `orders-db`. */
export function rdsEvent(eventId: string, minute: number, region: string, snapshot: string, message = "") {
  const arn = `arn:aws:rds:${region}:123456789012:snapshot:${snapshot}`;
  return {
    version: "0",
    id: `${eventId}-${minute}`,
    "detail-type": "RDS DB Snapshot Event",
    source: "aws.rds",
    account: "123456789012",
    time: new Date(at(minute)).toISOString(),
    region,
    resources: [arn],
    detail: {
      EventCategories: ["creation"],
      SourceType: "SNAPSHOT",
      SourceArn: arn,
      Date: new Date(at(minute)).toISOString(),
      Message: message,
      SourceIdentifier: snapshot,
      EventID: eventId,
    },
  };
}

/** A canary probe result for the S3 bucket (or the DynamoDB table when `kind` says so). */
export function canary(writtenMinute: number, observedMinute: number | null, probedMinute = observedMinute ?? writtenMinute, kind: "s3" | "dynamodb" = "s3") {
  return {
    kind,
    resource: kind === "s3" ? "arn:aws:s3:::assets" : "arn:aws:dynamodb:us-east-1:123456789012:table/orders",
    replica: kind === "s3" ? "arn:aws:s3:::assets-dr" : "us-west-2",
    markerId: `m-${writtenMinute}`,
    writtenAt: at(writtenMinute),
    observedAt: observedMinute === null ? null : at(observedMinute),
    probedAt: at(probedMinute),
  };
}

/** Unwraps a SignalResult that must be a signal. */
export function ok(result: { ok: true; signal: Signal } | { ok: false; reason: string; detail: string }): Signal {
  if (!result.ok) throw new Error(`expected a signal, got ${result.reason}: ${result.detail}`);
  return result.signal;
}
