import { createHash } from "node:crypto";

/** What identifies a metric series, as CloudWatch Metric Streams records name it. */
export interface SeriesKey {
  account: string;
  region: string;
  namespace: string;
  metricName: string;
  dimensions: Record<string, string>;
}

/** DynamoDB keys stay well under their 2 KB limit; longer ids keep a readable head and a hash. */
const MAX_ID_LENGTH = 512;

/**
 * The stable id of a series: account, region, namespace, metric name and dimensions sorted by
 * name, readable in logs and keys (`123456789012/us-east-1/AWS/EC2/CPUUtilization/InstanceId=i-1`).
 * Dimension order in the record never changes the id.
 */
export function seriesIdOf(key: SeriesKey): string {
  const dims = Object.keys(key.dimensions)
    .sort()
    .map((name) => `${name}=${key.dimensions[name]}`)
    .join(",");
  const id = `${key.account}/${key.region}/${key.namespace}/${key.metricName}${dims ? `/${dims}` : ""}`;
  if (id.length <= MAX_ID_LENGTH) return id;
  const hash = createHash("sha256").update(id).digest("hex").slice(0, 32);
  return `${id.slice(0, MAX_ID_LENGTH - 34)}#${hash}`;
}
