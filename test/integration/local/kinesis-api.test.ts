import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
  PutRecordsCommand,
  ResourceNotFoundException,
  type KinesisClient,
} from "@aws-sdk/client-kinesis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kinesisApi } from "../../../local/kinesis/api";
import { localKinesisClient } from "../../../local/kinesis/kinesis-client";
import { MemoryStreams } from "../../../local/kinesis/memory-streams";
import { serveJsonApi } from "../../support/kinesis-api-server";

let clock = Date.UTC(2025, 5, 1, 12);
let server: Awaited<ReturnType<typeof serveJsonApi>>;
let client: KinesisClient;

beforeAll(async () => {
  server = await serveJsonApi(kinesisApi(new MemoryStreams({ now: () => clock })));
  client = localKinesisClient(server.endpoint);
});

afterAll(async () => {
  client?.destroy();
  await server?.close();
});

describe("kinesisApi with the real SDK over HTTP", () => {
  it("round-trips binary data through PutRecords, ListShards, GetShardIterator and GetRecords", async () => {
    await client.send(new CreateStreamCommand({ StreamName: "wire", ShardCount: 2 }));
    const every = Uint8Array.from({ length: 256 }, (_, i) => i);
    const payloads = [every, new Uint8Array(0), every.slice().reverse(), Uint8Array.from([0xff, 0xfe, 0x00, 0x80])];
    const put = await client.send(new PutRecordsCommand({ StreamName: "wire", Records: payloads.map((Data) => ({ PartitionKey: "a", Data })) }));
    expect(put.FailedRecordCount).toBe(0);
    expect(put.Records?.map((entry) => entry.ShardId)).toEqual(Array(4).fill("shardId-000000000000"));

    const listed = await client.send(new ListShardsCommand({ StreamName: "wire" }));
    expect(listed.Shards?.map((shard) => shard.ShardId)).toEqual(["shardId-000000000000", "shardId-000000000001"]);
    const summary = await client.send(new DescribeStreamSummaryCommand({ StreamName: "wire" }));
    expect(summary.StreamDescriptionSummary?.StreamCreationTimestamp).toEqual(new Date(clock));

    const { ShardIterator } = await client.send(new GetShardIteratorCommand({ StreamName: "wire", ShardId: "shardId-000000000000", ShardIteratorType: "TRIM_HORIZON" }));
    const read = await client.send(new GetRecordsCommand({ ShardIterator }));
    expect(read.Records?.map((record) => record.Data)).toEqual(payloads);
    expect(read.Records?.map((record) => record.SequenceNumber)).toEqual(put.Records?.map((entry) => entry.SequenceNumber));
    expect(read.Records?.[0]?.ApproximateArrivalTimestamp).toEqual(new Date(clock));
    expect(read.MillisBehindLatest).toBe(0);
    expect(read.NextShardIterator).toEqual(expect.any(String));

    // Timestamps go out as epoch seconds and come back as Dates.
    clock += 10_000;
    await client.send(new PutRecordsCommand({ StreamName: "wire", Records: [{ PartitionKey: "a", Data: Uint8Array.of(7) }] }));
    const at = await client.send(
      new GetShardIteratorCommand({ StreamName: "wire", ShardId: "shardId-000000000000", ShardIteratorType: "AT_TIMESTAMP", Timestamp: new Date(clock - 5_000) }),
    );
    expect((await client.send(new GetRecordsCommand({ ShardIterator: at.ShardIterator }))).Records?.map((record) => record.Data)).toEqual([Uint8Array.of(7)]);
  });

  it("answers errors as the SDK's exception classes", async () => {
    await expect(client.send(new ListShardsCommand({ StreamName: "absent" }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await client.send(new CreateStreamCommand({ StreamName: "expiring", ShardCount: 1 }));
    const { ShardIterator } = await client.send(new GetShardIteratorCommand({ StreamName: "expiring", ShardId: "shardId-000000000000", ShardIteratorType: "LATEST" }));
    clock += 300_001;
    await expect(client.send(new GetRecordsCommand({ ShardIterator }))).rejects.toBeInstanceOf(ExpiredIteratorException);
    await expect(client.send(new PutRecordsCommand({ StreamName: "expiring", Records: [{ PartitionKey: "", Data: Uint8Array.of(1) }] }))).rejects.toMatchObject({
      name: "ValidationException",
      message: expect.stringMatching(/records\.1\.member\.partitionKey/),
      $fault: "client",
    });
  });
});
