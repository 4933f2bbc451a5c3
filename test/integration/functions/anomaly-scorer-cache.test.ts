import type { Context, KinesisStreamBatchResponse } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scoreBatch, type SeriesPoint } from "../../../core/anomaly/batch";
import { pointFromDatum } from "../../../core/anomaly/points";
import { defaultConfig } from "../../../core/config";
import { createStore } from "../../../core/store/service";
import type { MetricStreamDatum } from "../../../events/inbound/metric-stream";
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

const metric = "CacheProbe";
const seriesId = `111122223333/us-east-1/AWS/EC2/${metric}/InstanceId=i-0abc`;
const values = seriesWithSpike(400, 330);
const datumAt = (i: number) => datum(i, values[i]!, { metric_name: metric });
const pointsOf = (from: number, to: number): SeriesPoint[] =>
  Array.from({ length: to - from }, (_, k) => pointFromDatum(datumAt(from + k) as MetricStreamDatum) as SeriesPoint);
const send = (from: number, to: number, seq: number) =>
  handler(kinesisEvent([kinesisRecord(seq, Array.from({ length: to - from }, (_, k) => JSON.stringify(datumAt(from + k))))]), context());

describe("anomaly-scorer with detectors kept warm between invocations", () => {
  it("saves exactly the state a cold load would, and never scores from a version another writer replaced", async () => {
    const store = createStore({ client: runtime.dynamodb, table: runtime.names.table });
    const read = async () => (await store.entities.series.get({ seriesId }).go()).data!;
    // Three warm batches: the second and third start from the cached detector.
    await send(0, 100, 500);
    await send(100, 200, 501);
    await send(200, 250, 502);
    const cold = scoreBatch(pointsOf(0, 250), new Map());
    expect((await read()).state).toBe(cold.series[0]!.state);
    expect((await read()).version).toBe(3);

    // Another instance scores points 250..300 from the stored state and saves version 4.
    const other = scoreBatch(pointsOf(250, 300), new Map([[seriesId, { state: cold.series[0]!.state, recentAnomalies: [] }]]));
    await store.entities.series
      .put({ seriesId, state: other.series[0]!.state, lastTimestamp: datumAt(299).timestamp, updatedAt: new Date(0).toISOString(), recentAnomalies: "[]", version: 4 })
      .go();
    // This instance still holds version 3 in memory: the next batch must start from version 4.
    const response = await send(300, 400, 503);
    expect(response.batchItemFailures).toEqual([]);
    expect((await read()).state).toBe(scoreBatch(pointsOf(0, 400), new Map()).series[0]!.state);
    expect((await read()).version).toBe(5);
  });
});
