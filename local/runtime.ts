import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";
import type { Server } from "node:http";
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ResourceNotFoundException } from "@aws-sdk/client-dynamodb";
import { CreateStreamCommand, DescribeStreamSummaryCommand } from "@aws-sdk/client-kinesis";
import { tableDefinition } from "../core/store/table";
import type { VigilConfig } from "../core/config";
import { assertDataDirFree, noteRuntime } from "./data-dir-lock";
import { LocalEventBus, type DeadLetter } from "./eventbridge/bus";
import { eventBridgeApi } from "./eventbridge/api";
import { startGateway } from "./gateway";
import { VirtualClock } from "./clock";
import { FUNCTIONS, FORWARDING_RULES, STREAM_RULES, type LocalFunction } from "./functions";
import { BufferedStreamWriter } from "./kinesis/stream-writer";
import { loadInOwnInvocations, type LocalHandler } from "./invocation-scope";
import { createLambdaContext } from "./kinesis/lambda-context";
import { MemoryStreams } from "./kinesis/memory-streams";
import { memoryKinesisClient, type MemoryKinesisClient } from "./kinesis/memory-client";
import { kinesisApi } from "./kinesis/api";
import { createEventSourceMapping } from "./kinesis/event-source-mapping";
import { LocalFifoQueue } from "./sqs/fifo-queue";
import { createStore } from "../core/store/service";
import { scheduleSkips } from "./schedule-skip";
import { ALERT_STREAM_SHARDS } from "../infra/stream-settings";

const require = createRequire(import.meta.url);

/** Names of the emulated resources; the same logical names sst.config.ts links. */
export const LOCAL_NAMES = { table: "vigil-local", bus: "vigil-ops", stream: "vigil-metrics", alertStream: "vigil-alerts", app: "vigil", stage: "local" };

export interface RuntimeOptions {
  config: VigilConfig;
  /** Loopback port for every emulated API; 0 picks a free one. */
  port?: number;
  /** Folder that persists DynamoDB data; in memory when absent. Streams are always in memory (see `startRuntime`). */
  dataDir?: string;
  clock?: VirtualClock;
  /** Shards of the metrics stream (default 2); the alert stream has `ALERT_STREAM_SHARDS`, as in AWS. */
  shards?: number;
  /**
   * How much event time of alerts the replay writes to the alert stream before the grouper reads it (ms, a
   * whole number of minutes; default one minute). Longer windows mean fewer, larger grouper batches (up to
   * 10,000 records); the incident timer then lags by the window less a minute (`GROUPING_TIMER_LAG_MS`).
   */
  streamWindowMs?: number;
  onDeadLetter?: (letter: DeadLetter) => void;
}

export type Runtime = Awaited<ReturnType<typeof startRuntime>>;

/** The runtime's streams: CloudWatch metrics (Metric Streams records) and alerts (ops-bus events). */
type StreamName = "metrics" | "alerts";

/**
 * Starts the embedded runtime: DynamoDB (dynalite), Kinesis (an in-memory store, local/kinesis/memory-streams.ts)
 * and Vigil's EventBridge in process, all behind one loopback port, then wires the real handlers to their
 * subscriptions exactly as infra/ does in AWS. What AWS services do among themselves (EventBridge's stream
 * target, Lambda's event source mappings, a replay's Metric Streams records) calls the stream store directly,
 * as those services never go through a client's HTTP API; SDK clients reach the same streams at the endpoint.
 * Streams are not persisted with `dataDir`: a mapping's checkpoints live in the process, so records left on
 * disk would be read again from the start after a restart.
 */
