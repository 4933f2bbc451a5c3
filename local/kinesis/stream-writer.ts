import { PutRecordsCommand, type KinesisClient, type PutRecordsRequestEntry } from "@aws-sdk/client-kinesis";

/** PutRecords limits: 500 records and 5 MB per call. */
const MAX_RECORDS = 500;
const MAX_BYTES = 5 * 1024 * 1024;

/** Kinesis refused records after every retry: the flush fails rather than dropping them. */
export class StreamWriteError extends Error {
  override readonly name = "StreamWriteError";
  readonly code = "local.stream_write_failed";
}

/**
 * The local EventBridge's Kinesis target: records are buffered as the bus routes events and written with
 * PutRecords (500 per call) when the runtime settles, as EventBridge batches its
 * own target writes. Per-shard order is kept: records of one partition key go out in the order added.
 */
export class BufferedStreamWriter {
  private buffer: PutRecordsRequestEntry[] = [];
  /** Shards that took records since the last `takeWrittenShards()`. */
  private written = new Set<string>();

  constructor(
    private readonly client: Pick<KinesisClient, "send">,
    readonly streamName: string,
  ) {}

  /** Records waiting for the next flush. */
  get pending(): number {
    return this.buffer.length;
  }

  /** The shards written to since the last call (from PutRecords' answers), and forgets them. */
  takeWrittenShards(): Set<string> {
    const shards = this.written;
    this.written = new Set();
    return shards;
  }

  add(partitionKey: string, data: string): void {
    this.buffer.push({ PartitionKey: partitionKey.slice(0, 256) || "-", Data: Buffer.from(data) });
  }

  /** Writes every buffered record; failed records are retried in order. Returns how many were written. */
  async flush(): Promise<number> {
    const records = this.buffer;
    this.buffer = [];
    const calls: PutRecordsRequestEntry[][] = [];
    let current: PutRecordsRequestEntry[] = [];
    let bytes = 0;
    for (const r of records) {
      const size = (r.Data?.length ?? 0) + (r.PartitionKey?.length ?? 0);
      if (current.length === MAX_RECORDS || bytes + size > MAX_BYTES) {
        calls.push(current);
        current = [];
        bytes = 0;
      }
      current.push(r);
      bytes += size;
    }
    if (current.length > 0) calls.push(current);
    // One call at a time: concurrent calls could sequence a partition key's later records first.
    for (const call of calls) await this.put(call);
    return records.length;
  }

  private async put(records: PutRecordsRequestEntry[]): Promise<void> {
    let pending = records;
    for (let attempt = 1; attempt <= 5 && pending.length > 0; attempt++) {
      const out = await this.client.send(new PutRecordsCommand({ StreamName: this.streamName, Records: pending }));
      for (const result of out.Records ?? []) if (result.ShardId !== undefined && result.ErrorCode === undefined) this.written.add(result.ShardId);
      if (!out.FailedRecordCount) return;
      pending = pending.filter((_, i) => out.Records?.[i]?.ErrorCode !== undefined);
    }
    if (pending.length > 0) throw new StreamWriteError(`local Kinesis refused ${pending.length} record(s) on ${this.streamName}`);
  }
}
