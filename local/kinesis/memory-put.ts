import { HASH_KEY, kinesisError, stringMember, validationError } from "./memory-errors";
import { hashHex, MAX_HASH_KEY, partitionKeyHashHex, type MemoryShard } from "./memory-shard";

const MAX_DATA_BYTES = 1024 * 1024;

/** A PutRecord(s) entry, checked, with the hash key (32 hex digits) that routes it. */
export interface Entry {
  partitionKey: string;
  hash: string;
  data: Uint8Array;
}

/** Checks one PutRecord(s) entry; `path` prefixes member names in validation messages. */
export function checkEntry(value: unknown, path: string): Entry {
  if (typeof value !== "object" || value === null) throw validationError(path.replace(/\.$/, ""), value, "Member must not be null");
  const record = value as { PartitionKey?: unknown; Data?: unknown; ExplicitHashKey?: unknown };
  const partitionKey = stringMember(record.PartitionKey, `${path}partitionKey`, { required: true, min: 1, max: 256 });
  const data = record.Data;
  if (data === undefined || data === null) throw validationError(`${path}data`, data, "Member must not be null");
  if (!(data instanceof Uint8Array)) throw validationError(`${path}data`, data, "Member must be a blob (Uint8Array)");
  if (data.byteLength > MAX_DATA_BYTES) throw validationError(`${path}data`, data, `Member must have length less than or equal to ${MAX_DATA_BYTES}`);
  const explicit = stringMember(record.ExplicitHashKey, `${path}explicitHashKey`, { pattern: HASH_KEY });
  if (explicit !== undefined && BigInt(explicit) > MAX_HASH_KEY) {
    throw kinesisError("InvalidArgumentException", `Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was ${explicit}`);
  }
  return { partitionKey, data, hash: explicit === undefined ? partitionKeyHashHex(partitionKey) : hashHex(BigInt(explicit)) };
}

/** The open shard whose hash-key range holds `hash` (binary search on range starts). */
export function shardFor(open: MemoryShard[], hash: string): MemoryShard {
  let low = 0;
  let high = open.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >>> 1;
    if ((open[middle] as MemoryShard).startHex <= hash) low = middle;
    else high = middle - 1;
  }
  return open[low] as MemoryShard;
}
