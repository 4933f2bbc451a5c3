import { KinesisServiceException } from "@aws-sdk/client-kinesis";
import { AwsApiError } from "../eventbridge/api";
import { callMemoryStreams } from "./memory-client";
import type { MemoryStreams } from "./memory-streams";

// Checked without a repeating group: a regex loop over a 1.4 MB string would exhaust the backtrack stack.
const NOT_BASE64 = /[^A-Za-z0-9+/]/;
const isBase64 = (text: string) => text.length % 4 === 0 && !NOT_BASE64.test(text.endsWith("==") ? text.slice(0, -2) : text.endsWith("=") ? text.slice(0, -1) : text);

/**
 * The Kinesis operations of the local runtime over awsJson1_1 (X-Amz-Target `Kinesis_20131202.<Op>`),
 * served from the memory store: blobs travel as base64 strings and timestamps as epoch seconds.
 */
export function kinesisApi(streams: MemoryStreams) {
  return async (operation: string, input: Record<string, unknown>): Promise<unknown> => {
    try {
      return toWire(callMemoryStreams(streams, operation, fromWire(operation, input)));
    } catch (error) {
      if (error instanceof KinesisServiceException) throw new AwsApiError(error.name, error.message, error.$fault === "server" ? 500 : 400);
      throw error;
    }
  };
}

/** Decodes the members the JSON protocol encodes: record data, and iterator and filter timestamps. */
function fromWire(operation: string, input: Record<string, unknown>): Record<string, unknown> {
  switch (operation) {
    case "PutRecord":
      return { ...input, Data: blob(input.Data, "data") };
    case "PutRecords": {
      const records = input.Records;
      if (!Array.isArray(records)) return input;
      return {
        ...input,
        Records: records.map((record: unknown, index) =>
          typeof record === "object" && record !== null
            ? { ...record, Data: blob((record as { Data?: unknown }).Data, `records.${index + 1}.member.data`) }
            : record,
        ),
      };
    }
    case "GetShardIterator":
      return { ...input, Timestamp: timestamp(input.Timestamp) };
    case "ListShards": {
      const filter = input.ShardFilter as { Timestamp?: unknown } | undefined;
      return typeof filter === "object" && filter !== null ? { ...input, ShardFilter: { ...filter, Timestamp: timestamp(filter.Timestamp) } } : input;
    }
    default:
      return input;
  }
}

function blob(value: unknown, path: string): unknown {
  if (typeof value !== "string") return value;
  if (!isBase64(value)) throw new AwsApiError("SerializationException", `Value at '${path}' can not be converted to a Blob: it is not valid base64.`);
  return Buffer.from(value, "base64");
}

function timestamp(value: unknown): unknown {
  return typeof value === "number" ? new Date(value * 1000) : value;
}

/** The JSON body of an SDK-shaped output: Dates as epoch seconds, bytes as base64, no `$metadata`. */
function toWire(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("base64");
  if (Array.isArray(value)) return value.map(toWire);
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) if (key !== "$metadata" && member !== undefined) out[key] = toWire(member);
  return out;
}
