import type { Context } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { CANARY_DETAIL_TYPE, CANARY_EVENT_SOURCE } from "../../../core/replication";
import { parseConfig } from "../../../core/config";
import { createStore } from "../../../core/store/service";
import { VirtualClock } from "../../../local/clock";
import { createLambdaContext } from "../../../local/kinesis/lambda-context";
import { startRuntime, type Runtime } from "../../../local/runtime";
import type { MonitorReport } from "../../../functions/replication-monitor";
import { kinesisEvent, kinesisRecord } from "../../support/metric-records";

const T0 = Date.parse("2025-11-03T14:00:00Z");
const MIN = 60_000;
const CONFIG = {
  replication: {
    protected: [
      { id: "assets", kind: "s3", resource: "arn:aws:s3:::assets", replica: "arn:aws:s3:::assets-dr", rpoMinutes: 15 },
      { id: "sessions", kind: "dynamodb", resource: "arn:aws:dynamodb:us-east-1:111122223333:table/sessions", replicaRegions: ["us-west-2"], rpoMinutes: 15 },
    ],
  },
};

let runtime: Runtime;
let handler: (event: unknown, context: Context) => Promise<MonitorReport>;
const context = () => createLambdaContext({ functionName: "replication-monitor", region: "us-east-1", accountId: "111122223333", timeoutMs: 30_000 });

beforeAll(async () => {
  runtime = await startRuntime({ config: parseConfig(JSON.stringify(CONFIG)), clock: new VirtualClock(T0) });
  handler = (await import("../../../functions/replication-monitor")).handler as never;
});
afterAll(async () => runtime?.close());

const s3Latency = (minute: number, seconds: number, source = "assets") =>
  JSON.stringify({
    metric_stream_name: "m", account_id: "111122223333", region: "us-east-1", namespace: "AWS/S3", metric_name: "ReplicationLatency",
    dimensions: { SourceBucket: source, DestinationBucket: `${source}-dr`, RuleId: "r1" },
    timestamp: T0 + minute * MIN, value: { max: seconds, min: seconds, sum: seconds, count: 1 }, unit: "Seconds",
  });
const otherMetric = (minute: number) =>
  JSON.stringify({ metric_stream_name: "m", account_id: "111122223333", region: "us-east-1", namespace: "AWS/EC2", metric_name: "CPUUtilization", dimensions: { InstanceId: "i-1" }, timestamp: T0 + minute * MIN, value: { max: 1, min: 1, sum: 1, count: 1 }, unit: "Percent" });
let seq = 0;
const metrics = (...lines: string[]) => handler(kinesisEvent([kinesisRecord(seq++, lines)]), context());
const tick = (minute: number) => handler({ version: "0", id: `t${minute}`, source: "aws.events", "detail-type": "Scheduled Event", account: "111122223333", time: new Date(T0 + minute * MIN).toISOString(), region: "us-east-1", resources: [], detail: {} }, context());

const published = (targetId: string) =>
  runtime.bus.accepted
    .filter((a) => a.via === "PutEvents" && String(a.event["detail-type"]).startsWith("Replication RPO"))
    .map((a) => a.event as unknown as { "detail-type": string; detail: { id: string; eventId: string; replication: { status: string } } })
    .filter((e) => e.detail.id === targetId);
const stored = async (targetId: string) =>
  (await createStore({ client: runtime.dynamodb, table: runtime.names.table }).entities.replicationTarget.get({ targetId }).go()).data;

