import { ALERT_STREAM_SHARDS } from "./stream-settings";

/** Metric records (CloudWatch Metric Streams JSON, or the same shape from any agent), partitioned by series id. */
export const metricsStream = new sst.aws.KinesisStream("MetricsStream");

/**
 * The alert-grouper's input: ops-bus rules put each alarm, finding or anomaly here, keyed by the account the
 * alert is grouped under (events/patterns.ts `alertGrouperRoutes`). Provisioned with `ALERT_STREAM_SHARDS`
 * (one) instead of SST's on-demand default (which starts at four shards), so the alerts of a correlation
 * scope spanning several accounts arrive in one order.
 */
export const alertStream = new sst.aws.KinesisStream("AlertStream", {
  transform: { stream: { streamModeDetails: { streamMode: "PROVISIONED" }, shardCount: ALERT_STREAM_SHARDS } },
});
