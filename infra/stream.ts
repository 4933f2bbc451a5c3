/** Metric records (CloudWatch Metric Streams JSON, or the same shape from any agent), partitioned by series id. */
export const metricsStream = new sst.aws.KinesisStream("MetricsStream");
