import { KinesisClient, PutRecordsCommand, type PutRecordsCommandInput } from "@aws-sdk/client-kinesis";
import type { Context, FirehoseTransformationEvent, FirehoseTransformationResult } from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { putRecords } from "../../../functions/lib/put-records";
import { createLambdaContext } from "../../../local/kinesis/lambda-context";
import { metricLine } from "./metric-lines";

const kinesis = mockClient(KinesisClient);
const saved = { ...process.env };
let handler: (event: FirehoseTransformationEvent, context: Context) => Promise<FirehoseTransformationResult>;
let logger: typeof import("../../../functions/lib/powertools").logger;

const line = (fn: string, timestamp = 1) => metricLine({ dimensions: { FunctionName: fn }, timestamp });
const b64 = (text: string) => Buffer.from(text).toString("base64");
const firehose = (...payloads: string[]): FirehoseTransformationEvent => ({
  invocationId: "inv-1",
  deliveryStreamArn: "arn:aws:firehose:us-east-1:123456789012:deliverystream/vigil-metrics",
  region: "us-east-1",
  records: payloads.map((p, i) => ({ recordId: `r${i + 1}`, approximateArrivalTimestamp: 1_764_000_000_000, data: b64(p) })),
});
const run = (event: FirehoseTransformationEvent) =>
  handler(event, createLambdaContext({ functionName: "metrics-forwarder", region: "us-east-1", accountId: "123456789012", timeoutMs: 60_000 }));
/** Every record each PutRecords call carried, as { key, lines }. */
const sent = () =>
  kinesis.commandCalls(PutRecordsCommand).map((c) => {
    const input = c.args[0].input as PutRecordsCommandInput;
    expect(input.StreamName).toBe("vigil-metrics");
    return (input.Records ?? []).map((r) => ({ key: r.PartitionKey, lines: Buffer.from(r.Data!).toString("utf8").trim().split("\n") }));
  });
const ok = (n: number) => ({ FailedRecordCount: 0, Records: Array.from({ length: n }, (_, i) => ({ SequenceNumber: `${i}`, ShardId: "shardId-000" })) });
const seriesKey = (fn: string) => `123456789012/us-east-1/AWS/Lambda/Errors/FunctionName=${fn}`;

beforeAll(async () => {
  Object.assign(process.env, {
    SST_RESOURCE_MetricsStream: JSON.stringify({ name: "vigil-metrics", type: "sst.aws.KinesisStream" }),
    SST_RESOURCE_App: JSON.stringify({ name: "vigil", stage: "test" }),
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    POWERTOOLS_METRICS_DISABLED: "true",
    POWERTOOLS_LOG_LEVEL: "SILENT",
  });
  handler = (await import("../../../functions/metrics-forwarder")).handler as never;
  logger = (await import("../../../functions/lib/powertools")).logger;
});
afterAll(() => {
  process.env = saved;
});
beforeEach(() => {
  kinesis.reset();
  vi.restoreAllMocks();
});

