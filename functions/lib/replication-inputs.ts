import type { KinesisStreamRecord } from "aws-lambda";
import { bucketName } from "../../core/replication/arn";
import { CANARY_DETAIL_TYPE, CANARY_EVENT_SOURCE } from "../../core/replication/canary-probe";
import type { ProtectedResource } from "../../core/replication/config";
import { signalFromCanary, signalFromMetric, signalFromRdsEvent, signalFromS3Notification, type SignalResult } from "../../core/replication/signals";
import { CANARY_KEY_PREFIX } from "../../events/patterns";

/**
 * What one invocation of the replication monitor carries, whatever delivered it:
 * - Kinesis metric records (a second event source mapping on the metrics stream, beside anomaly-scorer);
 * - an S3 event notification (`Records[]` with `eventSource: aws:s3`), since S3 sends replication
 *   notifications to Lambda, SQS or SNS and never to EventBridge;
 * - an EventBridge event from the ops bus: an RDS snapshot event, a canary object's arrival in a replica,
 *   or a canary probe's report (`Replication Canary Observed` from functions/replication-canary.ts);
 * - a scheduled event (`aws.events` / `Scheduled Event`): evaluate every target at its `time`.
 */
export type MonitorInput =
  | { kind: "signals"; results: SignalResult[]; fromStream: boolean }
  | { kind: "schedule"; at: number }
  | { kind: "unrecognised"; detail: string };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

// Metric Streams records mix every namespace; only these two carry replication metrics, and a
// substring test is far cheaper than parsing the rest.
const REPLICATION_NAMESPACES = ['"AWS/S3"', '"AWS/DynamoDB"'];

/** Replication signals in one Kinesis record; lines of other namespaces are skipped unparsed. */
function metricSignals(record: KinesisStreamRecord): SignalResult[] {
  const text = Buffer.from(record.kinesis.data, "base64").toString("utf8");
  const results: SignalResult[] = [];
  for (const line of text.split("\n")) {
    if (!REPLICATION_NAMESPACES.some((ns) => line.includes(ns))) continue;
    let datum: unknown;
    try {
      datum = JSON.parse(line);
    } catch (error) {
      results.push({ ok: false, reason: "malformed", detail: `record ${record.kinesis.sequenceNumber}: not JSON: ${(error as Error).message}` });
      continue;
    }
    results.push(signalFromMetric(datum));
  }
  return results;
}

/**
 * A canary marker (`vigil-canary/<written-at epoch ms>`) arriving in a protected bucket's replica:
 * the lag is the arrival's event time minus the write time the key carries. The probe's own write
 * into the source bucket is `irrelevant`; a bucket that is no target's replica is left to the router.
 */
function canaryArrival(event: Obj, targets: readonly ProtectedResource[]): SignalResult {
  const detail = isObj(event.detail) ? event.detail : {};
  const bucket = isObj(detail.bucket) && typeof detail.bucket.name === "string" ? detail.bucket.name : undefined;
  const key = isObj(detail.object) && typeof detail.object.key === "string" ? detail.object.key : undefined;
  const at = typeof event.time === "string" ? Date.parse(event.time) : NaN;
  if (bucket === undefined || key === undefined || !Number.isFinite(at)) {
    return { ok: false, reason: "malformed", detail: "Object Created: expected detail.bucket.name, detail.object.key and time" };
  }
  const writtenAt = Number(/^(\d{10,16})(?:[^0-9].*)?$/.exec(key.slice(CANARY_KEY_PREFIX.length))?.[1]);
  if (!Number.isSafeInteger(writtenAt)) return { ok: false, reason: "malformed", detail: `detail.object.key: no write time in ${key}` };
  if (targets.some((t) => t.kind === "s3" && bucketName(t.resource) === bucket)) {
    return { ok: false, reason: "irrelevant", detail: `canary written to source bucket ${bucket}` };
  }
  const target = targets.find((t) => t.kind === "s3" && bucketName(t.replica) === bucket);
  const replica = target?.kind === "s3" ? target.replica : `arn:aws:s3:::${bucket}`;
  return signalFromCanary({
    kind: "s3",
    resource: target?.resource ?? `arn:aws:s3:::${bucket}`,
    replica,
    markerId: key,
    writtenAt,
    observedAt: at,
    probedAt: Math.max(at, writtenAt),
  });
}

/**
 * Recognises an invocation's event and normalises what it carries. Never throws: broken parts become
 * `malformed` results, which the caller counts and ignores.
 *
 * @param event - the raw Lambda event
 * @param targets - the protected resources (to tell a canary's replica bucket from its source)
 */
export function decodeMonitorInput(event: unknown, targets: readonly ProtectedResource[]): MonitorInput {
  if (!isObj(event)) return { kind: "unrecognised", detail: "event is not a JSON object" };
  if (Array.isArray(event.Records)) {
    const records = event.Records as unknown[];
    const source = isObj(records[0]) ? records[0].eventSource : undefined;
    if (source === "aws:kinesis") {
      return { kind: "signals", fromStream: true, results: (records as KinesisStreamRecord[]).flatMap(metricSignals) };
    }
    if (source === "aws:s3") return { kind: "signals", fromStream: false, results: records.map(signalFromS3Notification) };
    return { kind: "unrecognised", detail: `Records from ${JSON.stringify(source)}` };
  }
  if (event.source === "aws.events" && event["detail-type"] === "Scheduled Event") {
    const at = typeof event.time === "string" ? Date.parse(event.time) : NaN;
    return Number.isFinite(at) ? { kind: "schedule", at } : { kind: "unrecognised", detail: `Scheduled Event without a valid time: ${JSON.stringify(event.time)}` };
  }
  if (event.source === "aws.rds") return { kind: "signals", fromStream: false, results: [signalFromRdsEvent(event)] };
  if (event.source === CANARY_EVENT_SOURCE && event["detail-type"] === CANARY_DETAIL_TYPE) {
    return { kind: "signals", fromStream: false, results: [signalFromCanary(event.detail)] };
  }
  if (event.source === "aws.s3" && event["detail-type"] === "Object Created") {
    return { kind: "signals", fromStream: false, results: [canaryArrival(event, targets)] };
  }
  return { kind: "unrecognised", detail: `source ${JSON.stringify(event.source)}, detail-type ${JSON.stringify(event["detail-type"])}` };
}
