import type { S3ReplicationOperation } from "../../events/inbound/s3";

/**
 * Normalised replication signals. Every time is epoch milliseconds of event time (when it happened at AWS),
 * never arrival time, so redelivered and out-of-order signals are judged by when they describe.
 */

/** One `Replication:Operation…` S3 event notification record. */
export interface S3ReplicationEventSignal {
  type: "s3-replication-event";
  operation: S3ReplicationOperation;
  /** Event time of the notification. */
  at: number;
  /** When the replicated request was made at the source: the change's own time. */
  requestTime: number;
  sourceBucket: string;
  /** Destination bucket ARN. */
  destinationBucket: string;
  ruleId: string;
  /** Object key and version: identifies one change across its threshold and failure events. */
  objectKey: string;
  failureReason?: string;
}

/** A replication metric datapoint from the metrics stream: `max` of one minute. */
export type ReplicationMetricSignal =
  | {
      type: "replication-metric";
      service: "s3";
      metric: "ReplicationLatency" | "BytesPendingReplication" | "OperationsPendingReplication";
      /** Start of the one-minute aggregation period. */
      at: number;
      /** Latency in seconds, or bytes, or operations. */
      value: number;
      sourceBucket: string;
      destinationBucket: string;
      ruleId: string;
    }
  | {
      type: "replication-metric";
      service: "dynamodb";
      metric: "ReplicationLatency";
      at: number;
      /** Latency in milliseconds. */
      value: number;
      account: string;
      /** Region of the replica that sends (the metric's own region). */
      region: string;
      tableName: string;
      receivingRegion: string;
    };

/** An RDS snapshot event: a snapshot finished in the source region, or a copy finished somewhere. */
export interface RdsSnapshotSignal {
  type: "rds-snapshot";
  /** `started`: a snapshot began (its data point); `created`: it completed; `copied`: a copy completed. */
  phase: "started" | "created" | "copied";
  eventId: string;
  at: number;
  snapshotArn: string;
  /** Identifier without the `rds:` prefix automated snapshots carry. */
  snapshotId: string;
  /** Region the snapshot (or copy) lives in, from its ARN. */
  region: string;
  account: string;
  /** Source region named by a cross-region copy event. */
  copiedFromRegion?: string;
  /** Copy duration named by the event message, minutes: the copy began this long before `at`. */
  copyMinutes?: number;
}

/** A canary marker written at the source and looked for in the replica. */
export interface CanaryObservationSignal {
  type: "canary-observation";
  kind: "s3" | "dynamodb";
  /** Source resource ARN the marker was written to. */
  resource: string;
  /** Replica bucket ARN (S3) or replica region (DynamoDB) it was read from. */
  replica: string;
  markerId: string;
  /** Write time the marker carries. */
  writtenAt: number;
  /** When the probe read it in the replica; null when it was not there yet. */
  observedAt: number | null;
  /** When the probe ran. */
  at: number;
}

/** Any normalised replication signal. */
export type Signal = S3ReplicationEventSignal | ReplicationMetricSignal | RdsSnapshotSignal | CanaryObservationSignal;

/** Result of normalising raw input: a signal, or why there is none (never an exception). */
export type SignalResult =
  | { ok: true; signal: Signal }
  /** `malformed`: the input is broken; `irrelevant`: valid, but not a replication signal. */
  | { ok: false; reason: "malformed" | "irrelevant"; detail: string };

export { type CanaryProbeResult, CanaryProbeResultSchema, signalFromCanary } from "./signal-canary";
export { signalFromMetric } from "./signal-metric";
export { RDS_SNAPSHOT_EVENT_IDS, signalFromRdsEvent } from "./signal-rds";
export { signalFromS3Notification } from "./signal-s3";
export { matchTarget, routeSignals } from "./match";
