import type { Context, KinesisStreamBatchResponse } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultConfig } from "../../../core/config";
import { createStore } from "../../../core/store/service";
import { VirtualClock } from "../../../local/clock";
import { createLambdaContext } from "../../../local/kinesis/lambda-context";
import { startRuntime, type Runtime } from "../../../local/runtime";
import { datum, kinesisEvent, kinesisRecord, seriesWithSpike } from "../../support/metric-records";

let runtime: Runtime;
let handler: (event: unknown, context: Context) => Promise<KinesisStreamBatchResponse>;
const context = () => createLambdaContext({ functionName: "anomaly-scorer", region: "us-east-1", accountId: "111122223333", timeoutMs: 30_000 });

beforeAll(async () => {
  runtime = await startRuntime({ config: defaultConfig(), clock: new VirtualClock(0) });
  handler = (await import("../../../functions/anomaly-scorer")).handler as never;
});
afterAll(async () => runtime?.close());

const emitted = () =>
  runtime.bus.accepted
    .filter((a) => a.via === "PutEvents" && a.event["detail-type"] === "Anomaly Detected")
    .map((a) => a.event as unknown as { detail: { eventId: string; anomaly: { timestamp: string; metricName: string } } });

describe("anomaly-scorer", () => {
  const values = seriesWithSpike(300, 250);
  const lines = values.map((v, i) => JSON.stringify(datum(i, v)));

  it("scores a batch, saves the series once and emits the spike as Anomaly Detected", async () => {
    // Several metrics per record, as Metric Streams writes them.
    const records = Array.from({ length: 30 }, (_, r) => kinesisRecord(r, lines.slice(r * 10, r * 10 + 10)));
    const response = await handler(kinesisEvent(records), context());
    await runtime.settle();
    expect(response.batchItemFailures).toEqual([]);
    const anomalies = emitted();
    expect(anomalies.map((e) => e.detail.anomaly)).toContainEqual(expect.objectContaining({ timestamp: new Date(datum(250, 0).timestamp).toISOString(), metricName: "CPUUtilization" }));
    const store = createStore({ client: runtime.dynamodb, table: runtime.names.table });
    const series = (await store.entities.series.get({ seriesId: "111122223333/us-east-1/AWS/EC2/CPUUtilization/InstanceId=i-0abc" }).go()).data;
    expect(series).toMatchObject({ version: 1, lastTimestamp: datum(299, 0).timestamp });
    expect(Buffer.byteLength(series!.state)).toBeLessThanOrEqual(2048);
  });

  it("re-emits the same event (same eventId) when the batch is delivered again, and learns nothing twice", async () => {
    const before = emitted();
    const records = Array.from({ length: 30 }, (_, r) => kinesisRecord(r, lines.slice(r * 10, r * 10 + 10)));
    await handler(kinesisEvent(records), context());
    await runtime.settle();
    const again = emitted().slice(before.length);
    expect(again.length).toBeGreaterThan(0);
    expect(again.map((e) => e.detail.eventId)).toEqual(before.filter((e) => e.detail.anomaly.timestamp.startsWith("2025-11-03T12:10")).map((e) => e.detail.eventId));
    const store = createStore({ client: runtime.dynamodb, table: runtime.names.table });
    const series = (await store.entities.series.get({ seriesId: "111122223333/us-east-1/AWS/EC2/CPUUtilization/InstanceId=i-0abc" }).go()).data;
    expect(series!.version).toBe(1);
  });

  it("fails a record with no usable line alone and scores its batch-mates", async () => {
    const other = (i: number) => JSON.stringify(datum(i, 10, { metric_name: "NetworkIn" }));
    const response = await handler(
      kinesisEvent([kinesisRecord(100, [other(0), other(1)]), kinesisRecord(101, ["not json at all"]), kinesisRecord(102, [other(2), "{\"half\": ", other(3)])]),
      context(),
    );
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: kinesisRecord(101, []).kinesis.sequenceNumber }]);
    const store = createStore({ client: runtime.dynamodb, table: runtime.names.table });
    const series = (await store.entities.series.get({ seriesId: "111122223333/us-east-1/AWS/EC2/NetworkIn/InstanceId=i-0abc" }).go()).data;
    expect(series!.lastTimestamp).toBe(datum(3, 0).timestamp);
  });

  it("skips points it cannot score without touching the state", async () => {
    const id = "111122223333/us-east-1/AWS/EC2/DiskReadOps/InstanceId=i-0abc";
    const line = (i: number, extra: Record<string, unknown> = {}) => JSON.stringify(datum(i, 5, { metric_name: "DiskReadOps", ...extra }));
    await handler(kinesisEvent([kinesisRecord(200, [line(10)])]), context());
    const store = createStore({ client: runtime.dynamodb, table: runtime.names.table });
    const before = (await store.entities.series.get({ seriesId: id }).go()).data!;
    const response = await handler(
      kinesisEvent([kinesisRecord(201, [line(9), line(10), line(11, { value: { max: 0, min: 0, sum: 0, count: 0 } }), line(12, { account_id: "12" })])]),
      context(),
    );
    expect(response.batchItemFailures).toEqual([]);
    const after = (await store.entities.series.get({ seriesId: id }).go()).data!;
    expect(after.state).toBe(before.state);
    expect(after.version).toBe(before.version);
  });
});