export async function startRuntime(options: RuntimeOptions) {
  const clock = options.clock ?? new VirtualClock(Date.now());
  const streamWindowMs = options.streamWindowMs ?? 60_000;
  if (!Number.isInteger(streamWindowMs) || streamWindowMs < 60_000 || streamWindowMs % 60_000 !== 0) {
    throw new Error(`streamWindowMs must be a whole number of minutes (ms), at least one, got ${streamWindowMs}`);
  }
  // The handlers run in this process and read their settings from the environment, as in Lambda.
  process.env.GROUPING_TIMER_LAG_MS = String(streamWindowMs - 60_000);
  if (options.dataDir) {
    mkdirSync(options.dataDir, { recursive: true });
    await assertDataDirFree(options.dataDir);
  }
  const dynaliteServer: Server = require("dynalite")({
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
    ...(options.dataDir ? { path: join(options.dataDir, "dynamodb") } : {}),
  });
  const streams = new MemoryStreams();
  /** Deliveries per rule target, for the summaries people read. */
  const deliveries = new Map<string, number>();
  const bus = new LocalEventBus({
    clock,
    onDeadLetter: options.onDeadLetter,
    onDelivered: (_rule, target) => deliveries.set(target, (deliveries.get(target) ?? 0) + 1),
  });
  const gateway = await startGateway(
    { dynamodb: dynaliteServer, kinesis: kinesisApi(streams), events: eventBridgeApi(bus) },
    { port: options.port ?? 0 },
  );

  // Service-specific variables only: a user's AWS_ENDPOINT_URL keeps pointing everything
  // else (remediation targets, say) wherever they chose.
  const endpoints = {
    AWS_ENDPOINT_URL_DYNAMODB: gateway.endpoint,
    AWS_ENDPOINT_URL_KINESIS: gateway.endpoint,
    AWS_ENDPOINT_URL_EVENTBRIDGE: gateway.endpoint,
  };
  Object.assign(process.env, endpoints, {
    SST_RESOURCE_App: JSON.stringify({ name: LOCAL_NAMES.app, stage: LOCAL_NAMES.stage }),
    SST_RESOURCE_VigilTable: JSON.stringify({ name: LOCAL_NAMES.table, type: "sst.aws.Dynamo" }),
    SST_RESOURCE_OpsBus: JSON.stringify({ name: LOCAL_NAMES.bus, arn: `arn:aws:events:us-east-1:000000000000:event-bus/${LOCAL_NAMES.bus}`, type: "sst.aws.Bus" }),
    SST_RESOURCE_MetricsStream: JSON.stringify({ name: LOCAL_NAMES.stream, type: "sst.aws.KinesisStream" }),
    SST_RESOURCE_AlertStream: JSON.stringify({ name: LOCAL_NAMES.alertStream, type: "sst.aws.KinesisStream" }),
    VIGIL_CONFIG: JSON.stringify(options.config),
  });
  // EMF lines and info logs would bury the CLI's own output; a user can turn either back on.
  process.env.POWERTOOLS_METRICS_DISABLED ??= "true";
  process.env.POWERTOOLS_LOG_LEVEL ??= "WARN";
  // In AWS the approval key is the ApprovalKey secret; locally a fresh one per process.
  process.env.VIGIL_APPROVAL_KEY ??= randomBytes(32).toString("base64url");
  process.env.AWS_REGION ??= "us-east-1";
  process.env.AWS_ACCESS_KEY_ID ??= "local";
  process.env.AWS_SECRET_ACCESS_KEY ??= "local";

  const dynamodb = new DynamoDBClient({ endpoint: gateway.endpoint });
  const kinesis = memoryKinesisClient(streams);
  await ensureTable(dynamodb, LOCAL_NAMES.table);
  await ensureStream(kinesis, LOCAL_NAMES.stream, options.shards ?? 2);
  // One shard as in AWS (infra/stream-settings.ts): a correlation scope's accounts share one order.
  await ensureStream(kinesis, LOCAL_NAMES.alertStream, ALERT_STREAM_SHARDS);
  const streamNames = { metrics: LOCAL_NAMES.stream, alerts: LOCAL_NAMES.alertStream } as const;
  const writers = [{ stream: "alerts" as StreamName, writer: new BufferedStreamWriter(kinesis, LOCAL_NAMES.alertStream) }];
  for (const rule of STREAM_RULES) {
    const writer = writers.find((w) => w.stream === rule.stream)?.writer;
    if (writer === undefined) continue;
    bus.putRule({
      name: rule.name,
      busName: LOCAL_NAMES.bus,
      pattern: rule.pattern,
      targets: [{ id: writer.streamName, kind: "stream", partitionKeyPath: rule.partitionKeyPath, put: (key, data) => writer.add(key, data) }],
    });
  }

  for (const rule of FORWARDING_RULES) {
    bus.putRule({ ...rule, busName: "default", targets: [{ id: "ops-bus", kind: "bus", busName: LOCAL_NAMES.bus }] });
  }
  const mappings: { stream: StreamName; mapping: ReturnType<typeof createEventSourceMapping> }[] = [];
  let flushTimer: NodeJS.Timeout | undefined;
  for (const fn of FUNCTIONS) {
    const handler = await loadHandler(fn);
    if (fn.trigger.kind === "queue") {
      const queue = new LocalFifoQueue({
        name: `${fn.name}.fifo`,
        groupId: fn.name,
        batchSize: fn.trigger.batchSize,
        handler: (event, context) => handler(event, context),
        context: () => localContext(fn.name),
      });
      fn.trigger.patterns.forEach((pattern, i) =>
        bus.putRule({
          name: `${fn.name}-${i}`,
          busName: LOCAL_NAMES.bus,
          pattern,
          targets: [{ id: fn.name, kind: "function", invoke: (event) => queue.send(JSON.stringify(event)) }],
        }),
      );
    } else if (fn.trigger.kind === "bus") {
      const subscribed = fn.trigger.subscribe?.(options.config);
      fn.trigger.patterns.forEach((pattern, i) => {
        if (subscribed?.[i] === false) return;
        bus.putRule({
          name: `${fn.name}-${i}`,
          busName: LOCAL_NAMES.bus,
          pattern,
          targets: [{ id: fn.name, kind: "function", invoke: (event) => handler(event, localContext(fn.name)) }],
        });
      });
    } else if (fn.trigger.kind === "kinesis") {
      const stream = fn.trigger.stream ?? "metrics";
      mappings.push({
        stream,
        mapping: createEventSourceMapping({
          client: kinesis,
          streamName: streamNames[stream],
          functionName: fn.name,
          handler: (event, context) => handler(event, context) as never,
          // A window longer than a minute is read in the largest batches Lambda allows, so a batch ends on a window boundary.
          batchSize: fn.trigger.stream === "alerts" && streamWindowMs > 60_000 ? 10_000 : fn.trigger.batchSize,
          maximumBatchingWindowMs: 0,
        }),
      });
    }
  }

  const skips = scheduleSkips(createStore({ client: dynamodb, table: LOCAL_NAMES.table }), options.config);
  const forget = options.dataDir ? noteRuntime(options.dataDir, gateway.endpoint, LOCAL_NAMES.table) : undefined;

  return {
    clock,
    bus,
    /** Which scheduled ticks would do nothing and are skipped (local/schedule-skip.ts). */
    scheduleSkips: skips,
    deliveries,
    dynamodb,
    kinesis,
    endpoint: gateway.endpoint,
    port: gateway.port,
    endpoints,
    names: LOCAL_NAMES,
    /** Event time of alerts written to the alert stream per grouper pass (see `RuntimeOptions.streamWindowMs`). */
    streamWindowMs,
    /**
     * Waits until every event and every Kinesis record has been handled, cascades included.
     * `streams: false` skips polling the streams (each poll is several API calls): events routed to
     * a stream target stay buffered until a settle writes them (see `bufferedRecords`). `"written"`
     * polls only the streams the bus's stream targets wrote to in that pass (not the metrics stream).
     */
    async settle(options: { streams?: boolean | "written" } = {}): Promise<void> {
      if (options.streams === false) return bus.drain();
      // Kinesis handlers publish to the bus: repeat until a pass moves no record.
      for (;;) {
        await bus.drain();
        const written = new Map<StreamName, Set<string>>();
        for (const w of writers) {
          if ((await w.writer.flush()) > 0) written.set(w.stream, w.writer.takeWrittenShards());
        }
        let records = 0;
        for (const m of mappings) {
          const shards = written.get(m.stream);
          if (options.streams === "written" && shards === undefined) continue;
          // The bus's stream target is the stream's only writer here, so only the shards it wrote need reading.
          records += (await m.mapping.drain(options.streams === "written" ? { writtenShards: shards } : {})).records;
        }
        if (records === 0) break;
      }
    },
    /** Events routed to a stream target and not yet written to it (they are written when the runtime settles). */
    bufferedRecords: () => writers.reduce((n, w) => n + w.writer.pending, 0),
    startPolling: () => {
      mappings.forEach((m) => m.mapping.start());
      // Serving live: stream targets write what the bus routed a few times a second, as EventBridge does.
      flushTimer ??= setInterval(() => void Promise.all(writers.map((w) => w.writer.flush())).catch((error: unknown) => console.error(`vigil: stream write failed: ${String(error)}`)), 200);
    },
    async close(): Promise<void> {
      if (flushTimer) clearInterval(flushTimer);
      skips.close();
      await Promise.all(mappings.map((m) => m.mapping.stop()));
      await bus.drain();
      dynamodb.destroy();
      kinesis.destroy();
      await gateway.close();
      await closeEmulator(dynaliteServer);
      forget?.();
    },
  };
}

