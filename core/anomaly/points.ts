import type { MetricStreamDatum } from "../../events/inbound/metric-stream";
import type { SeriesPoint } from "./batch";
import { seriesIdOf } from "./series-id";

/**
 * The point a Metric Streams datum contributes: its period's average (sum / count), which is
 * what CloudWatch graphs by default. A datum with no samples, or whose account is not an AWS
 * account id, is refused with a reason.
 */
export function pointFromDatum(datum: MetricStreamDatum): SeriesPoint | { skipped: string } {
  const { sum, count } = datum.value;
  if (!(count > 0)) return { skipped: `no samples in the period (count ${count})` };
  if (!/^\d{12}$/.test(datum.account_id)) return { skipped: `account_id "${datum.account_id}" is not a 12-digit AWS account id` };
  const key = {
    account: datum.account_id,
    region: datum.region,
    namespace: datum.namespace,
    metricName: datum.metric_name,
    dimensions: datum.dimensions,
  };
  return { seriesId: seriesIdOf(key), key, timestamp: datum.timestamp, value: sum / count };
}
