import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  ListShardsCommand,
  PutRecordCommand,
  PutRecordsCommand,
  SplitShardCommand,
  type KinesisClient,
} from "@aws-sdk/client-kinesis";
import { KinesisDataStreamSchema } from "@aws-lambda-powertools/parser/schemas";
import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import type { Context, KinesisStreamBatchResponse, KinesisStreamEvent, KinesisStreamRecord } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { InvalidMappingConfigError } from "../../../local/kinesis/errors";
import {
  createEventSourceMapping,
  type BatchFailureInfo,
  type EventSourceMappingOptions,
} from "../../../local/kinesis/event-source-mapping";
import { kinesisApi } from "../../../local/kinesis/api";
import { startKinesalite } from "../../../local/kinesis/kinesalite-server";
import { localKinesisClient } from "../../../local/kinesis/kinesis-client";
import { memoryKinesisClient } from "../../../local/kinesis/memory-client";
import { MemoryStreams } from "../../../local/kinesis/memory-streams";
import { serveJsonApi } from "../../support/kinesis-api-server";

const FIXTURES = resolve(process.cwd(), "../shared/fixtures/kinesis-lambda");
// MD5 puts "a" in the lower half of the hash-key space and "b" in the upper: one per shard of two.
const KEY_SHARD_0 = "a";
const KEY_SHARD_1 = "b";

type KinesisSender = Pick<KinesisClient, "send">;

/** A Kinesis the suite runs against. */
interface Backend {
  client: KinesisSender;
  /** Another client of the same streams, recording the name of every command it sends. */
  counting(calls: string[]): { client: KinesisSender; destroy(): void };
  close(): Promise<void>;
}

/** An SDK client over HTTP, counting through its middleware stack. */
function overHttp(server: { endpoint: string; close(): Promise<void> }): Backend {
  const client = localKinesisClient(server.endpoint);
  return {
    client,
    counting(calls) {
      const counting = localKinesisClient(server.endpoint);
      counting.middlewareStack.add((next, context) => (args) => {
        calls.push(String(context.commandName));
        return next(args);
      });
      return { client: counting, destroy: () => counting.destroy() };
    },
    async close() {
      client.destroy();
      await server.close();
    },
  };
}

function inProcess(streams: MemoryStreams): Backend {
  return {
    client: memoryKinesisClient(streams),
    counting(calls) {
      const inner = memoryKinesisClient(streams);
      const send = (command: object, ...rest: unknown[]) => {
        calls.push(command.constructor.name);
        return (inner.send as (...args: unknown[]) => Promise<unknown>)(command, ...rest);
      };
      return { client: { send: send as KinesisClient["send"] }, destroy: () => undefined };
    },
    close: async () => undefined,
  };
}

// Every test runs against kinesalite, the memory store in process, and the memory store over HTTP.
const BACKENDS: Array<[string, () => Promise<Backend>]> = [
  ["kinesalite", async () => overHttp(await startKinesalite())],
  ["memory store, in process", async () => inProcess(new MemoryStreams())],
  ["memory store over HTTP", async () => overHttp(await serveJsonApi(kinesisApi(new MemoryStreams())))],
];

let backend: Backend;
let client: KinesisSender;
let streamCount = 0;

/** One handler invocation, as the handler saw it. */
interface Invocation {
  shardId: string;
  sequenceNumbers: string[];
  payloads: string[];
  event: KinesisStreamEvent;
  context: Context;
}

/** A stream of two shards, and what was put in it. */
interface TestStream {
  name: string;
  arn: string;
  /** Payload to sequence number, and to shard. */
  sequence: Map<string, string>;
  shardOf: Map<string, string>;
  put(partitionKey: string, payloads: string[]): Promise<void>;
}

async function createStream(): Promise<TestStream> {
  const name = `esm-test-${++streamCount}`;
  await client.send(new CreateStreamCommand({ StreamName: name, ShardCount: 2 }));
  const summary = await client.send(new DescribeStreamSummaryCommand({ StreamName: name }));
  const sequence = new Map<string, string>();
  const shardOf = new Map<string, string>();
  return {
    name,
    arn: summary.StreamDescriptionSummary?.StreamARN ?? "",
    sequence,
    shardOf,
    async put(partitionKey, payloads) {
      const result = await client.send(
        new PutRecordsCommand({
          StreamName: name,
          Records: payloads.map((payload) => ({ PartitionKey: partitionKey, Data: Buffer.from(payload) })),
        }),
      );
      expect(result.FailedRecordCount ?? 0).toBe(0);
      result.Records?.forEach((entry, index) => {
        const payload = payloads[index] ?? "";
        sequence.set(payload, entry.SequenceNumber ?? "");
        shardOf.set(payload, entry.ShardId ?? "");
      });
    },
  };
}

