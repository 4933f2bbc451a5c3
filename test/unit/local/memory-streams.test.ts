import { createHash } from "node:crypto";
import {
  GetRecordsCommand,
  InvalidArgumentException,
  KinesisServiceException,
  ListTagsForStreamCommand,
  PutRecordsCommand,
  ResourceNotFoundException,
  type _Record,
} from "@aws-sdk/client-kinesis";
import { beforeEach, describe, expect, it } from "vitest";
import { memoryKinesisClient } from "../../../local/kinesis/memory-client";
import { MemoryStreams } from "../../../local/kinesis/memory-streams";

const HALF = 2n ** 127n;
const text = (records: _Record[] | undefined) => (records ?? []).map((record) => Buffer.from(record.Data ?? []).toString("utf8"));

let clock: number;
let streams: MemoryStreams;

beforeEach(() => {
  clock = Date.UTC(2025, 0, 1);
  streams = new MemoryStreams({ now: () => clock });
});

function put(stream: string, key: string, payloads: string[]) {
  return streams.putRecords({ StreamName: stream, Records: payloads.map((payload) => ({ PartitionKey: key, Data: Buffer.from(payload) })) }).Records ?? [];
}

function iterator(stream: string, shardId: string, type: "TRIM_HORIZON" | "LATEST" = "TRIM_HORIZON"): string {
  return streams.getShardIterator({ StreamName: stream, ShardId: shardId, ShardIteratorType: type }).ShardIterator ?? "";
}

