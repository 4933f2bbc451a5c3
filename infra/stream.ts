/** Metric records (CloudWatch Metric Streams JSON, or the same shape from any agent), partitioned by series id. */
export const metricsStream = new sst.aws.KinesisStream("MetricsStream");

/**
 * The alert-grouper's input: ops-bus rules put each alarm, finding or anomaly here, partitioned by the
 * account the alert is grouped under (events/patterns.ts `alertGrouperRoutes`), so one account's alerts are
 * grouped in order by one shard and in batches.
 */
export const alertStream = new sst.aws.KinesisStream("AlertStream");
