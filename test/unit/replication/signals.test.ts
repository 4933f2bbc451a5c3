import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  matchTarget,
  routeSignals,
  signalFromCanary,
  signalFromMetric,
  signalFromRdsEvent,
  signalFromS3Notification,
} from "../../../core/replication";
import { canary, ddbLatencyDatum, ok, rdsEvent, s3LatencyDatum, s3Record, targets } from "./factory";

const fixtures = path.resolve(process.cwd(), "../shared/fixtures");
const readJson = (rel: string) => JSON.parse(readFileSync(path.join(fixtures, rel), "utf8"));

describe.skipIf(!existsSync(fixtures))("AWS sample events (../shared/fixtures absent: skipped)", () => {
  it("reads the S3 OperationFailedReplication sample, as S3 delivers it with the s3: prefix", () => {
    const record = readJson("s3-replication/s3-notification-OperationFailedReplication-aws-lambda-go.json").Records[0];
    expect(ok(signalFromS3Notification(record))).toMatchObject({
      type: "s3-replication-event",
      operation: "OperationFailedReplication",
      requestTime: Date.parse("2024-09-05T21:03:59.168Z"),
      destinationBucket: "arn:aws:s3:::amzn-s3-demo-bucket2",
      failureReason: "AssumeRoleNotPermitted",
    });
  });

  it("finds the sample bucket unprotected", () => {
    const record = readJson("s3-replication/s3-notification-OperationFailedReplication-aws-lambda-go.json").Records[0];
    expect(matchTarget(ok(signalFromS3Notification(record)), targets())).toBe("unprotected");
  });

  it("reads the RDS snapshot sample (a deletion) as irrelevant", () => {
    expect(signalFromRdsEvent(readJson("rds-events/rds-db-snapshot-event-awsdocs.json"))).toMatchObject({ ok: false, reason: "irrelevant" });
  });

  it("reads the Metric Streams EC2 sample as irrelevant", () => {
    expect(signalFromMetric(readJson("metric-streams-json/record-diskwriteops-percentiles-awsdocs.json"))).toMatchObject({ ok: false, reason: "irrelevant" });
  });
});

describe("signalFromMetric", () => {
  it("reads S3 ReplicationLatency in seconds with its three dimensions", () => {
    expect(ok(signalFromMetric(s3LatencyDatum(0, 42)))).toMatchObject({ service: "s3", metric: "ReplicationLatency", value: 42, ruleId: "all", destinationBucket: "assets-dr" });
  });

  it("reads DynamoDB ReplicationLatency in milliseconds per receiving region", () => {
    expect(ok(signalFromMetric(ddbLatencyDatum(0, 900)))).toMatchObject({ service: "dynamodb", value: 900, region: "us-east-1", receivingRegion: "us-west-2", tableName: "orders" });
  });

  it.each([
    ["missing dimensions", s3LatencyDatum(0, 1, { dimensions: { SourceBucket: "assets" } })],
    ["a negative value", s3LatencyDatum(0, -5)],
    ["no sample in the minute", s3LatencyDatum(0, 0, { value: { max: 0, min: 0, sum: 0, count: 0 } })],
    ["a string timestamp", s3LatencyDatum(0, 1, { timestamp: "soon" })],
    ["not an object", "ReplicationLatency 3"],
  ])("calls %s malformed", (_name, datum) => {
    expect(signalFromMetric(datum)).toMatchObject({ ok: false, reason: "malformed" });
  });
});

describe("signalFromS3Notification", () => {
  it.each(["OperationFailedReplication", "OperationMissedThreshold", "OperationReplicatedAfterThreshold", "OperationNotTracked"])("reads %s", (op) => {
    expect(ok(signalFromS3Notification(s3Record(op, 20, 2)))).toMatchObject({ operation: op, objectKey: "a.txt#v1" });
  });

  it("calls a record with another event name malformed", () => {
    expect(signalFromS3Notification({ ...s3Record("OperationMissedThreshold", 20, 2), eventName: "ObjectCreated:Put" })).toMatchObject({ ok: false, reason: "malformed" });
  });
});