const localContext = (functionName: string) =>
  createLambdaContext({ functionName, region: "us-east-1", accountId: "000000000000", timeoutMs: 30_000 });

function loadHandler(fn: LocalFunction): Promise<LocalHandler> {
  return loadInOwnInvocations(async () => {
    const mod = (await fn.load()) as { handler?: unknown };
    if (typeof mod.handler !== "function") throw new Error(`function ${fn.name} exports no handler`);
    return mod.handler as LocalHandler;
  });
}

async function ensureTable(client: DynamoDBClient, name: string): Promise<void> {
  try {
    await client.send(new DescribeTableCommand({ TableName: name }));
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
    await client.send(new CreateTableCommand(tableDefinition(name)));
  }
}

async function ensureStream(client: MemoryKinesisClient, name: string, shards: number): Promise<void> {
  try {
    await client.send(new DescribeStreamSummaryCommand({ StreamName: name }));
  } catch (error) {
    if ((error as Error).name !== "ResourceNotFoundException") throw error;
    await client.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
  }
}

/**
 * Closes dynalite's LevelDB store (releasing a data directory's lock). dynalite closes it only once its HTTP server
 * closed cleanly, and the gateway hands it requests without it listening (its close then fails before the store's), so
 * it listens on a spare loopback port first.
 */
async function closeEmulator(server: Server): Promise<void> {
  if (!server.listening) await new Promise<void>((resolve, reject) => server.once("error", reject).listen(0, "127.0.0.1", resolve));
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
}
