import { PutRecordsCommand, type KinesisClient } from "@aws-sdk/client-kinesis";
import { putBatches, type Sized } from "../../core/metrics/put-batches";

/** How hard to try before giving an entry up. */
export interface PutRecordsOptions {
  /** Attempts per call, the first included. */
  maxAttempts?: number;
  baseDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** An entry Kinesis still refused after every attempt, with its last error. */
export interface FailedRecord<T> {
  entry: T;
  errorCode: string;
  errorMessage: string;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Writes records to a stream with PutRecords (500 records / 5 MiB per call, one call at a time so a
 * partition key's records are sequenced in order). Entries Kinesis reports as failed (throttling,
 * internal errors), or a whole call that throws after the SDK's own retries, are retried with
 * exponential backoff and jitter; what still fails is returned, never dropped silently.
 */
export async function putRecords<T extends Sized>(
  client: KinesisClient,
  streamName: string,
  entries: readonly T[],
  { maxAttempts = 5, baseDelayMs = 100, sleep = defaultSleep }: PutRecordsOptions = {},
): Promise<{ failed: FailedRecord<T>[]; calls: number }> {
  const failed: FailedRecord<T>[] = [];
  let calls = 0;
  for (const batch of putBatches(entries)) {
    let pending: FailedRecord<T>[] = batch.map((entry) => ({ entry, errorCode: "", errorMessage: "" }));
    for (let attempt = 1; pending.length > 0 && attempt <= maxAttempts; attempt++) {
      if (attempt > 1) await sleep(baseDelayMs * 2 ** (attempt - 2) * (0.5 + Math.random()));
      calls++;
      try {
        const out = await client.send(
          new PutRecordsCommand({
            StreamName: streamName,
            Records: pending.map(({ entry }) => ({ PartitionKey: entry.partitionKey, Data: Buffer.from(entry.data) })),
          }),
        );
        // Results are positional: the i-th result belongs to the i-th record sent.
        pending = pending.flatMap(({ entry }, i) => {
          const result = out.Records?.[i];
          if (result?.SequenceNumber !== undefined && result.ErrorCode === undefined) return [];
          return [{ entry, errorCode: result?.ErrorCode ?? "MissingResult", errorMessage: result?.ErrorMessage ?? "" }];
        });
      } catch (error) {
        const { name, message } = error as Error;
        pending = pending.map(({ entry }) => ({ entry, errorCode: name, errorMessage: message }));
      }
    }
    failed.push(...pending);
  }
  return { failed, calls };
}