describe("signalFromRdsEvent", () => {
  it("reads an automated snapshot's start, creation and its cross-region copy with the copy's duration", () => {
    expect(ok(signalFromRdsEvent(rdsEvent("RDS-EVENT-0090", 0, "us-east-1", "rds:orders-db-2024-09-05-12-00")))).toMatchObject({ phase: "started", snapshotId: "orders-db-2024-09-05-12-00", region: "us-east-1" });
    expect(ok(signalFromRdsEvent(rdsEvent("RDS-EVENT-0091", 9, "us-east-1", "rds:orders-db-2024-09-05-12-00")))).toMatchObject({ phase: "created" });
    const copy = rdsEvent("RDS-EVENT-0060", 40, "us-west-2", "orders-db-2024-09-05-copy", "Finished copy of snapshot orders-db-2024-09-05-copy from region us-east-1 in 25 minutes.");
    expect(ok(signalFromRdsEvent(copy))).toMatchObject({ phase: "copied", region: "us-west-2", copiedFromRegion: "us-east-1", copyMinutes: 25 });
  });

  it("calls a snapshot event whose SourceArn is not a snapshot malformed", () => {
    const event = rdsEvent("RDS-EVENT-0091", 9, "us-east-1", "x");
    event.detail.SourceArn = "arn:aws:rds:us-east-1:123456789012:db:orders-db";
    expect(signalFromRdsEvent(event)).toMatchObject({ ok: false, reason: "malformed" });
  });
});

describe("signalFromCanary", () => {
  it("reads a marker seen in the replica, or not yet", () => {
    expect(ok(signalFromCanary(canary(0, 2)))).toMatchObject({ writtenAt: canary(0, 2).writtenAt, observedAt: canary(0, 2).observedAt });
    expect(ok(signalFromCanary(canary(0, null, 5)))).toMatchObject({ observedAt: null });
  });

  it("calls a probe that ran before its marker was written malformed", () => {
    expect(signalFromCanary(canary(10, null, 5))).toMatchObject({ ok: false, reason: "malformed" });
  });
});

describe("matchTarget", () => {
  const all = targets();
  it.each([
    ["an S3 metric", ok(signalFromMetric(s3LatencyDatum(0, 1))), "assets-bucket"],
    ["an S3 event", ok(signalFromS3Notification(s3Record("OperationMissedThreshold", 20, 2))), "assets-bucket"],
    ["a DynamoDB metric", ok(signalFromMetric(ddbLatencyDatum(0, 1))), "orders-table"],
    ["an S3 canary", ok(signalFromCanary(canary(0, 1))), "assets-bucket"],
    ["a DynamoDB canary", ok(signalFromCanary(canary(0, 1, 1, "dynamodb"))), "orders-table"],
    ["an RDS source snapshot", ok(signalFromRdsEvent(rdsEvent("RDS-EVENT-0091", 0, "us-east-1", "rds:orders-db-x"))), "orders-db"],
    ["an RDS DR copy", ok(signalFromRdsEvent(rdsEvent("RDS-EVENT-0060", 0, "us-west-2", "orders-db-x-copy"))), "orders-db"],
  ])("routes %s to its target", (_name, signal, id) => {
    expect(matchTarget(signal, all)).toMatchObject({ id });
  });

  it.each([
    ["another bucket's metric", ok(signalFromMetric(s3LatencyDatum(0, 1, { dimensions: { SourceBucket: "logs", DestinationBucket: "assets-dr", RuleId: "all" } })))],
    ["a DynamoDB metric into an unprotected region", ok(signalFromMetric(ddbLatencyDatum(0, 1, "eu-west-1")))],
    ["an RDS copy outside the DR regions", ok(signalFromRdsEvent(rdsEvent("RDS-EVENT-0060", 0, "eu-west-1", "orders-db-x-copy")))],
    ["another database's snapshot", ok(signalFromRdsEvent(rdsEvent("RDS-EVENT-0091", 0, "us-east-1", "rds:billing-db-x")))],
  ])("calls %s unprotected", (_name, signal) => {
    expect(matchTarget(signal, all)).toBe("unprotected");
  });

  it("counts unprotected signals and groups the rest by target in order", () => {
    const signals = [s3LatencyDatum(0, 1), ddbLatencyDatum(0, 1, "eu-west-1"), s3LatencyDatum(1, 2)].map((d) => ok(signalFromMetric(d)));
    const routed = routeSignals(signals, all);
    expect(routed.unprotected).toBe(1);
    expect(routed.byTarget.get("assets-bucket")?.map((s) => s.at)).toEqual([signals[0]!.at, signals[2]!.at]);
  });
});
