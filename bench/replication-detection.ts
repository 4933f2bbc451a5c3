/**
 * `npx tsx bench/replication-detection.ts [--json]`: how long after replication stops Vigil says
 * `Replication RPO Breached`, per protected kind and signal. Each scenario replays minute by minute
 * on virtual time through the real model (core/replication) and the real canary probe logic: signals
 * arrive as AWS delivers them (Metric Streams 2 minutes late, S3 notifications within the minute),
 * the probe and the monitor's staleness schedule run every minute. RPO 15 min (RDS: 1500 min, daily
 * snapshots whose DR copies take 30 min), default thresholds. The delay runs from the moment replication
 * stops to the minute the monitor publishes its first alert (breached, or stale when the evidence just stops).
 */
import {
  applySignal,
  DEFAULT_REPLICATION_SETTINGS,
  dynamoDbCanaryResults,
  evaluate,
  initialState,
  parseReplicationConfig,
  type ProtectedResource,
  type ReplicationTransition,
  s3CanaryResults,
  s3MarkerKey,
  type Signal,
  signalFromCanary,
  signalFromMetric,
  signalFromRdsEvent,
  signalFromS3Notification,
  type SignalResult,
} from "../core/replication";

const MIN = 60_000;
const T0 = Date.parse("2025-11-03T00:00:00Z");
const at = (m: number) => T0 + m * MIN;
const ACCOUNT = "111122223333";

const [s3Any, ddbAny, rds] = parseReplicationConfig({
  protected: [
    { id: "assets", kind: "s3", resource: "arn:aws:s3:::assets", replica: "arn:aws:s3:::assets-dr" },
    { id: "orders", kind: "dynamodb", resource: `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/orders`, replicaRegions: ["us-west-2"] },
    { id: "orders-db", kind: "rds", resource: `arn:aws:rds:us-east-1:${ACCOUNT}:db:orders-db`, replicaRegions: ["us-west-2"], rpoMinutes: 1500 },
  ],
}).protected as [ProtectedResource, ProtectedResource, ProtectedResource];
if (s3Any.kind !== "s3" || ddbAny.kind !== "dynamodb") throw new Error("config order changed");
const s3 = s3Any;
const ddb = ddbAny;

/** What a scenario delivers at each minute: [arrival minute, signal] pairs. */
type Feed = (minute: number) => Signal[];

function ok(result: SignalResult): Signal {
  if (!result.ok) throw new Error(`${result.reason}: ${result.detail}`);
  return result.signal;
}

/** Replays `minutes` minutes; the first alert (breached or stale) after `stop`, and the minute the monitor published it. */
function replay(target: ProtectedResource, minutes: number, stop: number, feed: Feed): { transition?: ReplicationTransition; publishedMinute?: number } {
  let state = initialState(target.id);
  for (let m = 0; m <= minutes; m++) {
    const found: ReplicationTransition[] = [];
    for (const signal of feed(m).sort((a, b) => a.at - b.at)) {
      const next = applySignal(state, signal, target, { receivedAt: at(m) });
      state = next.state;
      if (next.transition) found.push(next.transition);
    }
    const tick = evaluate(state, target, at(m));
    state = tick.state;
    if (tick.transition) found.push(tick.transition);
    const breach = found.find((t) => t.type === "breached");
    if (breach && m >= stop) return { transition: breach, publishedMinute: m };
  }
  return {};
}

const datum = (namespace: string, metric: string, dimensions: Record<string, string>, minute: number, value: number, unit: string) => ({
  metric_stream_name: "vigil", account_id: ACCOUNT, region: "us-east-1", namespace, metric_name: metric, dimensions,
  timestamp: at(minute), value: { max: value, min: value, sum: value, count: 1 }, unit,
});
const METRIC_DELAY = 2;
const STOP = 120;

