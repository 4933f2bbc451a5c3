import type { KinesisClient } from "@aws-sdk/client-kinesis";
import type { Context, KinesisStreamBatchResponse, KinesisStreamEvent } from "aws-lambda";
import { InvalidMappingConfigError } from "./errors";
import type { BatchFailureInfo } from "./shard-processor";

/** Where the mapping logs; Powertools' `Logger` and `console` both fit. */
export interface MappingLogger {
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown>): void;
}

/** A Kinesis stream handler, as Lambda calls it. */
export type KinesisHandler = (
  event: KinesisStreamEvent,
  context: Context,
) => Promise<KinesisStreamBatchResponse | void>;

/** The options of a Lambda Kinesis event source mapping, plus the knobs a local poller needs. */
export interface EventSourceMappingOptions {
  /** A `KinesisClient`, or anything with its `send` (the in-process memory client). */
  client: Pick<KinesisClient, "send">;
  streamName: string;
  handler: KinesisHandler;
  /** Records per batch, 1 to 10,000. Default 100, as on AWS. */
  batchSize?: number;
  /** How long to gather records for a fuller batch, 0 to 300,000 ms. Default 0. */
  maximumBatchingWindowMs?: number;
  /**
   * Retries of a failed batch before it is reported to `onFailure` and skipped; -1 retries
   * forever. AWS defaults to -1; locally the default is 10 so a poison record cannot stall a
   * shard (and a `drain()`) for ever.
   */
  maximumRetryAttempts?: number;
  /** Split a batch that errors in two before retrying; splits use no retry attempt. Default false. */
  bisectBatchOnFunctionError?: boolean;
  /** `FunctionResponseTypes: ["ReportBatchItemFailures"]`; Vigil always turns it on. Default true. */
  reportBatchItemFailures?: boolean;
  /** Where a shard is first read. Default TRIM_HORIZON; LATEST is the tip at the first start()/drain(). */
  startingPosition?: "TRIM_HORIZON" | "LATEST";
  /** The on-failure destination: every batch that exhausted its retries is reported here. */
  onFailure?: (info: BatchFailureInfo) => void | Promise<void>;
  /** Default `console`. */
  logger?: MappingLogger;
  /** The function's name in the Lambda context. Default `<streamName>-consumer`. */
  functionName?: string;
  /** The function timeout: the context's deadline, and a handler still running then has failed. Default 60,000 ms. */
  timeoutMs?: number;
  /** Wait between GetRecords calls on an idle shard under start(). Default 1,000 ms, as Lambda's poller. */
  pollIntervalMs?: number;
  /** How often start() looks for new shards (resharding). Default 10,000 ms. */
  shardDiscoveryIntervalMs?: number;
}

export type MappingSettings = Required<Omit<EventSourceMappingOptions, "onFailure">> &
  Pick<EventSourceMappingOptions, "onFailure">;

/** Applies the defaults and rejects options outside the ranges Lambda accepts. */
export function resolveMappingSettings(options: EventSourceMappingOptions): MappingSettings {
  const settings: MappingSettings = {
    batchSize: 100,
    maximumBatchingWindowMs: 0,
    maximumRetryAttempts: 10,
    bisectBatchOnFunctionError: false,
    reportBatchItemFailures: true,
    startingPosition: "TRIM_HORIZON",
    logger: console,
    functionName: `${options.streamName}-consumer`,
    timeoutMs: 60_000,
    pollIntervalMs: 1_000,
    shardDiscoveryIntervalMs: 10_000,
    ...definedOnly(options),
  };
  checkInteger("batchSize", settings.batchSize, 1, 10_000);
  checkInteger("maximumBatchingWindowMs", settings.maximumBatchingWindowMs, 0, 300_000);
  checkInteger("maximumRetryAttempts", settings.maximumRetryAttempts, -1, 10_000);
  checkInteger("timeoutMs", settings.timeoutMs, 1, 900_000);
  checkInteger("pollIntervalMs", settings.pollIntervalMs, 1, 3_600_000);
  checkInteger("shardDiscoveryIntervalMs", settings.shardDiscoveryIntervalMs, 1, 3_600_000);
  return settings;
}

function checkInteger(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new InvalidMappingConfigError(`${name} must be an integer from ${min} to ${max}, got ${value}.`);
  }
}

/** Drops keys set to undefined so they do not override the defaults. */
function definedOnly<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as T;
}
