import { DescribeStreamSummaryCommand, ListShardsCommand, type KinesisClient } from "@aws-sdk/client-kinesis";
import type { StreamIdentity } from "./lambda-event";

/** A shard and the shards it was split or merged from. */
export interface ShardDescription {
  shardId: string;
  parentShardIds: string[];
  /** The shard has an ending sequence number: it was split or merged and takes no new records. */
  closed: boolean;
}

/** Every shard of the stream (open and closed), following ListShards pages, in shard-id order. */
export async function listShards(client: Pick<KinesisClient, "send">, streamName: string): Promise<ShardDescription[]> {
  const shards: ShardDescription[] = [];
  let nextToken: string | undefined;
  do {
    // ListShards rejects StreamName together with NextToken.
    const page = await client.send(new ListShardsCommand(nextToken ? { NextToken: nextToken } : { StreamName: streamName }));
    for (const shard of page.Shards ?? []) {
      if (!shard.ShardId) continue;
      const parents = [shard.ParentShardId, shard.AdjacentParentShardId].filter((id): id is string => Boolean(id));
      shards.push({ shardId: shard.ShardId, parentShardIds: parents, closed: shard.SequenceNumberRange?.EndingSequenceNumber !== undefined });
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return shards.sort((a, b) => a.shardId.localeCompare(b.shardId));
}

/**
 * The stream's ARN and what Lambda derives from it for each record: the region, the account,
 * and an execution-role ARN for `invokeIdentityArn`.
 */
export async function describeStream(client: Pick<KinesisClient, "send">, streamName: string, functionName: string): Promise<StreamIdentity> {
  const { StreamDescriptionSummary } = await client.send(new DescribeStreamSummaryCommand({ StreamName: streamName }));
  const streamArn = StreamDescriptionSummary?.StreamARN ?? "";
  // arn:aws:kinesis:<region>:<account>:stream/<name>
  const [, , , region = "", accountId = ""] = streamArn.split(":");
  return { streamArn, region, accountId, invokeIdentityArn: `arn:aws:iam::${accountId}:role/${functionName}-role` };
}
