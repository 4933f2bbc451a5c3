import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  type KinesisClient,
  type _Record,
  type ShardIteratorType,
} from "@aws-sdk/client-kinesis";

/** GetRecords returns at most this many records per call. */
export const GET_RECORDS_LIMIT = 10_000;

/** The result of one GetRecords call. */
export interface FetchResult {
  fetched: number;
  /** True when the shard has nothing newer than what was read. */
  caughtUp: boolean;
}

/**
 * Reads one shard in order and holds the records read but not yet checkpointed. The head of the
 * buffer is the shard's checkpoint: a failed batch stays in the buffer and is delivered again.
 */
export class ShardReader {
  /** Records read and not yet checkpointed, oldest first. */
  readonly buffer: _Record[] = [];
  /** When the buffer last went from empty to non-empty (for the batching window). */
  bufferedSince = 0;
  /** True once the shard is closed (resharded) and every record in it has been read. */
  closed = false;
  /**
   * True when the last shard listing showed the shard closed: a short read then proves nothing, since
   * only the read that returns no next iterator finds its end (and, with it, the children to read).
   */
  listedClosed = false;
  private iterator: string | undefined;
  private lastReadSequence: string | undefined;

  constructor(
    private readonly client: Pick<KinesisClient, "send">,
    private readonly streamName: string,
    readonly shardId: string,
    private readonly startingPosition: Extract<ShardIteratorType, "TRIM_HORIZON" | "LATEST">,
  ) {}

  /** True once the shard is closed and every record read from it has been checkpointed. */
  get exhausted(): boolean {
    return this.closed && this.buffer.length === 0;
  }

  /** Takes a shard iterator now, so that `LATEST` means the tip at this moment. */
  async open(): Promise<void> {
    if (this.iterator === undefined && !this.closed) this.iterator = await this.freshIterator();
  }

  /** Reads up to `limit` more records into the buffer with one GetRecords call. */
  async fetch(limit: number): Promise<FetchResult> {
    if (this.closed) return { fetched: 0, caughtUp: true };
    await this.open();
    const requested = Math.min(Math.max(1, limit), GET_RECORDS_LIMIT);
    let response;
    try {
      response = await this.client.send(new GetRecordsCommand({ ShardIterator: this.iterator, Limit: requested }));
    } catch (error) {
      // Iterators expire after five minutes; resume right after the last record read.
      if ((error as { name?: string }).name !== "ExpiredIteratorException") throw error;
      this.iterator = await this.freshIterator();
      return { fetched: 0, caughtUp: false };
    }
    const records = response.Records ?? [];
    if (records.length > 0) {
      if (this.buffer.length === 0) this.bufferedSince = Date.now();
      this.buffer.push(...records);
      this.lastReadSequence = records[records.length - 1]?.SequenceNumber;
    }
    this.iterator = response.NextShardIterator;
    if (this.iterator === undefined) this.closed = true;
    // At the tip (MillisBehindLatest 0); kinesalite always says 0, so a full page may still have more behind it.
    const atTip = (response.MillisBehindLatest ?? 0) === 0 && (records.length === 0 || (records.length < requested && !this.listedClosed));
    return { fetched: records.length, caughtUp: atTip };
  }

  /** Drops the first `count` buffered records: they are done with (processed or given up on). */
  checkpoint(count: number): void {
    this.buffer.splice(0, count);
  }

  private async freshIterator(): Promise<string | undefined> {
    const position =
      this.lastReadSequence === undefined
        ? { ShardIteratorType: this.startingPosition }
        : { ShardIteratorType: "AFTER_SEQUENCE_NUMBER" as const, StartingSequenceNumber: this.lastReadSequence };
    const response = await this.client.send(
      new GetShardIteratorCommand({ StreamName: this.streamName, ShardId: this.shardId, ...position }),
    );
    return response.ShardIterator;
  }
}
