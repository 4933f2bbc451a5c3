import type { ShardFilterType } from "@aws-sdk/client-kinesis";
import { enumMember, kinesisError, SHARD_ID, stringMember } from "./memory-errors";
import type { MemoryShard } from "./memory-shard";

const FILTER_TYPES = ["AFTER_SHARD_ID", "AT_TRIM_HORIZON", "FROM_TRIM_HORIZON", "AT_LATEST", "AT_TIMESTAMP", "FROM_TIMESTAMP"] as const;

/** What a ListShards page selects; plain JSON, so a NextToken can carry it. */
export interface ListShardsState {
  /** Only shard ids after this one (the exclusive start, or the previous page's last). */
  after?: string | undefined;
  filter?: { type: ShardFilterType; shardId?: string; at?: number } | undefined;
}

/** Checks a ListShards `ShardFilter`. */
export function shardFilter(value: unknown): ListShardsState["filter"] {
  if (value === undefined || value === null) return undefined;
  const input = value as { Type?: unknown; ShardId?: unknown; Timestamp?: unknown };
  const type = enumMember(input.Type, "shardFilter.type", FILTER_TYPES, true) as ShardFilterType;
  if (type === "AFTER_SHARD_ID") {
    const shardId = stringMember(input.ShardId, "shardFilter.shardId", { min: 1, max: 128, pattern: SHARD_ID });
    if (shardId === undefined) throw kinesisError("InvalidArgumentException", "ShardFilter of type AFTER_SHARD_ID requires a ShardId.");
    return { type, shardId };
  }
  if (type === "AT_TIMESTAMP" || type === "FROM_TIMESTAMP") {
    if (!(input.Timestamp instanceof Date) || Number.isNaN(input.Timestamp.getTime())) {
      throw kinesisError("InvalidArgumentException", `ShardFilter of type ${type} requires a Timestamp.`);
    }
    return { type, at: input.Timestamp.getTime() };
  }
  return { type };
}

/**
 * The shards a page may list, in shard-id order. Nothing is ever trimmed here, so the trim
 * horizon is the stream's creation: the shards open then are those without parents.
 */
export function selectShards(shards: readonly MemoryShard[], { after, filter }: ListShardsState): MemoryShard[] {
  const openAt = (shard: MemoryShard, at: number) => shard.createdAt <= at && (shard.closedAt === undefined || shard.closedAt > at);
  const keep = (shard: MemoryShard): boolean => {
    if (after !== undefined && shard.id <= after) return false;
    switch (filter?.type) {
      case "AFTER_SHARD_ID":
        return shard.id > (filter.shardId ?? "");
      case "AT_TRIM_HORIZON":
        return shard.parentShardIds.length === 0;
      case "AT_LATEST":
        return !shard.closed;
      case "AT_TIMESTAMP":
        return openAt(shard, filter.at ?? 0);
      case "FROM_TIMESTAMP":
        return shard.closedAt === undefined || shard.closedAt > (filter.at ?? 0);
      default:
        return true;
    }
  };
  return shards.filter(keep);
}