/** Expects `action` to throw the SDK's exception `name`, a client fault, with a message matching `message`. */
function expectError(action: () => unknown, name: string, message?: RegExp) {
  let thrown: unknown;
  try {
    action();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(KinesisServiceException);
  expect(thrown).toMatchObject({ name, $fault: "client", $metadata: {} });
  if (message) expect((thrown as Error).message).toMatch(message);
}

describe("MemoryStreams", () => {
  it("describes a stream as AWS does", () => {
    streams.createStream({ StreamName: "s", ShardCount: 2 });
    const summary = streams.describeStreamSummary({ StreamName: "s" }).StreamDescriptionSummary;
    expect(summary).toMatchObject({
      StreamName: "s",
      StreamARN: "arn:aws:kinesis:us-east-1:000000000000:stream/s",
      StreamStatus: "ACTIVE",
      OpenShardCount: 2,
      RetentionPeriodHours: 24,
      StreamCreationTimestamp: new Date(clock),
    });
    const shards = streams.listShards({ StreamName: "s" }).Shards ?? [];
    expect(shards.map((shard) => [shard.ShardId, shard.HashKeyRange])).toEqual([
      ["shardId-000000000000", { StartingHashKey: "0", EndingHashKey: String(HALF - 1n) }],
      ["shardId-000000000001", { StartingHashKey: String(HALF), EndingHashKey: String(2n ** 128n - 1n) }],
    ]);
    expect(shards.every((shard) => shard.SequenceNumberRange?.EndingSequenceNumber === undefined && !shard.ParentShardId)).toBe(true);
    expect(streams.describeStream({ StreamARN: summary?.StreamARN }).StreamDescription?.Shards).toEqual(shards);
    expect(streams.listStreams({}).StreamNames).toEqual(["s"]);
  });

  it("routes by the MD5 of the partition key against the shards' hash-key ranges, or by ExplicitHashKey", () => {
    streams.createStream({ StreamName: "two", ShardCount: 2 });
    expect(put("two", "a", ["x"])[0]?.ShardId).toBe("shardId-000000000000");
    expect(put("two", "b", ["x"])[0]?.ShardId).toBe("shardId-000000000001");
    const explicit = streams.putRecord({ StreamName: "two", PartitionKey: "a", ExplicitHashKey: String(HALF), Data: Buffer.from("x") });
    expect(explicit.ShardId).toBe("shardId-000000000001");

    streams.createStream({ StreamName: "seven", ShardCount: 7 });
    const ranges = (streams.listShards({ StreamName: "seven" }).Shards ?? []).map((shard) => ({
      id: shard.ShardId,
      start: BigInt(shard.HashKeyRange?.StartingHashKey ?? ""),
      end: BigInt(shard.HashKeyRange?.EndingHashKey ?? ""),
    }));
    for (let i = 0; i < 200; i += 1) {
      const key = `key-${i}-é`;
      const hash = BigInt(`0x${createHash("md5").update(key, "utf8").digest("hex")}`);
      const expected = ranges.find((range) => range.start <= hash && hash <= range.end)?.id;
      expect(put("seven", key, ["x"])[0]?.ShardId).toBe(expected);
    }
  });

  it("keeps order, and numbers records with decimal sequence numbers rising per shard and across the stream", () => {
    streams.createStream({ StreamName: "s", ShardCount: 2 });
    const written = [];
    for (let call = 0; call < 20; call += 1) {
      const payloads = Array.from({ length: 500 }, (_, i) => `${call * 500 + i}`);
      written.push(...put("s", call % 3 === 0 ? "b" : "a", payloads));
    }
    const sequences = written.map((entry) => BigInt(entry.SequenceNumber ?? ""));
    expect(written.every((entry) => /^\d+$/.test(entry.SequenceNumber ?? ""))).toBe(true);
    expect(sequences.every((sequence, i) => i === 0 || sequence > (sequences[i - 1] ?? 0n))).toBe(true);

    const read = streams.getRecords({ ShardIterator: iterator("s", "shardId-000000000000") });
    const expected = written.flatMap((entry, i) => (entry.ShardId === "shardId-000000000000" ? [`${i}`] : []));
    expect(text(read.Records)).toEqual(expected);
    expect(read.Records?.map((record) => record.SequenceNumber)).toEqual(written.filter((entry) => entry.ShardId === "shardId-000000000000").map((e) => e.SequenceNumber));
    expect(read.MillisBehindLatest).toBe(0);
  });

  it("returns SDK-shaped records holding their own copy of the data", () => {
    streams.createStream({ StreamName: "s", ShardCount: 1 });
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    const source = Buffer.from(bytes);
    streams.putRecords({ StreamName: "s", Records: [{ PartitionKey: "k", Data: source }] });
    source.fill(0);
    const [record] = streams.getRecords({ ShardIterator: iterator("s", "shardId-000000000000") }).Records ?? [];
    expect(record?.Data).toBeInstanceOf(Uint8Array);
    expect(Buffer.isBuffer(record?.Data)).toBe(false);
    expect(record?.Data).toEqual(bytes);
    expect(record).toEqual({ SequenceNumber: expect.stringMatching(/^\d{56}$/), ApproximateArrivalTimestamp: new Date(clock), Data: bytes, PartitionKey: "k" });
  });

  it("pages GetRecords with Limit, saying how far behind the tip each page is", () => {
    streams.createStream({ StreamName: "s", ShardCount: 1 });
    put("s", "k", ["0", "1", "2", "3", "4"]);
    clock += 2_000;
    const first = streams.getRecords({ ShardIterator: iterator("s", "shardId-000000000000"), Limit: 2 });
    expect(text(first.Records)).toEqual(["0", "1"]);
    expect(first.MillisBehindLatest).toBe(2_000);
    const second = streams.getRecords({ ShardIterator: first.NextShardIterator, Limit: 10 });
    expect(text(second.Records)).toEqual(["2", "3", "4"]);
    expect(second.MillisBehindLatest).toBe(0);
    // An open shard's tip keeps an iterator that sees later records.
    const empty = streams.getRecords({ ShardIterator: second.NextShardIterator });
    expect(empty).toMatchObject({ Records: [], MillisBehindLatest: 0, NextShardIterator: expect.any(String) });
    put("s", "k", ["5"]);
    expect(text(streams.getRecords({ ShardIterator: empty.NextShardIterator }).Records)).toEqual(["5"]);
    // A just-put record still counts as behind.
    put("s", "k", ["6"]);
    expect(streams.getRecords({ ShardIterator: iterator("s", "shardId-000000000000"), Limit: 1 }).MillisBehindLatest).toBeGreaterThan(0);
  });

  it("starts iterators at TRIM_HORIZON, LATEST, AT_ and AFTER_SEQUENCE_NUMBER and AT_TIMESTAMP", () => {
    streams.createStream({ StreamName: "s", ShardCount: 1 });
    const shard = { StreamName: "s", ShardId: "shardId-000000000000" };
    const [first, second] = put("s", "k", ["0", "1"]);
    const latest = iterator("s", shard.ShardId, "LATEST");
    clock += 1_000;
    put("s", "k", ["2", "3"]);
    const from = (input: Parameters<MemoryStreams["getShardIterator"]>[0]) => text(streams.getRecords({ ShardIterator: streams.getShardIterator(input).ShardIterator }).Records);

    expect(from({ ...shard, ShardIteratorType: "TRIM_HORIZON" })).toEqual(["0", "1", "2", "3"]);
    expect(text(streams.getRecords({ ShardIterator: latest }).Records)).toEqual(["2", "3"]);
    expect(from({ ...shard, ShardIteratorType: "LATEST" })).toEqual([]);
    expect(from({ ...shard, ShardIteratorType: "AT_SEQUENCE_NUMBER", StartingSequenceNumber: second?.SequenceNumber })).toEqual(["1", "2", "3"]);
    expect(from({ ...shard, ShardIteratorType: "AFTER_SEQUENCE_NUMBER", StartingSequenceNumber: first?.SequenceNumber })).toEqual(["1", "2", "3"]);
    expect(from({ ...shard, ShardIteratorType: "AT_TIMESTAMP", Timestamp: new Date(clock - 500) })).toEqual(["2", "3"]);
    expect(from({ ...shard, ShardIteratorType: "AT_TIMESTAMP", Timestamp: new Date(0) })).toEqual(["0", "1", "2", "3"]);
    expectError(() => streams.getShardIterator({ ...shard, ShardIteratorType: "AT_SEQUENCE_NUMBER" }), "InvalidArgumentException", /StartingSequenceNumber/);
    expectError(() => streams.getShardIterator({ ...shard, ShardIteratorType: "LATEST", StartingSequenceNumber: first?.SequenceNumber }), "InvalidArgumentException");
    expectError(() => streams.getShardIterator({ ...shard, ShardIteratorType: "AT_TIMESTAMP" }), "InvalidArgumentException", /timestamp/i);
    expectError(() => streams.getShardIterator({ ...shard, ShardIteratorType: "NEWEST" as never }), "ValidationException", /shardIteratorType/);
    expectError(() => streams.getShardIterator({ ...shard, ShardId: "shardId-000000000007", ShardIteratorType: "LATEST" }), "ResourceNotFoundException", /shardId-000000000007/);
  });

  it("rejects a sequence number of another shard", () => {
    streams.createStream({ StreamName: "s", ShardCount: 2 });
    const [other] = put("s", "b", ["x"]);
    expectError(
      () => streams.getShardIterator({ StreamName: "s", ShardId: "shardId-000000000000", ShardIteratorType: "AT_SEQUENCE_NUMBER", StartingSequenceNumber: other?.SequenceNumber }),
      "InvalidArgumentException",
      /encodes shardId-000000000001/,
    );
  });

  it("expires iterators after five minutes", () => {
    streams.createStream({ StreamName: "s", ShardCount: 1 });
    const fresh = iterator("s", "shardId-000000000000");
    clock += 300_000;
    const next = streams.getRecords({ ShardIterator: fresh }).NextShardIterator;
    clock += 300_001;
    expectError(() => streams.getRecords({ ShardIterator: next }), "ExpiredIteratorException", /300000 milliseconds/);
    expectError(() => streams.getRecords({ ShardIterator: "not-an-iterator" }), "InvalidArgumentException", /Invalid ShardIterator/);
  });

  it("validates requests, naming the member at fault", () => {
    streams.createStream({ StreamName: "s", ShardCount: 1 });
    const records = (count: number) => Array.from({ length: count }, () => ({ PartitionKey: "k", Data: new Uint8Array(1) }));
    expectError(() => streams.putRecords({ StreamName: "s", Records: records(501) }), "ValidationException", /'records'.*less than or equal to 500/);
    expectError(() => streams.putRecords({ StreamName: "s", Records: [] }), "ValidationException", /'records'/);
    expectError(() => streams.putRecords({ StreamName: "s", Records: [...records(2), { PartitionKey: "", Data: new Uint8Array(1) }] }), "ValidationException", /records\.3\.member\.partitionKey/);
    expectError(() => streams.putRecord({ StreamName: "s", PartitionKey: "k".repeat(257), Data: new Uint8Array(1) }), "ValidationException", /partitionKey.*256/);
    expectError(() => streams.putRecord({ StreamName: "s", PartitionKey: "k", Data: new Uint8Array(1024 * 1024 + 1) }), "ValidationException", /'data'.*1048576/);
    expectError(
      () => streams.putRecords({ StreamName: "s", Records: Array.from({ length: 6 }, () => ({ PartitionKey: "k", Data: new Uint8Array(1024 * 1024) })) }),
      "InvalidArgumentException",
      /5 MB/,
    );
    expectError(() => streams.putRecord({ StreamName: "s", PartitionKey: "k", ExplicitHashKey: String(2n ** 128n), Data: new Uint8Array(1) }), "InvalidArgumentException", /ExplicitHashKey/);
    expectError(() => streams.getRecords({ ShardIterator: iterator("s", "shardId-000000000000"), Limit: 10_001 }), "InvalidArgumentException", /10000/);
    expectError(() => streams.getRecords({ ShardIterator: iterator("s", "shardId-000000000000"), Limit: 0 }), "ValidationException", /'limit'/);
    expectError(() => streams.createStream({ StreamName: "s", ShardCount: 1 }), "ResourceInUseException", /already exists/);
    expectError(() => streams.createStream({ StreamName: "bad name", ShardCount: 1 }), "ValidationException", /streamName/);
    expectError(() => streams.createStream({ StreamName: "t", ShardCount: 0 }), "ValidationException", /shardCount/);
    expectError(() => streams.describeStreamSummary({ StreamName: "missing" }), "ResourceNotFoundException", /Stream missing under account 000000000000 not found/);
    expectError(() => streams.putRecords({ Records: records(1) }), "InvalidArgumentException", /StreamName or StreamARN/);
    // A rejected PutRecords stores nothing.
    expect(streams.getRecords({ ShardIterator: iterator("s", "shardId-000000000000") }).Records).toEqual([]);
  });

  it("enforces the shard limit", () => {
    const limited = new MemoryStreams({ shardLimit: 3 });
    limited.createStream({ StreamName: "a", ShardCount: 2 });
    expect(() => limited.createStream({ StreamName: "b", ShardCount: 2 })).toThrow(expect.objectContaining({ name: "LimitExceededException" }));
    limited.splitShard({ StreamName: "a", ShardToSplit: "shardId-000000000000", NewStartingHashKey: String(2n ** 126n) });
    expect(() => limited.splitShard({ StreamName: "a", ShardToSplit: "shardId-000000000001", NewStartingHashKey: String(HALF + 2n ** 126n) })).toThrow(
      expect.objectContaining({ name: "LimitExceededException" }),
    );
  });

  it("splits a shard: the parent closes, its two children split its range and take later records", () => {
    streams.createStream({ StreamName: "s", ShardCount: 2 });
    const before = put("s", "a", ["0", "1"]);
    const parentIterator = iterator("s", "shardId-000000000000");
    const split = 2n ** 126n;
    streams.splitShard({ StreamName: "s", ShardToSplit: "shardId-000000000000", NewStartingHashKey: String(split) });
    const after = put("s", "a", ["2"]);

    const shards = streams.listShards({ StreamName: "s" }).Shards ?? [];
    expect(shards.map((shard) => shard.ShardId)).toEqual(["shardId-000000000000", "shardId-000000000001", "shardId-000000000002", "shardId-000000000003"]);
    const [parent, , low, high] = shards;
    const ending = BigInt(parent?.SequenceNumberRange?.EndingSequenceNumber ?? "0");
    expect(before.every((entry) => BigInt(entry.SequenceNumber ?? "") < ending)).toBe(true);
    expect(BigInt(after[0]?.SequenceNumber ?? "")).toBeGreaterThan(ending);
    expect(low).toMatchObject({ ParentShardId: parent?.ShardId, HashKeyRange: { StartingHashKey: "0", EndingHashKey: String(split - 1n) } });
    expect(high).toMatchObject({ ParentShardId: parent?.ShardId, HashKeyRange: { StartingHashKey: String(split), EndingHashKey: String(HALF - 1n) } });
    expect(low?.SequenceNumberRange?.EndingSequenceNumber).toBeUndefined();
    expect(after[0]?.ShardId).toMatch(/shardId-00000000000[23]/);
    expect(streams.describeStreamSummary({ StreamName: "s" }).StreamDescriptionSummary?.OpenShardCount).toBe(3);

    // The parent reads to its end: no next iterator then, and the children named.
    const page = streams.getRecords({ ShardIterator: parentIterator, Limit: 1 });
    expect(text(page.Records)).toEqual(["0"]);
    const last = streams.getRecords({ ShardIterator: page.NextShardIterator });
    expect(text(last.Records)).toEqual(["1"]);
    expect(last.NextShardIterator).toBeUndefined();
    expect(last.ChildShards?.map((child) => [child.ShardId, child.ParentShards])).toEqual([
      ["shardId-000000000002", ["shardId-000000000000"]],
      ["shardId-000000000003", ["shardId-000000000000"]],
    ]);
    const latestOfClosed = streams.getRecords({ ShardIterator: iterator("s", "shardId-000000000000", "LATEST") });
    expect(latestOfClosed).toMatchObject({ Records: [], MillisBehindLatest: 0 });
    expect(latestOfClosed.NextShardIterator).toBeUndefined();

    expectError(() => streams.splitShard({ StreamName: "s", ShardToSplit: "shardId-000000000000", NewStartingHashKey: "5" }), "InvalidArgumentException", /already been merged or split/);
    expectError(() => streams.splitShard({ StreamName: "s", ShardToSplit: "shardId-000000000001", NewStartingHashKey: "5" }), "InvalidArgumentException", /NewStartingHashKey 5/);
    expectError(() => streams.splitShard({ StreamName: "s", ShardToSplit: "shardId-000000000009", NewStartingHashKey: "5" }), "ResourceNotFoundException");
    expect((streams.listShards({ StreamName: "s", ShardFilter: { Type: "AT_LATEST" } }).Shards ?? []).map((shard) => shard.ShardId)).toEqual([
      "shardId-000000000001",
      "shardId-000000000002",
      "shardId-000000000003",
    ]);
  });

  it("pages ListShards and ListStreams with NextToken", () => {
    streams.createStream({ StreamName: "s", ShardCount: 3 });
    streams.createStream({ StreamName: "t", ShardCount: 1 });
    const first = streams.listShards({ StreamName: "s", MaxResults: 2 });
    expect(first.Shards?.map((shard) => shard.ShardId)).toEqual(["shardId-000000000000", "shardId-000000000001"]);
    expectError(() => streams.listShards({ StreamName: "s", NextToken: first.NextToken }), "InvalidArgumentException", /NextToken and StreamName/);
    const second = streams.listShards({ NextToken: first.NextToken, MaxResults: 2 });
    expect(second.Shards?.map((shard) => shard.ShardId)).toEqual(["shardId-000000000002"]);
    expect(second.NextToken).toBeUndefined();
    clock += 300_001;
    expectError(() => streams.listShards({ NextToken: first.NextToken }), "ExpiredNextTokenException");

    const names = streams.listStreams({ Limit: 1 });
    expect(names).toMatchObject({ StreamNames: ["s"], HasMoreStreams: true });
    expect(streams.listStreams({ NextToken: names.NextToken })).toMatchObject({ StreamNames: ["t"], HasMoreStreams: false });
  });

  it("forgets a deleted stream, and its iterators do not read a re-created one", () => {
    streams.createStream({ StreamName: "s", ShardCount: 1 });
    const old = iterator("s", "shardId-000000000000");
    streams.deleteStream({ StreamName: "s" });
    expectError(() => streams.describeStream({ StreamName: "s" }), "ResourceNotFoundException");
    expectError(() => streams.deleteStream({ StreamName: "s" }), "ResourceNotFoundException");
    streams.createStream({ StreamName: "s", ShardCount: 1 });
    expectError(() => streams.getRecords({ ShardIterator: old }), "ResourceNotFoundException");
  });
});

describe("memoryKinesisClient", () => {
  it("answers SDK commands in process with the SDK's output and exception shapes", async () => {
    const client = memoryKinesisClient(streams);
    streams.createStream({ StreamName: "s", ShardCount: 1 });
    const out = await client.send(new PutRecordsCommand({ StreamName: "s", Records: [{ PartitionKey: "k", Data: Buffer.from("hi") }] }));
    expect(out).toEqual({ FailedRecordCount: 0, Records: [{ ShardId: "shardId-000000000000", SequenceNumber: expect.any(String) }], $metadata: {} });
    const error = await client.send(new GetRecordsCommand({ ShardIterator: "bogus" })).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidArgumentException);
    await expect(client.send(new PutRecordsCommand({ StreamName: "nope", Records: [] }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(client.send(new ListTagsForStreamCommand({ StreamName: "s" }))).rejects.toMatchObject({ name: "UnknownOperationException" });
    client.destroy();
  });
});