/** S3 Replication Time Control: an object not replicated 15 min after its write is reported missed; writes every minute. */
const s3Notifications = (failed: boolean): Feed => (m) => {
  if (m < STOP) return [];
  const record = (event: number, request: number, op: string) => ({
    eventVersion: "2.2", eventSource: "aws:s3", awsRegion: "us-east-1", eventTime: new Date(at(event)).toISOString(), eventName: `Replication:${op}`,
    userIdentity: { principalId: "s3.amazonaws.com" }, requestParameters: { sourceIPAddress: "s3.amazonaws.com" }, responseElements: { "x-amz-request-id": "r", "x-amz-id-2": "r" },
    s3: { s3SchemaVersion: "1.0", configurationId: "c", bucket: { name: "assets", ownerIdentity: { principalId: "p" }, arn: "arn:aws:s3:::assets" }, object: { key: `o-${request}`, size: 1, versionId: "v", eTag: "e", sequencer: "s" } },
    replicationEventData: { replicationRuleId: "all", destinationBucket: "arn:aws:s3:::assets-dr", s3Operation: "OBJECT_PUT", requestTime: new Date(at(request)).toISOString(), ...(failed ? { failureReason: "AssumeRoleNotPermitted" } : {}) },
  });
  // A revoked role fails each write within the minute; a stalled one misses the 15-minute threshold.
  if (failed) return [ok(signalFromS3Notification(record(m, m, "OperationFailedReplication")))];
  return m - 15 >= STOP ? [ok(signalFromS3Notification(record(m, m - 15, "OperationMissedThreshold")))] : [];
};

/** S3 ReplicationLatency: 30 s while healthy, then the age of the oldest pending change; delivered 2 min late. */
const s3Metric: Feed = (m) => {
  const minute = m - METRIC_DELAY;
  if (minute < 0) return [];
  const seconds = minute < STOP ? 30 : (minute - STOP) * 60 + 30;
  return [ok(signalFromMetric(datum("AWS/S3", "ReplicationLatency", { SourceBucket: "assets", DestinationBucket: "assets-dr", RuleId: "all" }, minute, seconds, "Seconds")))];
};

/** DynamoDB ReplicationLatency of replicated writes: 1.5 s while healthy; after the stop, writes land `lag` min late (null: never, so no datapoint). */
const ddbMetric = (lag: number | null): Feed => (m) => {
  const minute = m - METRIC_DELAY;
  if (minute < 0) return [];
  if (minute < STOP) return [ok(signalFromMetric(datum("AWS/DynamoDB", "ReplicationLatency", { TableName: "orders", ReceivingRegion: "us-west-2" }, minute, 1_500, "Milliseconds")))];
  // A write made at the stop lands `lag` minutes later: only then is its latency measured.
  if (lag === null || minute < STOP + lag) return [];
  return [ok(signalFromMetric(datum("AWS/DynamoDB", "ReplicationLatency", { TableName: "orders", ReceivingRegion: "us-west-2" }, minute, lag * MIN, "Milliseconds")))];
};

/** The S3 canary: a marker a minute; each lands in the replica within the minute until the stop, then `lag` min late (null: never). */
function s3Canary(lag: number | null): Feed {
  const source: string[] = [];
  const landed: { key: string; minute: number }[] = [];
  return (m) => {
    const key = s3MarkerKey(s3.id, at(m));
    source.push(key);
    const delay = m < STOP ? 0 : lag;
    if (delay !== null) landed.push({ key, minute: m + delay });
    const replica = landed.filter((l) => l.minute <= m).map((l) => l.key);
    return s3CanaryResults(s3, { source, replica }, at(m)).map((r) => ok(signalFromCanary(r)));
  };
}