describe("replication-monitor", () => {
  it("breaches when S3 ReplicationLatency passes the RPO, persisting the status before publishing", async () => {
    const report = await metrics(s3Latency(0, 60), s3Latency(1, 70), otherMetric(1));
    expect(report).toMatchObject({ signals: 2, transitions: [], batchItemFailures: [] });
    expect((await stored("assets"))?.status).toBe("ok");
    expect((await metrics(s3Latency(2, 16 * 60))).transitions).toEqual(["breached"]);
    await runtime.settle();
    const item = await stored("assets");
    expect(item).toMatchObject({ status: "breached", observedRpoMinutes: 16, outbox: "[]" });
    expect(published("assets").map((e) => [e["detail-type"], e.detail.replication.status])).toEqual([["Replication RPO Breached", "breached"]]);
  });

  it("emits once when the same batch is delivered again", async () => {
    const before = await stored("assets");
    const report = await handler(kinesisEvent([kinesisRecord(seq - 1, [s3Latency(2, 16 * 60)])]), context());
    expect(report.transitions).toEqual([]);
    expect((await stored("assets"))?.version).toBe(before?.version);
    expect(published("assets")).toHaveLength(1);
  });

  it("never resets a state on malformed input", async () => {
    const before = await stored("assets");
    const report = await metrics(s3Latency(3, -5), '{"namespace":"AWS/S3", broken', s3Latency(4, Number.NaN));
    expect(report).toMatchObject({ malformed: 3, signals: 0 });
    expect(await handler({ Records: [{ eventSource: "aws:s3", eventName: "Replication:OperationMissedThreshold" }] }, context())).toMatchObject({ malformed: 1 });
    expect(await stored("assets")).toEqual(before);
  });

  it("counts and ignores signals for resources that are not protected, with a debug log", async () => {
    const { logger } = await import("../../../functions/lib/powertools");
    const debug = vi.spyOn(logger, "debug");
    const report = await metrics(s3Latency(5, 9999, "unknown-bucket"));
    expect(report).toMatchObject({ signals: 0, unprotected: 1, transitions: [] });
    expect(await stored("unknown-bucket")).toBeNull();
    expect(debug).toHaveBeenCalledWith("signals for unprotected resources ignored", { count: 1 });
    debug.mockRestore();
  });

  it("restores after three observations back under 80% of the RPO", async () => {
    expect((await metrics(s3Latency(6, 60), s3Latency(7, 60))).transitions).toEqual([]);
    expect((await metrics(s3Latency(8, 60))).transitions).toEqual(["restored"]);
    await runtime.settle();
    expect(published("assets").map((e) => e["detail-type"])).toEqual(["Replication RPO Breached", "Replication RPO Restored"]);
    expect(await stored("assets")).toMatchObject({ status: "ok", lastSignalAt: new Date(T0 + 8 * MIN).toISOString() });
  });

  it("goes stale on the schedule when signals stop, and says so once", async () => {
    // Staleness window: max(3 × 5 min, 30 min) after the last signal at minute 8.
    expect((await tick(38)).transitions).toEqual([]);
    expect((await tick(39)).transitions).toEqual(["breached"]);
    expect((await tick(40)).transitions).toEqual([]);
    await runtime.settle();
    expect(published("assets").at(-1)?.detail.replication.status).toBe("stale");
    expect((await stored("assets"))?.status).toBe("stale");
    // A target that never had a signal stays unknown, never stale.
    expect((await stored("sessions"))?.status).toBe("unknown");
  });

  describe("canary probe reports (Replication Canary Observed)", () => {
    const sessions = "arn:aws:dynamodb:us-east-1:111122223333:table/sessions";
    const canary = (detail: Record<string, unknown>, minute: number) =>
      handler({ version: "0", id: `c${minute}-${String(detail.replica)}`, source: CANARY_EVENT_SOURCE, "detail-type": CANARY_DETAIL_TYPE, account: "111122223333", time: new Date(T0 + minute * MIN).toISOString(), region: "us-east-1", resources: [String(detail.resource)], detail }, context());
    const report = (minute: number, written: number, observed: number | null, resource = sessions) => ({
      kind: "dynamodb", resource, replica: "us-west-2", markerId: `m${written}`,
      writtenAt: new Date(T0 + written * MIN).toISOString(), observedAt: observed === null ? null : new Date(T0 + observed * MIN).toISOString(), probedAt: new Date(T0 + minute * MIN).toISOString(),
    });

    it("folds a marker seen in the replica into the target's state", async () => {
      expect(await canary(report(41, 40, 41), 41)).toMatchObject({ signals: 1, transitions: [] });
      expect(await stored("sessions")).toMatchObject({ status: "ok", observedRpoMinutes: 1, lastSignalAt: new Date(T0 + 41 * MIN).toISOString() });
    });

    it("breaches when a marker has not arrived after the RPO", async () => {
      expect((await canary(report(50, 42, null), 50)).transitions).toEqual([]);
      expect((await canary(report(58, 42, null), 58)).transitions).toEqual(["breached"]);
      expect(await stored("sessions")).toMatchObject({ status: "breached", observedRpoMinutes: 16 });
    });

    it("counts a report for an unprotected table and a malformed one, and changes nothing", async () => {
      const before = await stored("sessions");
      expect(await canary(report(59, 58, 59, "arn:aws:dynamodb:us-east-1:111122223333:table/other"), 59)).toMatchObject({ signals: 0, unprotected: 1 });
      expect(await canary({ ...report(59, 58, 59), writtenAt: "yesterday" }, 59)).toMatchObject({ signals: 0, malformed: 1 });
      expect(await stored("sessions")).toEqual(before);
    });
  });
});
