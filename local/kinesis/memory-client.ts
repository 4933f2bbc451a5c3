import type { KinesisClient } from "@aws-sdk/client-kinesis";
import { kinesisError } from "./memory-errors";
import type { MemoryStreams } from "./memory-streams";

/** The part of `KinesisClient` the local consumers use; `memoryKinesisClient` and a real client both fit. */
export type MemoryKinesisClient = Pick<KinesisClient, "send" | "destroy">;

// Inputs are the SDK's command inputs, or the HTTP adapter's decoded JSON; the store validates them.
type Operation = (streams: MemoryStreams, input: never) => unknown;

/** The operations the memory store serves, by Kinesis API name. */
export const MEMORY_OPERATIONS: ReadonlyMap<string, Operation> = new Map<string, Operation>([
  ["CreateStream", (streams, input) => streams.createStream(input)],
  ["DeleteStream", (streams, input) => streams.deleteStream(input)],
  ["ListStreams", (streams, input) => streams.listStreams(input)],
  ["DescribeStream", (streams, input) => streams.describeStream(input)],
  ["DescribeStreamSummary", (streams, input) => streams.describeStreamSummary(input)],
  ["ListShards", (streams, input) => streams.listShards(input)],
  ["PutRecord", (streams, input) => streams.putRecord(input)],
  ["PutRecords", (streams, input) => streams.putRecords(input)],
  ["GetShardIterator", (streams, input) => streams.getShardIterator(input)],
  ["GetRecords", (streams, input) => streams.getRecords(input)],
  ["SplitShard", (streams, input) => streams.splitShard(input)],
]);

/** Runs one operation on the store, or throws UnknownOperationException. */
export function callMemoryStreams(streams: MemoryStreams, operation: string, input: unknown): unknown {
  const handler = MEMORY_OPERATIONS.get(operation);
  if (!handler) throw kinesisError("UnknownOperationException", `The local Kinesis does not implement ${operation}.`);
  return handler(streams, (input ?? {}) as never);
}

/**
 * A stand-in for `KinesisClient` that calls the store in process: no HTTP, no JSON, no base64.
 * Commands are told apart by class name (`PutRecordsCommand` → PutRecords), so commands built by
 * another copy of the SDK work too. Results and errors are what the SDK itself would produce.
 */
export function memoryKinesisClient(streams: MemoryStreams): MemoryKinesisClient {
  async function send(command: { input?: unknown }, ...rest: unknown[]): Promise<unknown> {
    const callback = rest.find((arg): arg is (error: unknown, data?: unknown) => void => typeof arg === "function");
    const operation = command.constructor.name.replace(/Command$/, "");
    const result = Promise.resolve().then(() => callMemoryStreams(streams, operation, command.input));
    if (!callback) return result;
    // The SDK's callback form: resolve to undefined and report through the callback.
    result.then((data) => callback(null, data), (error: unknown) => callback(error));
    return undefined;
  }
  return { send: send as unknown as KinesisClient["send"], destroy: () => undefined };
}
