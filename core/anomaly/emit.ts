import { createHash } from "node:crypto";
import type { AnomalyFinding } from "./batch";

/** A UUID-shaped id derived from its inputs: the same anomaly always gets the same id. */
export function deterministicId(...parts: string[]): string {
  const h = createHash("sha256").update(parts.join("\u0000")).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const num = (x: number) => (Math.abs(x) >= 1e5 || (x !== 0 && Math.abs(x) < 1e-3) ? x.toExponential(3) : String(+x.toFixed(3)));

/** A CloudWatch console link that graphs the series. */
function consoleLink(f: AnomalyFinding): string {
  const { region, namespace, metricName, dimensions } = f.key;
  const metric = [namespace, metricName, ...Object.entries(dimensions).flat()];
  const graph = encodeURIComponent(JSON.stringify({ metrics: [metric], region, stat: "Average", period: 60 }));
  return `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#metricsV2?graph=${graph}`;
}

/**
 * The `Anomaly Detected` detail for a finding. Its `eventId` is derived from the series and the
 * point's time, so a re-emission after a redelivery is recognisably the same event.
 */
export function anomalyDetail(finding: AnomalyFinding) {
  const { key } = finding;
  const dims = Object.entries(key.dimensions)
    .map(([k, v]) => `${k}=${v}`)
    .join(",");
  const at = new Date(finding.timestamp).toISOString();
  const summary = `${key.namespace} ${key.metricName}${dims ? ` (${dims})` : ""} = ${num(finding.value)}, expected ${num(finding.expected.low)}–${num(finding.expected.high)}: ${finding.reason}`;
  return {
    schemaVersion: "1" as const,
    id: `anomaly-${deterministicId(finding.seriesId, String(finding.timestamp)).slice(0, 18)}`,
    eventId: deterministicId("Anomaly Detected", finding.seriesId, String(finding.timestamp)),
    severity: finding.score >= 0.99 ? ("error" as const) : ("warning" as const),
    summary: summary.replace(/[\r\n]+/g, " ").slice(0, 1024),
    dedupKey: `anomaly:${finding.seriesId}`.slice(0, 255),
    occurredAt: at,
    links: [{ href: consoleLink(finding), text: "Graph in CloudWatch" }],
    anomaly: {
      seriesId: finding.seriesId,
      namespace: key.namespace,
      metricName: key.metricName,
      dimensions: key.dimensions,
      account: key.account,
      region: key.region,
      timestamp: at,
      value: finding.value,
      score: finding.score,
      expected: finding.expected,
      reason: finding.reason,
    },
  };
}
