/** One include filter of the CloudWatch Metric Stream: a namespace, all of it or only some metrics. */
export interface MetricStreamFilter {
  namespace: string;
  metricNames?: string[];
}

/**
 * Replication metrics the disaster-recovery watch reads (core/replication/signal-metric): streamed
 * whatever the config includes, since without them a protected resource can only go stale.
 */
export const REPLICATION_METRICS: readonly Required<MetricStreamFilter>[] = [
  { namespace: "AWS/S3", metricNames: ["ReplicationLatency", "BytesPendingReplication", "OperationsPendingReplication", "OperationsFailedReplication"] },
  { namespace: "AWS/DynamoDB", metricNames: ["ReplicationLatency"] },
];

/** What the metric stream includes when the config says nothing: the usual serverless and data tiers. */
export const DEFAULT_METRIC_STREAM_INCLUDE: readonly MetricStreamFilter[] = [
  { namespace: "AWS/ApplicationELB" },
  { namespace: "AWS/Lambda" },
  { namespace: "AWS/RDS" },
  { namespace: "AWS/DynamoDB" },
  { namespace: "AWS/S3", metricNames: [...REPLICATION_METRICS[0]!.metricNames] },
];

/**
 * The stream's include filters: one per namespace (CloudWatch refuses a namespace twice), the configured
 * ones merged with {@link REPLICATION_METRICS}. A namespace included whole stays whole; metric lists are
 * united, in first-seen order.
 *
 * @param include - the config's `metricStream.include`
 */
export function metricStreamIncludeFilters(include: readonly MetricStreamFilter[]): MetricStreamFilter[] {
  const merged = new Map<string, Set<string> | "all">();
  for (const { namespace, metricNames } of [...include, ...REPLICATION_METRICS]) {
    const seen = merged.get(namespace);
    if (seen === "all") continue;
    if (metricNames === undefined || metricNames.length === 0) merged.set(namespace, "all");
    else merged.set(namespace, new Set([...(seen ?? []), ...metricNames]));
  }
  return [...merged].map(([namespace, names]) => (names === "all" ? { namespace } : { namespace, metricNames: [...names] }));
}
