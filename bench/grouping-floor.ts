/**
 * `npm run bench:grouping-floor [-- --events N] [-- --writes-per-event W]`: the fastest a storm can pass through
 * the local pipeline's transport with no grouping at all, to put issue #4's 20,000 events/s target beside what the
 * emulators themselves allow on this machine. It takes the recorded events of ../shared/scenarios/medium-1 (cycled
 * to N, default 100,000, ids made unique), then, timed stage by stage in one process:
 *
 * 1. put them on the runtime's in-memory stream (PutRecords of 500, partitioned by account, as the ops-bus rule
 *    does), through the in-process client the runtime's EventBridge target and mappings use;
 * 2. read them back (GetRecords of 10,000, the grouper mapping's batch) and parse each record;
 *    both stages again on kinesalite over loopback HTTP (what the runtime used before), as the baseline;
 * 3. write W × N items to dynalite (BatchWriteItem of 25, each item the event's JSON; W defaults to 0.128, the
 *    writes per alert the large storm's replay measured), through the same SDK clients the runtime uses.
 *
 * Start-up (servers, stream, table) is timed too, since the target includes it. Nothing here decides anything:
 * `npm run bench:grouping` measures the real pipeline; this is the ceiling it runs under.
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { resolve } from "node:path";
import type { Server } from "node:http";
import { BatchWriteItemCommand, CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { CreateStreamCommand, GetRecordsCommand, GetShardIteratorCommand, ListShardsCommand, PutRecordsCommand } from "@aws-sdk/client-kinesis";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { tableDefinition } from "../core/store/table";
import { startKinesalite } from "../local/kinesis/kinesalite-server";
import { localKinesisClient } from "../local/kinesis/kinesis-client";
import { memoryKinesisClient, type MemoryKinesisClient } from "../local/kinesis/memory-client";
import { MemoryStreams } from "../local/kinesis/memory-streams";
import { listenOnLoopback } from "../local/listen";

const TARGET_EVENTS_PER_SECOND = 20_000;
const STORM = resolve(process.cwd(), "../shared/scenarios/medium-1/events.jsonl");

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const at = args.indexOf(name);
  if (at < 0) return fallback;
  const value = Number(args[at + 1]);
  if (!Number.isFinite(value) || value < 0) {
    console.error(`${name} must be a non-negative number, got ${args[at + 1] ?? "nothing"}`);
    process.exit(2);
  }
  return value;
};
const total = Math.round(option("--events", 100_000));
const writesPerEvent = option("--writes-per-event", 0.128);

if (!existsSync(STORM)) {
  console.log(`skipped: ${STORM} is absent (the shared scenarios are needed for realistic event payloads)`);
  process.exit(0);
}
const recorded = readFileSync(STORM, "utf8").split("\n").filter((line) => line.trim() !== "").map((line) => JSON.parse(line) as Record<string, unknown>);
const events = Array.from({ length: total }, (_, i): Record<string, unknown> => {
  const event = recorded[i % recorded.length]!;
  return { ...event, id: `${String(event.id)}-${Math.floor(i / recorded.length)}` };
});

const stages: { name: string; ms: number }[] = [];
const timed = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
  const start = performance.now();
  const result = await work();
  stages.push({ name, ms: performance.now() - start });
  return result;
};

const dynalite = createRequire(import.meta.url)("dynalite") as (options: Record<string, number>) => Server;
const { kinesisServer, dynamoServer, kinesis, baseline, dynamodb, table } = await timed("start-up (servers, streams, table)", async () => {
  const kinesisServer = await startKinesalite();
  const dynamoServer = await listenOnLoopback(dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 }));
  const kinesis = memoryKinesisClient(new MemoryStreams());
  const baseline = localKinesisClient(kinesisServer.endpoint);
  const dynamodb = new DynamoDBClient({
    endpoint: dynamoServer.endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    requestHandler: new NodeHttpHandler(),
  });
  for (const client of [kinesis, baseline]) await client.send(new CreateStreamCommand({ StreamName: "alerts", ShardCount: 1 }));
  const table = "vigil-floor";
  await dynamodb.send(new CreateTableCommand(tableDefinition(table)));
  return { kinesisServer, dynamoServer, kinesis, baseline, dynamodb, table };
});

/** Puts every event on the client's stream, reads them all back and parses them. */
async function streamStages(label: string, client: MemoryKinesisClient): Promise<void> {
  await timed(`${label}: PutRecords (500 per call)`, async () => {
    for (let i = 0; i < events.length; i += 500) {
      const Records = events.slice(i, i + 500).map((event) => ({ PartitionKey: String(event.account), Data: Buffer.from(JSON.stringify(event)) }));
      const { FailedRecordCount } = await client.send(new PutRecordsCommand({ StreamName: "alerts", Records }));
      if (FailedRecordCount) throw new Error(`${label} refused ${FailedRecordCount} records of the batch at ${i}`);
    }
  });
  const read = await timed(`${label}: GetRecords (10,000 per call) + JSON.parse`, async () => {
    const { Shards = [] } = await client.send(new ListShardsCommand({ StreamName: "alerts" }));
    let count = 0;
    for (const shard of Shards) {
      let { ShardIterator: iterator } = await client.send(new GetShardIteratorCommand({ StreamName: "alerts", ShardId: shard.ShardId, ShardIteratorType: "TRIM_HORIZON" }));
      while (iterator) {
        const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }));
        for (const record of page.Records ?? []) if (JSON.parse(Buffer.from(record.Data!).toString("utf8")).id) count++;
        if ((page.Records ?? []).length === 0) break;
        iterator = page.NextShardIterator;
      }
    }
    return count;
  });
  if (read !== events.length) throw new Error(`${label}: read ${read} records back, put ${events.length}`);
}

