import { setTimeout as sleep } from "node:timers/promises";
import type { _Record } from "@aws-sdk/client-kinesis";
import type { KinesisStreamEvent } from "aws-lambda";
import { interpretBatchResponse, type BatchOutcome } from "./batch-response";
import { HandlerTimeoutError, MappingStateError } from "./errors";
import { createLambdaContext } from "./lambda-context";
import { toLambdaKinesisRecord, type StreamIdentity } from "./lambda-event";
import { resolveMappingSettings, type EventSourceMappingOptions } from "./mapping-settings";
import { ShardProcessor, type BatchFailureInfo } from "./shard-processor";
import { GET_RECORDS_LIMIT, ShardReader } from "./shard-reader";
import { describeStream, listShards, type ShardDescription } from "./stream-shards";

export type { EventSourceMappingOptions, KinesisHandler, MappingLogger } from "./mapping-settings";
export type { BatchFailureInfo } from "./shard-processor";

/** What a `drain()` did. */
export interface DrainResult {
  /** Handler invocations, retries included. */
  batches: number;
  /** Records the mapping moved past, each counted once: processed, or reported to `onFailure`. */
  records: number;
  /** Of those, the records reported to `onFailure`. */
  failedRecords: number;
}

export interface EventSourceMapping {
  /** Polls every shard continuously (every `pollIntervalMs`) until `stop()`. */
  start(): void;
  /** Stops polling; resolves once every in-flight batch has completed. Checkpoints are kept. */
  stop(): Promise<void>;
  /**
   * Reads every shard until none has more records, invoking the handler batch by batch, then
   * resolves. Shards are drained one after the other in shard-id order so a replay is
   * deterministic; a later `drain()` or `start()` resumes from the checkpoints.
   */
  drain(options?: DrainOptions): Promise<DrainResult>;
}

/** What the caller of `drain()` knows about the stream's writes. */
export interface DrainOptions {
  /**
   * The only shards that took records since the previous drain, vouched for by the caller as the
   * stream's only writer (the local bus's stream target, which also receives whatever the handlers
   * publish): only they are read, once each to their tip, with no shard listing unless one is new
   * to the mapping and no second round to prove the stream empty.
   */
  writtenShards?: ReadonlySet<string>;
}

/**
 * The local twin of a Lambda Kinesis event source mapping: reads a stream through the real
 * Kinesis API (ListShards, GetShardIterator, GetRecords) and invokes `handler` with the event
 * Lambda sends, honouring batch size, batching window, per-shard order, retries, bisection,
 * `ReportBatchItemFailures` and an on-failure destination.
 */
