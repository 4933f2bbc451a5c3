/**
 * Every Kinesis mapping in the app: partial failures reported per record (the handlers use Powertools'
 * BatchProcessor), a failing batch bisected to isolate a poison record, bounded retries and record age so
 * one record never blocks its shard, and what was given up on reported to the on-failure queue.
 */
export const STREAM_MAPPING = {
  startingPosition: "TRIM_HORIZON",
  batchSize: 100,
  maximumBatchingWindowInSeconds: 5,
  functionResponseTypes: ["ReportBatchItemFailures"],
  bisectBatchOnFunctionError: true,
  maximumRetryAttempts: 10,
  maximumRecordAgeInSeconds: 6 * 3600,
} as const;

/** Alerts wait for grouping windows of seconds: a shorter batching window than metrics. */
export const ALERT_STREAM_MAPPING = { ...STREAM_MAPPING, maximumBatchingWindowInSeconds: 1 } as const;
