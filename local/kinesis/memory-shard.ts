import { createHash, hash as cryptoHash } from "node:crypto";
import type { Shard } from "@aws-sdk/client-kinesis";

export const MAX_HASH_KEY = 2n ** 128n - 1n;

/** A record as stored: its bytes are the store's own copy. */
export interface StoredRecord {
  sequenceNumber: string;
  partitionKey: string;
  data: Uint8Array;
  /** Arrival time, epoch ms; never decreases within a store. */
  arrivedAt: number;
}

// Sequence numbers are "49", a store-wide counter (44 digits) and the shard's index (10 digits):
// 56 digits like AWS's, so equal-length strings compare as their numbers do, they rise across the
// stream, and a number names the shard it came from.
const COUNTER_DIGITS = 44;
const SHARD_DIGITS = 10;
const SEQUENCE = /^49\d{54}$/;

export function sequenceNumber(counter: number, shardIndex: number): string {
  return `49${String(counter).padStart(COUNTER_DIGITS, "0")}${String(shardIndex).padStart(SHARD_DIGITS, "0")}`;
}

/** The shard index a sequence number of this store encodes, or undefined for a foreign one. */
export function shardIndexOf(sequence: string): number | undefined {
  return SEQUENCE.test(sequence) ? Number(sequence.slice(-SHARD_DIGITS)) : undefined;
}

export function shardIdOf(index: number): string {
  return `shardId-${String(index).padStart(12, "0")}`;
}

/** A 128-bit key as 32 hex digits: equal-length strings compare as the numbers do, without BigInt per record. */
export function hashHex(key: bigint): string {
  return key.toString(16).padStart(32, "0");
}

// Partition keys repeat (a resource, a metric), and MD5 is most of the cost of routing a record.
const hashCache = new Map<string, string>();
const HASH_CACHE_SIZE = 65_536;
// crypto.hash (Node >= 20.12) is the one-shot form, twice as fast as createHash.
const md5Hex: (text: string) => string =
  typeof cryptoHash === "function" ? (text) => cryptoHash("md5", text, "hex") : (text) => createHash("md5").update(text, "utf8").digest("hex");

/** Kinesis's hash of a partition key: its MD5 (of the UTF-8 bytes) as a 128-bit unsigned big-endian integer. */
export function partitionKeyHashHex(partitionKey: string): string {
  let hex = hashCache.get(partitionKey);
  if (hex === undefined) {
    if (hashCache.size >= HASH_CACHE_SIZE) hashCache.clear();
    hex = md5Hex(partitionKey);
    hashCache.set(partitionKey, hex);
  }
  return hex;
}

export class MemoryShard {
  readonly id: string;
  readonly records: StoredRecord[] = [];
  readonly startHex: string;
  readonly endHex: string;
  endingSequenceNumber: string | undefined;
  /** When the shard was split (epoch ms), for ListShards' timestamp filters. */
  closedAt: number | undefined;

  constructor(
    readonly index: number,
    readonly startHash: bigint,
    readonly endHash: bigint,
    readonly startingSequenceNumber: string,
    readonly createdAt: number,
    readonly parentShardIds: readonly string[] = [],
  ) {
    this.id = shardIdOf(index);
    this.startHex = hashHex(startHash);
    this.endHex = hashHex(endHash);
  }

  get closed(): boolean {
    return this.endingSequenceNumber !== undefined;
  }

  /** The index of the first record at (or, with `after`, past) `sequence`. */
  positionOf(sequence: string, after: boolean): number {
    return this.search((record) => (after ? record.sequenceNumber <= sequence : record.sequenceNumber < sequence));
  }

  /** The index of the first record that arrived at or after `ms`. */
  positionAt(ms: number): number {
    return this.search((record) => record.arrivedAt < ms);
  }

  describe(): Shard {
    const [parent, adjacent] = this.parentShardIds;
    return {
      ShardId: this.id,
      ...(parent === undefined ? {} : { ParentShardId: parent }),
      ...(adjacent === undefined ? {} : { AdjacentParentShardId: adjacent }),
      HashKeyRange: { StartingHashKey: this.startHash.toString(), EndingHashKey: this.endHash.toString() },
      SequenceNumberRange: {
        StartingSequenceNumber: this.startingSequenceNumber,
        ...(this.endingSequenceNumber === undefined ? {} : { EndingSequenceNumber: this.endingSequenceNumber }),
      },
    };
  }

  /** Binary search: the first index whose record is not `before` (records are in sequence order). */
  private search(before: (record: StoredRecord) => boolean): number {
    let low = 0;
    let high = this.records.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (before(this.records[middle] as StoredRecord)) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}

/** Splits the hash-key space into `count` equal ranges, the last taking the remainder, as CreateStream does. */
export function evenRanges(count: number): Array<[bigint, bigint]> {
  const size = (MAX_HASH_KEY + 1n) / BigInt(count);
  return Array.from({ length: count }, (_, i) => {
    const start = size * BigInt(i);
    return [start, i === count - 1 ? MAX_HASH_KEY : start + size - 1n];
  });
}