function payloadsOf(key: string, count: number, from = 0): string[] {
  return Array.from({ length: count }, (_, index) => `${key}-${from + index}`);
}

const quietLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** A mapping whose handler records every invocation and then answers with `respond`. */
function recordingMapping(
  stream: TestStream,
  respond: (invocation: Invocation, seen: Invocation[]) => Promise<KinesisStreamBatchResponse | void> | KinesisStreamBatchResponse | void,
  options: Partial<EventSourceMappingOptions> = {},
) {
  const invocations: Invocation[] = [];
  const failures: BatchFailureInfo[] = [];
  const mapping = createEventSourceMapping({
    client,
    streamName: stream.name,
    logger: quietLogger,
    onFailure: (info) => void failures.push(info),
    ...options,
    handler: async (event, context) => {
      const records = event.Records;
      const invocation: Invocation = {
        shardId: records[0]?.eventID.split(":")[0] ?? "",
        sequenceNumbers: records.map((record) => record.kinesis.sequenceNumber),
        payloads: records.map((record) => Buffer.from(record.kinesis.data, "base64").toString("utf8")),
        event,
        context,
      };
      invocations.push(invocation);
      return respond(invocation, invocations);
    },
  });
  const deliveries = (payload: string) => invocations.filter((call) => call.payloads.includes(payload)).length;
  return { mapping, invocations, failures, deliveries };
}