/** Stages of the baseline, reported beside the pipeline's but not counted in its total. */
const baselineStages: { name: string; ms: number }[] = [];
try {
  await streamStages("memory stream", kinesis);
  const counted = stages.length;
  await streamStages("kinesalite (baseline)", baseline);
  baselineStages.push(...stages.splice(counted));

  const writes = Math.round(events.length * writesPerEvent);
  await timed(`DynamoDB BatchWriteItem (${writes.toLocaleString("en")} items, 25 per call)`, async () => {
    for (let i = 0; i < writes; i += 25) {
      const RequestItems = {
        // Keyed by position: a recorded storm delivers some events twice, and one batch may not hold a key twice.
        [table]: events.slice(i, Math.min(i + 25, writes)).map((event, j) => ({
          PutRequest: { Item: { pk: { S: `floor#${String(event.account)}` }, sk: { S: String(i + j) }, body: { S: JSON.stringify(event) } } },
        })),
      };
      const { UnprocessedItems } = await dynamodb.send(new BatchWriteItemCommand({ RequestItems }));
      if (Object.keys(UnprocessedItems ?? {}).length > 0) throw new Error(`dynalite left items of the batch at ${i} unprocessed`);
    }
  });
} finally {
  baseline.destroy();
  dynamodb.destroy();
  await Promise.all([kinesisServer.close(), dynamoServer.close()]);
}

const totalMs = stages.reduce((sum, s) => sum + s.ms, 0);
console.log(`Transport floor: ${total.toLocaleString("en")} events of medium-1, no grouping, node ${process.version}`);
for (const s of [...stages, ...baselineStages]) console.log(`  ${s.name.padEnd(62)} ${(s.ms / 1000).toFixed(2).padStart(7)} s  ${Math.round(total / (s.ms / 1000)).toLocaleString("en").padStart(9)} events/s`);
const perSecond = total / (totalMs / 1000);
const streamMs = (list: { name: string; ms: number }[]) => list.filter((s) => s.name.includes("Records")).reduce((sum, s) => sum + s.ms, 0);
console.log(`  stream stages, kinesalite / in-memory: ${(streamMs(baselineStages) / streamMs(stages)).toFixed(1)}x the time`);
console.log(`  ${"all stages (in-memory stream)".padEnd(62)} ${(totalMs / 1000).toFixed(2).padStart(7)} s  ${Math.round(perSecond).toLocaleString("en").padStart(9)} events/s`);
console.log(`Target ${TARGET_EVENTS_PER_SECOND.toLocaleString("en")} events/s through the whole pipeline: the transport alone reaches ${(perSecond / TARGET_EVENTS_PER_SECOND).toFixed(2)}x of it.`);
