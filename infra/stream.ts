/** Metric records (CloudWatch Metric Streams JSON, or the same shape from any agent), partitioned by series id. */
export const metricsStream = new sst.aws.KinesisStream("MetricsStream");

/**
 * The alert-grouper's input: ops-bus rules put each alarm, finding or anomaly here, partitioned by
 * account, so one account's alerts are grouped in order by one shard and in batches.
 */
export const alertStream = new sst.aws.KinesisStream("AlertStream");

/** The partition key EventBridge takes from each event it puts on {@link alertStream}. */
export const ALERT_PARTITION_KEY_PATH = "$.account";