export function createEventSourceMapping(options: EventSourceMappingOptions): EventSourceMapping {
  const settings = resolveMappingSettings(options);
  const { client, streamName, logger } = settings;
  const shards = new Map<string, ShardProcessor>();
  let identity: StreamIdentity | undefined;
  let discoveredOnce = false;
  /** The last shard listing; a drain told which shards were written trusts it while they are all in it and ready. */
  let lastListed: ShardDescription[] = [];
  let polling: { abort: AbortController; done: Promise<void> } | undefined;
  let draining = false;

  async function streamIdentity(): Promise<StreamIdentity> {
    identity ??= await describeStream(client, streamName, settings.functionName);
    return identity;
  }

  /** Adds shards not seen yet; a shard created by resharding is read from its start, as on AWS. */
  async function discoverShards(): Promise<ShardDescription[]> {
    const { streamArn } = await streamIdentity();
    const listed = await listShards(client, streamName);
    for (const shard of listed) {
      const known = shards.get(shard.shardId);
      if (known) {
        known.reader.listedClosed = shard.closed;
        continue;
      }
      const position = discoveredOnce ? "TRIM_HORIZON" : settings.startingPosition;
      const reader = new ShardReader(client, streamName, shard.shardId, position);
      reader.listedClosed = shard.closed;
      await reader.open();
      const processor = new ShardProcessor(reader, { ...settings, streamArn }, (records) => invoke(shard.shardId, records), reportFailure);
      shards.set(shard.shardId, processor);
    }
    discoveredOnce = true;
    lastListed = listed;
    return listed;
  }

  /** A child shard is read only once its parents are read to their end (per-key order across reshards). */
  function readyShards(listed: ShardDescription[]): ShardProcessor[] {
    const listedIds = new Set(listed.map((shard) => shard.shardId));
    const finished = (id: string) => !listedIds.has(id) || shards.get(id)?.reader.exhausted === true;
    return listed
      .filter((shard) => shard.parentShardIds.every(finished))
      .map((shard) => shards.get(shard.shardId))
      .filter((processor): processor is ShardProcessor => processor !== undefined && !processor.reader.exhausted);
  }

  async function invoke(shardId: string, records: _Record[]): Promise<BatchOutcome> {
    const id = await streamIdentity();
    const event: KinesisStreamEvent = { Records: records.map((record) => toLambdaKinesisRecord(record, shardId, id)) };
    const context = createLambdaContext({
      functionName: settings.functionName,
      region: id.region,
      accountId: id.accountId,
      timeoutMs: settings.timeoutMs,
    });
    try {
      const response = await withTimeout(Promise.resolve().then(() => settings.handler(event, context)), settings.timeoutMs);
      const outcome = settings.reportBatchItemFailures ? interpretBatchResponse(response, sequenceNumbers(records)) : { kind: "success" as const };
      if (outcome.kind === "failure") logger.warn("Kinesis batch response rejected", { shardId, error: outcome.error.message });
      return outcome;
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      logger.warn("Kinesis batch handler failed", { shardId, batchSize: records.length, error: failure.message });
      return { kind: "failure", error: failure };
    }
  }

  async function reportFailure(info: BatchFailureInfo): Promise<void> {
    logger.error("Kinesis batch exhausted its retries and was skipped", { ...info, error: info.error.message });
    try {
      await settings.onFailure?.(info);
    } catch (error) {
      logger.error("Kinesis on-failure destination threw", { shardId: info.shardId, error: String(error) });
    }
  }

  /**
   * Invokes the handler batch by batch until the shard is read to its tip. Reads ahead as far as one
   * GetRecords goes (batches are still cut at the batch size), and once a read reached the tip the
   * buffer is worked off without asking again: what handlers write meanwhile is the next round's.
   */
  async function drainShard(processor: ShardProcessor, totals: DrainResult): Promise<void> {
    const { reader } = processor;
    let caughtUp = false;
    for (;;) {
      if (!caughtUp && !reader.closed && reader.buffer.length < processor.nextBatchLimit()) {
        caughtUp = (await reader.fetch(GET_RECORDS_LIMIT - reader.buffer.length)).caughtUp;
      }
      if (reader.buffer.length === 0) {
        if (caughtUp || reader.closed) return;
        continue;
      }
      const result = await processor.processNextBatch();
      totals.batches += 1;
      totals.records += result.checkpointed;
      totals.failedRecords += result.failed;
    }
  }

  /** Drains only the shards the caller wrote to, in shard-id order; each is known and ready (see drain()). */
  async function drainWritten(written: ReadonlySet<string>, totals: DrainResult): Promise<void> {
    for (const shardId of [...written].sort()) {
      const processor = shards.get(shardId);
      if (processor !== undefined) await drainShard(processor, totals);
    }
  }

  async function pollShard(processor: ShardProcessor, signal: AbortSignal): Promise<void> {
    const { reader } = processor;
    while (!signal.aborted) {
      try {
        const limit = processor.nextBatchLimit();
        if (reader.buffer.length < limit && !reader.closed) await reader.fetch(limit - reader.buffer.length);
        if (reader.buffer.length === 0) {
          if (reader.exhausted) return;
          await pause(settings.pollIntervalMs, signal);
          continue;
        }
        // Within the batching window, wait for a full batch unless the shard has ended.
        const waited = Date.now() - reader.bufferedSince;
        if (reader.buffer.length < limit && !reader.closed && waited < settings.maximumBatchingWindowMs) {
          await pause(Math.min(settings.pollIntervalMs, settings.maximumBatchingWindowMs - waited), signal);
          continue;
        }
        await processor.processNextBatch();
      } catch (error) {
        logger.error("Kinesis shard poll failed", { shardId: reader.shardId, error: String(error) });
        await pause(settings.pollIntervalMs, signal);
      }
    }
  }

  async function pollStream(signal: AbortSignal): Promise<void> {
    const workers = new Map<string, Promise<void>>();
    while (!signal.aborted) {
      try {
        for (const processor of readyShards(await discoverShards())) {
          const { shardId } = processor.reader;
          if (!workers.has(shardId)) workers.set(shardId, pollShard(processor, signal));
        }
      } catch (error) {
        logger.error("Kinesis shard discovery failed", { streamName, error: String(error) });
      }
      await pause(settings.shardDiscoveryIntervalMs, signal);
    }
    await Promise.all(workers.values());
  }

  return {
    start() {
      if (polling) throw new MappingStateError(`The mapping for stream "${streamName}" is already started.`);
      if (draining) throw new MappingStateError(`The mapping for stream "${streamName}" is draining; start it after drain() resolves.`);
      const abort = new AbortController();
      polling = { abort, done: pollStream(abort.signal) };
    },
    async stop() {
      const current = polling;
      if (!current) return;
      current.abort.abort();
      await current.done;
      polling = undefined;
    },
    async drain(options = {}) {
      if (polling) throw new MappingStateError(`The mapping for stream "${streamName}" is polling; stop() it before drain().`);
      if (draining) throw new MappingStateError(`The mapping for stream "${streamName}" is already draining.`);
      draining = true;
      const totals: DrainResult = { batches: 0, records: 0, failedRecords: 0 };
      try {
        const written = options.writtenShards;
        const ready = new Set(readyShards(lastListed).map((processor) => processor.reader.shardId));
        if (written !== undefined && discoveredOnce && [...written].every((id) => ready.has(id))) {
          await drainWritten(written, totals);
          return totals;
        }
        // Listed once per drain, and again only when a shard was read to its end (a reshard's children).
        let listed = await discoverShards();
        for (;;) {
          const before = totals.batches;
          const drained = new Set<ShardProcessor>();
          let ready = readyShards(listed);
          // Draining a closed shard to its end makes its children ready within the same round.
          while (ready.some((processor) => !drained.has(processor))) {
            let closedNow = false;
            for (const processor of ready.filter((candidate) => !drained.has(candidate))) {
              const wasClosed = processor.reader.closed;
              await drainShard(processor, totals);
              drained.add(processor);
              closedNow ||= processor.reader.closed && !wasClosed;
            }
            if (closedNow) listed = await discoverShards();
            ready = readyShards(listed);
          }
          // A round that invoked nothing proves every shard empty; otherwise the handler may have written more.
          if (totals.batches === before) return totals;
        }
      } finally {
        draining = false;
      }
    },
  };
}

function sequenceNumbers(records: _Record[]): string[] {
  return records.map((record) => record.SequenceNumber ?? "");
}

/** Waits `ms`, or less if the signal aborts; never rejects. */
async function pause(ms: number, signal: AbortSignal): Promise<void> {
  await sleep(ms, undefined, { signal }).catch(() => undefined);
}

async function withTimeout<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  const abort = new AbortController();
  const timeout = sleep(timeoutMs, undefined, { signal: abort.signal }).then(() => {
    throw new HandlerTimeoutError(timeoutMs);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    abort.abort();
    timeout.catch(() => undefined);
  }
}
