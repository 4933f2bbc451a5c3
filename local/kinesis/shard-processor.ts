import type { _Record } from "@aws-sdk/client-kinesis";
import type { BatchOutcome } from "./batch-response";
import { BatchItemFailureError } from "./errors";
import type { ShardReader } from "./shard-reader";

/** Lambda's limit on a synchronous invocation's payload. */
export const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;
/** What a record adds to the event besides its data and partition key (keys, ARNs, ids). */
const RECORD_ENVELOPE_BYTES = 512;

/** The batch that exhausted its retries, as Lambda's on-failure destination describes it. */
export interface BatchFailureInfo {
  shardId: string;
  startSequenceNumber: string;
  endSequenceNumber: string;
  approximateArrivalOfFirstRecord: string;
  approximateArrivalOfLastRecord: string;
  batchSize: number;
  streamArn: string;
  condition: "RetryAttemptsExhausted";
  approximateInvokeCount: number;
  /** The last error: what the handler threw, or which record it reported as failed. */
  error: Error;
}

export interface ShardProcessorSettings {
  batchSize: number;
  /** -1 retries forever, as on AWS. */
  maximumRetryAttempts: number;
  bisectBatchOnFunctionError: boolean;
  streamArn: string;
}

/** What one invocation did to the shard's records. */
export interface BatchResult {
  /** Records passed to the handler. */
  delivered: number;
  /** Records the shard moved past: processed, or given up on after their retries. */
  checkpointed: number;
  /** Records given up on (reported to the on-failure destination). */
  failed: number;
}

/**
 * Lambda's checkpoint and retry logic for one shard: one batch at a time from the reader's
 * buffer, success checkpoints the batch, a partial failure checkpoints just before the lowest
 * failed record, an error retries the batch (split in two first when bisecting, which uses no
 * retry attempt), and a batch out of retries is reported and skipped.
 */
export class ShardProcessor {
  /** Sizes of the next batches while a failed batch is being bisected or partially retried. */
  private plannedSizes: number[] = [];
  /** Failed invocations, counted against the retry quota, of the batch at the checkpoint. */
  private failures = 0;
  private invocationsAtCheckpoint = 0;

  constructor(
    readonly reader: ShardReader,
    private readonly settings: ShardProcessorSettings,
    private readonly invoke: (records: _Record[]) => Promise<BatchOutcome>,
    private readonly giveUp: (info: BatchFailureInfo) => Promise<void>,
  ) {}

  /** How many records the next batch holds at most. */
  nextBatchLimit(): number {
    return this.plannedSizes[0] ?? this.settings.batchSize;
  }

  /** Invokes the handler with the next batch from the reader's buffer, which must not be empty. */
  async processNextBatch(): Promise<BatchResult> {
    const batch = this.takeBatch();
    const outcome = await this.invoke(batch);
    this.invocationsAtCheckpoint += 1;
    if (outcome.kind === "success") {
      this.settle(batch.length);
      return { delivered: batch.length, checkpointed: batch.length, failed: 0 };
    }
    if (outcome.kind === "partial") {
      const { failedIndex } = outcome;
      this.reader.checkpoint(failedIndex);
      if (failedIndex > 0) this.invocationsAtCheckpoint = 1;
      this.failures = failedIndex > 0 ? 1 : this.failures + 1;
      // With bisection on, Lambda splits at the failed record and retries only the rest of the batch.
      if (this.settings.bisectBatchOnFunctionError) {
        this.plannedSizes.splice(0, this.plannedSizes.length > 0 ? 1 : 0, batch.length - failedIndex);
      }
      const remaining = batch.slice(failedIndex);
      const failedSequence = remaining[0]?.SequenceNumber ?? "";
      const given = await this.giveUpIfExhausted(remaining, new BatchItemFailureError(this.reader.shardId, failedSequence));
      return { delivered: batch.length, checkpointed: failedIndex + given, failed: given };
    }
    if (this.settings.bisectBatchOnFunctionError && batch.length > 1) {
      const half = Math.ceil(batch.length / 2);
      this.plannedSizes.splice(0, this.plannedSizes.length > 0 ? 1 : 0, half, batch.length - half);
      return { delivered: batch.length, checkpointed: 0, failed: 0 };
    }
    this.failures += 1;
    const given = await this.giveUpIfExhausted(batch, outcome.error);
    return { delivered: batch.length, checkpointed: given, failed: given };
  }

  private takeBatch(): _Record[] {
    const candidates = this.reader.buffer.slice(0, this.nextBatchLimit());
    const batch: _Record[] = [];
    let bytes = 0;
    for (const record of candidates) {
      const size = Math.ceil((record.Data?.length ?? 0) / 3) * 4 + (record.PartitionKey?.length ?? 0) + RECORD_ENVELOPE_BYTES;
      if (batch.length > 0 && bytes + size > MAX_PAYLOAD_BYTES) break;
      batch.push(record);
      bytes += size;
    }
    return batch;
  }

  private settle(count: number): void {
    this.reader.checkpoint(count);
    this.plannedSizes.shift();
    this.failures = 0;
    this.invocationsAtCheckpoint = 0;
  }

  /** Reports and skips `records` once the retry quota is used up; returns how many were skipped. */
  private async giveUpIfExhausted(records: _Record[], error: Error): Promise<number> {
    const { maximumRetryAttempts } = this.settings;
    if (maximumRetryAttempts < 0 || this.failures <= maximumRetryAttempts) return 0;
    const first = records[0];
    const last = records[records.length - 1];
    const info: BatchFailureInfo = {
      shardId: this.reader.shardId,
      startSequenceNumber: first?.SequenceNumber ?? "",
      endSequenceNumber: last?.SequenceNumber ?? "",
      approximateArrivalOfFirstRecord: first?.ApproximateArrivalTimestamp?.toISOString() ?? "",
      approximateArrivalOfLastRecord: last?.ApproximateArrivalTimestamp?.toISOString() ?? "",
      batchSize: records.length,
      streamArn: this.settings.streamArn,
      condition: "RetryAttemptsExhausted",
      approximateInvokeCount: this.invocationsAtCheckpoint,
      error,
    };
    this.settle(records.length);
    await this.giveUp(info);
    return records.length;
  }
}