describe("metrics-forwarder", () => {
  it("writes one record per series across the batch, and answers Ok with each record's data unchanged", async () => {
    kinesis.on(PutRecordsCommand).callsFake((input: PutRecordsCommandInput) => ok(input.Records!.length));
    const event = firehose([line("a", 1), line("b", 1)].join("\n"), `${line("a", 2)}\n`);
    const result = await run(event);
    expect(sent()).toEqual([[{ key: seriesKey("a"), lines: [line("a", 1), line("a", 2)] }, { key: seriesKey("b"), lines: [line("b", 1)] }]]);
    expect(result.records).toEqual(event.records.map((r) => ({ recordId: r.recordId, result: "Ok", data: r.data })));
  });

  it("retries only the entries Kinesis refused, and answers Ok once they are written", async () => {
    kinesis
      .on(PutRecordsCommand)
      .resolvesOnce({ FailedRecordCount: 1, Records: [{ SequenceNumber: "1", ShardId: "s" }, { ErrorCode: "ProvisionedThroughputExceededException", ErrorMessage: "slow down" }] })
      .resolves(ok(1));
    const result = await run(firehose(line("a"), line("b")));
    expect(sent()).toEqual([[expect.objectContaining({ key: seriesKey("a") }), expect.objectContaining({ key: seriesKey("b") })], [expect.objectContaining({ key: seriesKey("b") })]]);
    expect(result.records.map((r) => r.result)).toEqual(["Ok", "Ok"]);
  });

  it("retries a call that was throttled as a whole", async () => {
    const throttled = Object.assign(new Error("Rate exceeded for shard"), { name: "ProvisionedThroughputExceededException" });
    kinesis.on(PutRecordsCommand).rejectsOnce(throttled).resolves(ok(1));
    const result = await run(firehose(line("a")));
    expect(sent()).toHaveLength(2);
    expect(result.records.map((r) => r.result)).toEqual(["Ok"]);
  });

  it("fails exactly the Firehose records whose lines still could not be written, with their data for the failed/ prefix", async () => {
    const error = vi.spyOn(logger, "error");
    kinesis.on(PutRecordsCommand).callsFake((input: PutRecordsCommandInput) => ({
      FailedRecordCount: input.Records!.filter((r) => r.PartitionKey === seriesKey("b")).length,
      Records: input.Records!.map((r) => (r.PartitionKey === seriesKey("b") ? { ErrorCode: "InternalFailure", ErrorMessage: "boom" } : { SequenceNumber: "1", ShardId: "s" })),
    }));
    const event = firehose(line("a"), line("b"), `${line("c")}\n${line("b", 2)}`);
    const result = await run(event);
    expect(sent()).toHaveLength(5);
    expect(sent().slice(1).flat().map((r) => r.key)).toEqual(Array(4).fill(seriesKey("b")));
    expect(result.records).toEqual([
      { recordId: "r1", result: "Ok", data: event.records[0]!.data },
      { recordId: "r2", result: "ProcessingFailed", data: event.records[1]!.data },
      { recordId: "r3", result: "ProcessingFailed", data: event.records[2]!.data },
    ]);
    expect(error).toHaveBeenCalledWith(expect.stringMatching(/not written/), expect.objectContaining({ records: 2, errors: ["InternalFailure: boom"] }));
  }, 10_000);

  it("drops and logs a malformed line without failing its batch-mates", async () => {
    const warn = vi.spyOn(logger, "warn");
    kinesis.on(PutRecordsCommand).callsFake((input: PutRecordsCommandInput) => ok(input.Records!.length));
    const result = await run(firehose(`${line("a")}\n{"truncated":`, line("b")));
    expect(sent().flat().map((r) => r.key)).toEqual([seriesKey("a"), seriesKey("b")]);
    expect(result.records.map((r) => r.result)).toEqual(["Ok", "Ok"]);
    expect(warn).toHaveBeenCalledWith("metric line dropped", expect.objectContaining({ recordId: "r1", line: 2, reason: expect.stringMatching(/invalid JSON/) }));
  });

  it("makes no call when no line is usable", async () => {
    const result = await run(firehose("garbage"));
    expect(sent()).toEqual([]);
    expect(result.records.map((r) => r.result)).toEqual(["Ok"]);
  });
});

describe("putRecords", () => {
  it("backs off exponentially between attempts and returns what still failed with its last error", async () => {
    kinesis.on(PutRecordsCommand).resolves({ FailedRecordCount: 1, Records: [{ ErrorCode: "InternalFailure", ErrorMessage: "boom" }] });
    const sleeps: number[] = [];
    const entry = { partitionKey: "k", data: "x\n" };
    const { failed, calls } = await putRecords(new KinesisClient({}), "s", [entry], { maxAttempts: 4, baseDelayMs: 100, sleep: async (ms) => void sleeps.push(ms) });
    expect(calls).toBe(4);
    expect(failed).toEqual([{ entry, errorCode: "InternalFailure", errorMessage: "boom" }]);
    expect(sleeps).toHaveLength(3);
    sleeps.forEach((ms, i) => {
      expect(ms).toBeGreaterThanOrEqual(100 * 2 ** i * 0.5);
      expect(ms).toBeLessThan(100 * 2 ** i * 1.5);
    });
  });

  it("counts a result without a sequence number as failed", async () => {
    kinesis.on(PutRecordsCommand).resolves({ FailedRecordCount: 0, Records: [] });
    const { failed } = await putRecords(new KinesisClient({}), "s", [{ partitionKey: "k", data: "x" }], { maxAttempts: 1 });
    expect(failed.map((f) => f.errorCode)).toEqual(["MissingResult"]);
  });
});