/** Keys of a JSON value, recursively, in order: the "shape" of an event. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.slice(0, 1).map(shape);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, shape(entry)]));
  }
  return typeof value;
}

describe.each(BACKENDS)("local Kinesis event source mapping on %s", (_name, start) => {
  beforeAll(async () => {
    backend = await start();
    client = backend.client;
  });

  afterAll(async () => {
    await backend?.close();
  });

  it("delivers each shard's records in order, in batches of at most batchSize that never mix shards", async () => {
    const stream = await createStream();
    const a = payloadsOf(KEY_SHARD_0, 23);
    const b = payloadsOf(KEY_SHARD_1, 23);
    for (let index = 0; index < 23; index += 1) {
      await stream.put(KEY_SHARD_0, [a[index] ?? ""]);
      await stream.put(KEY_SHARD_1, [b[index] ?? ""]);
    }
    expect(new Set(a.map((payload) => stream.shardOf.get(payload)))).toEqual(new Set(["shardId-000000000000"]));
    expect(new Set(b.map((payload) => stream.shardOf.get(payload)))).toEqual(new Set(["shardId-000000000001"]));

    const { mapping, invocations } = recordingMapping(stream, () => undefined, { batchSize: 10 });
    const result = await mapping.drain();

    expect(result).toEqual({ batches: 6, records: 46, failedRecords: 0 });
    for (const call of invocations) {
      expect(call.event.Records.every((record) => record.eventID.startsWith(`${call.shardId}:`))).toBe(true);
      expect(call.payloads.every((payload) => stream.shardOf.get(payload) === call.shardId)).toBe(true);
    }
    for (const [shardId, expected] of [
      ["shardId-000000000000", a],
      ["shardId-000000000001", b],
    ] as const) {
      const calls = invocations.filter((call) => call.shardId === shardId);
      expect(calls.map((call) => call.payloads.length)).toEqual([10, 10, 3]);
      expect(calls.flatMap((call) => call.payloads)).toEqual(expected);
      const sequences = calls.flatMap((call) => call.sequenceNumbers.map(BigInt));
      expect(sequences.every((sequence, index) => index === 0 || sequence > (sequences[index - 1] ?? 0n))).toBe(true);
    }
    expect(await mapping.drain()).toEqual({ batches: 0, records: 0, failedRecords: 0 });
  });

  describe.skipIf(!existsSync(FIXTURES))("event shape (needs ../shared/fixtures/kinesis-lambda)", () => {
    it("sends the event Lambda sends, and a Lambda context", async () => {
      const stream = await createStream();
      const before = Date.now();
      await stream.put(KEY_SHARD_0, ['{"metric":"cpu","value":0.5}']);
      await stream.put(KEY_SHARD_1, ["plain text"]);
      const after = Date.now();
      const { mapping, invocations } = recordingMapping(stream, () => undefined, { functionName: "anomaly-scorer", timeoutMs: 30_000 });
      await mapping.drain();

      expect(invocations).toHaveLength(2);
      for (const fixtureName of ["kinesis-event-aws-lambda-go.json", "kinesis-stream-event-powertools-python.json"]) {
        const fixture = JSON.parse(readFileSync(resolve(FIXTURES, fixtureName), "utf8")) as unknown;
        for (const call of invocations) expect(JSON.stringify(shape(call.event))).toBe(JSON.stringify(shape(fixture)));
      }
      const requestIds = new Set<string>();
      for (const call of invocations) {
        const [record] = call.event.Records;
        expect(record).toBeDefined();
        if (!record) continue;
        expect(record.eventID).toBe(`${call.shardId}:${record.kinesis.sequenceNumber}`);
        expect(record.eventSourceARN).toBe(stream.arn);
        expect(record.awsRegion).toBe(stream.arn.split(":")[3]);
        expect(record.invokeIdentityArn).toMatch(/^arn:aws:iam::\d{12}:role\/.+/);
        expect(record.kinesis.approximateArrivalTimestamp).toBeGreaterThanOrEqual(Math.floor(before / 1000));
        expect(record.kinesis.approximateArrivalTimestamp).toBeLessThanOrEqual(after / 1000 + 1);
        expect(record.kinesis.sequenceNumber).toBe(stream.sequence.get(call.payloads[0] ?? ""));
        // Powertools' own Kinesis schema parses it and decodes the data.
        const parsed = KinesisDataStreamSchema.parse(call.event);
        expect(parsed.Records[0]?.kinesis.data).toEqual(
          call.payloads[0]?.startsWith("{") ? JSON.parse(call.payloads[0]) : call.payloads[0],
        );
        const { context } = call;
        expect(context.functionName).toBe("anomaly-scorer");
        expect(context.invokedFunctionArn).toMatch(/^arn:aws:lambda:[a-z0-9-]+:\d{12}:function:anomaly-scorer$/);
        expect(context.awsRequestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
        expect(context.getRemainingTimeInMillis()).toBeGreaterThan(0);
        expect(context.getRemainingTimeInMillis()).toBeLessThanOrEqual(30_000);
        requestIds.add(context.awsRequestId);
      }
      expect(requestIds.size).toBe(2);
    });
  });

  it("after a partial batch failure retries the lowest failed record and those after it in its shard, not earlier ones", async () => {
    const stream = await createStream();
    const a = payloadsOf(KEY_SHARD_0, 10);
    const b = payloadsOf(KEY_SHARD_1, 5);
    await stream.put(KEY_SHARD_0, a);
    await stream.put(KEY_SHARD_1, b);
    const { mapping, invocations, failures, deliveries } = recordingMapping(stream, (call) => {
      // Fail a-7 and a-4 on their first delivery, listed highest first: the lowest one counts.
      const failed = ["a-7", "a-4"].filter((payload) => call.payloads.includes(payload) && deliveries(payload) === 1);
      return { batchItemFailures: failed.map((payload) => ({ itemIdentifier: stream.sequence.get(payload) ?? "" })) };
    });
    const result = await mapping.drain();

    const shard0 = invocations.filter((call) => call.shardId === "shardId-000000000000");
    expect(shard0.map((call) => call.payloads)).toEqual([a, a.slice(4)]);
    expect(a.slice(0, 4).map(deliveries)).toEqual([1, 1, 1, 1]);
    expect(a.slice(4).map(deliveries)).toEqual([2, 2, 2, 2, 2, 2]);
    expect(b.map(deliveries)).toEqual([1, 1, 1, 1, 1]);
    expect(failures).toEqual([]);
    expect(result).toEqual({ batches: 3, records: 15, failedRecords: 0 });
  });

  it.each([
    ["an empty itemIdentifier", () => ""],
    ["an itemIdentifier not in the batch", () => "49000000000000000000000000000000000000000000000000000000"],
  ])("treats %s as a failure of the whole batch", async (_label, identifier) => {
    const stream = await createStream();
    const a = payloadsOf(KEY_SHARD_0, 4);
    await stream.put(KEY_SHARD_0, a);
    const { mapping, invocations, deliveries } = recordingMapping(stream, (_call, seen) =>
      seen.length === 1 ? { batchItemFailures: [{ itemIdentifier: identifier() }] } : undefined,
    );
    await mapping.drain();
    expect(invocations.map((call) => call.payloads)).toEqual([a, a]);
    expect(a.map(deliveries)).toEqual([2, 2, 2, 2]);
  });

  it("reports a poison record to onFailure after maximumRetryAttempts, processing the records before it once and every good record", async () => {
    const stream = await createStream();
    const a = payloadsOf(KEY_SHARD_0, 12);
    await stream.put(KEY_SHARD_0, a);
    await stream.put(KEY_SHARD_1, payloadsOf(KEY_SHARD_1, 3));
    const poison = "a-6";
    const succeeded = new Map<string, number>();
    // The handler is what Vigil's functions are: Powertools' BatchProcessor reporting failed records.
    const processor = new BatchProcessor(EventType.KinesisDataStreams);
    const scoreRecord = async (record: KinesisStreamRecord) => {
      const payload = Buffer.from(record.kinesis.data, "base64").toString("utf8");
      if (payload === poison) throw new Error(`cannot score ${payload}`);
      succeeded.set(payload, (succeeded.get(payload) ?? 0) + 1);
    };
    const { mapping, failures, deliveries } = recordingMapping(
      stream,
      ({ event, context }) => processPartialResponse(event, scoreRecord, processor, { context }),
      { batchSize: 5, maximumRetryAttempts: 2 },
    );
    const result = await mapping.drain();

    expect(failures).toHaveLength(1);
    const [failure] = failures;
    expect(failure).toMatchObject({
      shardId: "shardId-000000000000",
      startSequenceNumber: stream.sequence.get(poison),
      streamArn: stream.arn,
      condition: "RetryAttemptsExhausted",
      approximateInvokeCount: 3,
    });
    expect(failure?.error).toMatchObject({ code: "kinesis.batch_item_failure" });
    expect(deliveries(poison)).toBe(3);
    expect(a.slice(0, 6).map(deliveries)).toEqual([1, 1, 1, 1, 1, 1]);
    for (const payload of a.filter((p) => p !== poison)) expect(succeeded.get(payload) ?? 0).toBeGreaterThanOrEqual(1);
    // The skipped range starts at the poison record and lies within the shard; nothing after it is lost.
    const skipped = a.filter((p) => {
      const sequence = BigInt(stream.sequence.get(p) ?? "0");
      return sequence >= BigInt(failure?.startSequenceNumber ?? "0") && sequence <= BigInt(failure?.endSequenceNumber ?? "0");
    });
    expect(skipped[0]).toBe(poison);
    expect(skipped).toHaveLength(failure?.batchSize ?? -1);
    expect(deliveries("a-11")).toBeGreaterThanOrEqual(1);
    expect(result).toMatchObject({ records: 15, failedRecords: skipped.length });
  });

  describe("a handler that throws on one record", () => {
    const bad = "a-5";
    const setUp = async (bisectBatchOnFunctionError: boolean) => {
      const stream = await createStream();
      await stream.put(KEY_SHARD_0, payloadsOf(KEY_SHARD_0, 8));
      const succeededBatches: string[][] = [];
      const recording = recordingMapping(
        stream,
        (call) => {
          if (call.payloads.includes(bad)) throw new Error(`cannot score ${bad}`);
          succeededBatches.push(call.payloads);
        },
        { batchSize: 8, maximumRetryAttempts: 1, bisectBatchOnFunctionError },
      );
      const result = await recording.mapping.drain();
      return { ...recording, stream, result, succeeded: succeededBatches.flat() };
    };

    it("with bisectBatchOnFunctionError isolates the bad record and processes every other one once", async () => {
      const { stream, failures, succeeded, result, deliveries } = await setUp(true);
      expect(failures).toHaveLength(1);
      expect(failures[0]).toMatchObject({
        startSequenceNumber: stream.sequence.get(bad),
        endSequenceNumber: stream.sequence.get(bad),
        batchSize: 1,
        error: { message: `cannot score ${bad}` },
      });
      expect(succeeded).toEqual(payloadsOf(KEY_SHARD_0, 8).filter((p) => p !== bad));
      // Two failed singles (the try and its one retry) after the splits down to it: 8, 4, 2, 1, 1.
      expect(deliveries(bad)).toBe(5);
      expect(result).toMatchObject({ records: 8, failedRecords: 1 });
    });

    it("without bisection reports the whole batch after its retries", async () => {
      const { stream, failures, succeeded, invocations } = await setUp(false);
      expect(invocations).toHaveLength(2);
      expect(failures).toHaveLength(1);
      expect(failures[0]).toMatchObject({ startSequenceNumber: stream.sequence.get("a-0"), endSequenceNumber: stream.sequence.get("a-7"), batchSize: 8 });
      expect(succeeded).toEqual([]);
    });
  });

  it("reads a split shard to its end before its children", async () => {
    const stream = await createStream();
    await stream.put(KEY_SHARD_0, payloadsOf(KEY_SHARD_0, 3));
    // Split shard 0's hash range in half; "a" keeps hashing to one of the two children.
    await client.send(
      new SplitShardCommand({
        StreamName: stream.name,
        ShardToSplit: "shardId-000000000000",
        NewStartingHashKey: (2n ** 126n).toString(),
      }),
    );
    // A split takes effect asynchronously (kinesalite applies it on a timer, AWS in seconds): the stream is UPDATING until then.
    await vi.waitFor(
      async () => {
        const summary = await client.send(new DescribeStreamSummaryCommand({ StreamName: stream.name }));
        expect(summary.StreamDescriptionSummary?.StreamStatus).toBe("ACTIVE");
      },
      { timeout: 5_000, interval: 10 },
    );
    await stream.put(KEY_SHARD_0, payloadsOf(KEY_SHARD_0, 3, 3));
    const listed = await client.send(new ListShardsCommand({ StreamName: stream.name }));
    expect(listed.Shards?.length).toBe(4);
    const child = stream.shardOf.get("a-3") ?? "";
    expect(child).not.toBe("shardId-000000000000");

    const expected = [
      ["shardId-000000000000", payloadsOf(KEY_SHARD_0, 3)],
      [child, payloadsOf(KEY_SHARD_0, 3, 3)],
    ];
    const drained = recordingMapping(stream, () => undefined);
    await drained.mapping.drain();
    expect(drained.invocations.map((call) => [call.shardId, call.payloads])).toEqual(expected);

    // Polling reads shards concurrently; the child must still wait until its parent's slow batch completed.
    const completed: Invocation[] = [];
    const polled = recordingMapping(
      stream,
      async (call) => {
        if (call.shardId === "shardId-000000000000") await new Promise((resolve) => setTimeout(resolve, 200));
        completed.push(call);
      },
      { pollIntervalMs: 10, shardDiscoveryIntervalMs: 10 },
    );
    polled.mapping.start();
    try {
      await vi.waitFor(() => expect(completed).toHaveLength(2), { timeout: 5_000, interval: 10 });
    } finally {
      await polled.mapping.stop();
    }
    expect(completed.map((call) => [call.shardId, call.payloads])).toEqual(expected);
  });

  it("reads ahead: one ListShards per drain, per shard one read to the tip and one proving it empty; only the written shards when told", async () => {
    const stream = await createStream();
    await stream.put(KEY_SHARD_0, payloadsOf(KEY_SHARD_0, 25));
    await stream.put(KEY_SHARD_1, payloadsOf(KEY_SHARD_1, 5));
    const calls: string[] = [];
    const counting = backend.counting(calls);
    try {
      const { mapping, invocations } = recordingMapping(stream, () => undefined, { client: counting.client, batchSize: 10 });
      expect(await mapping.drain()).toEqual({ batches: 4, records: 30, failedRecords: 0 });
      expect(invocations.map((call) => call.payloads.length)).toEqual([10, 10, 5, 5]);
      const count = (name: string) => calls.filter((call) => call === name).length;
      expect([count("ListShardsCommand"), count("GetRecordsCommand")]).toEqual([1, 4]);

      // Records put after a drain are found by the next one.
      calls.length = 0;
      await stream.put(KEY_SHARD_1, ["late"]);
      expect(await mapping.drain()).toEqual({ batches: 1, records: 1, failedRecords: 0 });
      expect([count("ListShardsCommand"), count("GetRecordsCommand")]).toEqual([1, 4]);

      // Told which shards were written (by their only writer): those alone are read, once, with no listing.
      calls.length = 0;
      await stream.put(KEY_SHARD_1, ["told"]);
      const told = new Set([stream.shardOf.get("told") ?? ""]);
      expect(await mapping.drain({ writtenShards: told })).toEqual({ batches: 1, records: 1, failedRecords: 0 });
      expect(calls).toEqual(["GetRecordsCommand"]);
      // A shard the mapping never listed is a reshard it has not seen: it lists and drains everything.
      calls.length = 0;
      await stream.put(KEY_SHARD_0, ["unlisted"]);
      expect(await mapping.drain({ writtenShards: new Set(["shardId-000000000009"]) })).toEqual({ batches: 1, records: 1, failedRecords: 0 });
      expect(count("ListShardsCommand")).toBe(1);
    } finally {
      counting.destroy();
    }
  });

  it("finds a shard split after its last drain, reading the parent to its end first", async () => {
    const stream = await createStream();
    await stream.put(KEY_SHARD_0, payloadsOf(KEY_SHARD_0, 2));
    const drained = recordingMapping(stream, () => undefined);
    await drained.mapping.drain();
    await stream.put(KEY_SHARD_0, payloadsOf(KEY_SHARD_0, 2, 2));
    await client.send(new SplitShardCommand({ StreamName: stream.name, ShardToSplit: "shardId-000000000000", NewStartingHashKey: (2n ** 126n).toString() }));
    await stream.put(KEY_SHARD_0, payloadsOf(KEY_SHARD_0, 2, 4));
    await drained.mapping.drain();
    expect(drained.invocations.flatMap((call) => call.payloads)).toEqual(payloadsOf(KEY_SHARD_0, 6));
    expect(drained.invocations.at(-1)?.shardId).toBe(stream.shardOf.get("a-4"));
  });

  it("fails an invocation that outlives the function timeout", async () => {
    const stream = await createStream();
    await stream.put(KEY_SHARD_1, ["slow"]);
    const { mapping, failures } = recordingMapping(stream, () => new Promise((resolve) => setTimeout(resolve, 1_000)), {
      timeoutMs: 50,
      maximumRetryAttempts: 0,
    });
    await mapping.drain();
    expect(failures).toHaveLength(1);
    expect(failures[0]?.error).toMatchObject({ code: "kinesis.handler_timeout" });
  });

  it("polls continuously after start() and stops on stop(), keeping its checkpoints", async () => {
    const stream = await createStream();
    const { mapping, invocations } = recordingMapping(stream, () => undefined, { pollIntervalMs: 20 });
    mapping.start();
    await stream.put(KEY_SHARD_0, payloadsOf(KEY_SHARD_0, 3));
    await stream.put(KEY_SHARD_1, payloadsOf(KEY_SHARD_1, 2));
    await vi.waitFor(() => expect(invocations.flatMap((call) => call.payloads)).toHaveLength(5), { timeout: 5_000, interval: 20 });
    expect(() => mapping.start()).toThrow(expect.objectContaining({ code: "kinesis.mapping_busy" }));
    await expect(mapping.drain()).rejects.toMatchObject({ code: "kinesis.mapping_busy" });
    await mapping.stop();

    const before = invocations.length;
    await stream.put(KEY_SHARD_0, ["after-stop"]);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(invocations).toHaveLength(before);
    expect(await mapping.drain()).toEqual({ batches: 1, records: 1, failedRecords: 0 });
    expect(invocations.at(-1)?.payloads).toEqual(["after-stop"]);
  });

  it("gathers records for up to maximumBatchingWindowMs before invoking", async () => {
    const stream = await createStream();
    const { mapping, invocations } = recordingMapping(stream, () => undefined, { pollIntervalMs: 20, maximumBatchingWindowMs: 1_000 });
    mapping.start();
    try {
      const payloads = payloadsOf(KEY_SHARD_0, 5);
      for (const payload of payloads) {
        await client.send(new PutRecordCommand({ StreamName: stream.name, PartitionKey: KEY_SHARD_0, Data: Buffer.from(payload) }));
      }
      await vi.waitFor(() => expect(invocations).toHaveLength(1), { timeout: 5_000, interval: 20 });
      expect(invocations[0]?.payloads).toEqual(payloads);
    } finally {
      await mapping.stop();
    }
  });

  it("starts at the tip with LATEST", async () => {
    const stream = await createStream();
    await stream.put(KEY_SHARD_0, ["old"]);
    const { mapping, invocations } = recordingMapping(stream, () => undefined, { startingPosition: "LATEST" });
    expect(await mapping.drain()).toEqual({ batches: 0, records: 0, failedRecords: 0 });
    await stream.put(KEY_SHARD_0, ["new"]);
    await mapping.drain();
    expect(invocations.flatMap((call) => call.payloads)).toEqual(["new"]);
  });

  it("rejects options outside Lambda's ranges", () => {
    const options = { client, streamName: "any", handler: async () => undefined };
    expect(() => createEventSourceMapping({ ...options, batchSize: 0 })).toThrow(InvalidMappingConfigError);
    expect(() => createEventSourceMapping({ ...options, maximumRetryAttempts: -2 })).toThrow(/maximumRetryAttempts/);
  });
});
