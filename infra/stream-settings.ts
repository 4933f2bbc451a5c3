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

/**
 * Alerts wait for grouping windows of seconds: a shorter batching window than metrics. One batch at a time
 * per shard (`parallelizationFactor` 1), so a correlation scope's alerts are grouped in stream order.
 */
export const ALERT_STREAM_MAPPING = { ...STREAM_MAPPING, maximumBatchingWindowInSeconds: 1, parallelizationFactor: 1 } as const;

/**
 * Shards of the alert stream (provisioned). One, so every alert reaches the grouper in one total order: a
 * correlation scope spans the accounts the topology links, but EventBridge keys a record by one JSON path
 * (the alert's account), so with several shards a group's accounts could land on different shards and be
 * read up to a batching window apart. One shard takes 1,000 records/s and 1 MB/s; the largest generated
 * storm peaks at 44 events a minute (about 3 KB each). Raise it only with that skew in mind
 * (docs/grouping-throughput.md, "Partitioning").
 */
export const ALERT_STREAM_SHARDS = 1;