/** The DynamoDB canary: the marker item's versions reach the replica region within the minute until the stop, then `lag` min late (null: never). */
function ddbCanary(lag: number | null): Feed {
  const writes: number[] = [];
  return (m) => {
    writes.push(at(m));
    const delay = m < STOP ? 0 : lag;
    // Newest version the replica holds: the last write made `delay` minutes ago (or before the stop, when halted).
    const visible = writes.filter((w) => (w < at(STOP) ? w <= at(m) : delay !== null && w + delay * MIN <= at(m)));
    return dynamoDbCanaryResults(ddb, "us-west-2", writes.slice(-60), visible.at(-1), at(m)).map((r) => ok(signalFromCanary(r)));
  };
}

/** RDS: a snapshot at 00:00 each day; its DR copy finishes 30 min later, until the copies stop (day 2's never lands). */
const rdsSnapshots: Feed = (m) => {
  const day = Math.floor(m / 1440);
  const event = (id: string, minute: number, region: string, snapshot: string, message = "") => {
    const arn = `arn:aws:rds:${region}:${ACCOUNT}:snapshot:${snapshot}`;
    return ok(signalFromRdsEvent({ version: "0", id: `${id}-${minute}`, "detail-type": "RDS DB Snapshot Event", source: "aws.rds", account: ACCOUNT, time: new Date(at(minute)).toISOString(), region, resources: [arn], detail: { EventCategories: ["backup"], SourceType: "SNAPSHOT", SourceArn: arn, Date: new Date(at(minute)).toISOString(), Message: message, SourceIdentifier: snapshot, EventID: id } }));
  };
  const out: Signal[] = [];
  if (m % 1440 === 0) out.push(event("RDS-EVENT-0090", m, "us-east-1", `rds:orders-db-d${day}`));
  if (m % 1440 === 30 && day < RDS_STOP_DAY) out.push(event("RDS-EVENT-0060", m, "us-west-2", `orders-db-d${day}-dr`, `Finished copy of snapshot rds:orders-db-d${day} from region us-east-1 in 25 minutes.`));
  return out;
};
const RDS_STOP_DAY = 2;

const rows: { kind: string; signal: string; scenario: string; status: string; delayMinutes: number | null }[] = [];
function measure(kind: string, signal: string, scenario: string, target: ProtectedResource, feed: Feed, stop = STOP, minutes = STOP + 120) {
  const { transition, publishedMinute } = replay(target, minutes, stop, feed);
  rows.push({ kind, signal, scenario, status: transition?.status ?? "none", delayMinutes: publishedMinute === undefined ? null : publishedMinute - stop });
}

measure("s3", "notification", "replication stalls (RTC missed threshold)", s3, s3Notifications(false));
measure("s3", "notification", "replication fails (role revoked)", s3, s3Notifications(true));
measure("s3", "metric", "replication stalls (latency grows 1 min/min)", s3, s3Metric);
measure("s3", "canary", "replication stalls", s3, s3Canary(null));
measure("s3", "canary", "replication 20 min late", s3, s3Canary(20));
measure("dynamodb", "metric", "replication halts (no datapoints)", ddb, ddbMetric(null));
measure("dynamodb", "metric", "replication 20 min late", ddb, ddbMetric(20));
measure("dynamodb", "canary", "replication halts", ddb, ddbCanary(null));
measure("dynamodb", "canary", "replication 20 min late", ddb, ddbCanary(20));
// RDS: replication "stops" with day 2's snapshot (taken at 2 × 1440), whose copy should have landed 30 min later.
measure("rds", "snapshot copy", "day-2 copy never lands (RPO 1500 min)", rds, rdsSnapshots, RDS_STOP_DAY * 1440, 4 * 1440);

if (process.argv.includes("--json")) console.log(JSON.stringify({ rows, settings: DEFAULT_REPLICATION_SETTINGS }));
else {
  const header = ["kind", "signal", "scenario", "first alert", "detection delay"];
  const body = rows.map((r) => [r.kind, r.signal, r.scenario, r.status, r.delayMinutes === null ? "never" : `${r.delayMinutes} min`]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  for (const line of [header, ...body]) console.log(line.map((c, i) => c.padEnd(widths[i]!)).join("  "));
}
