import type { MetricPoint } from "../../core/anomaly";

/** Deterministic daily-seasonal series (5-minute points) with noise, rare spikes and a level shift. */
export function syntheticSeries(seed: number, n: number): MetricPoint[] {
  let s = seed >>> 0;
  const rand = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  const start = Date.UTC(2024, 0, 1);
  const out: MetricPoint[] = [];
  for (let i = 0; i < n; i++) {
    const daily = 20 * Math.sin((2 * Math.PI * i) / 288);
    const shift = i > n * 0.7 ? 15 : 0;
    const spike = rand() < 0.002 ? 80 : 0;
    out.push({ timestamp: start + i * 300_000, value: 50 + daily + shift + spike + 5 * (rand() - 0.5) });
  }
  return out;
}

/** One Metric Streams JSON line (about 300 bytes) for a point of series `k`. */
export function metricStreamLine(p: MetricPoint, k: number): string {
  return JSON.stringify({
    metric_stream_name: "vigil-metrics",
    account_id: "123456789012",
    region: "eu-west-1",
    namespace: "AWS/EC2",
    metric_name: "CPUUtilization",
    dimensions: { InstanceId: `i-0abc${k.toString().padStart(12, "0")}` },
    timestamp: p.timestamp,
    value: { max: p.value, min: p.value * 0.9, sum: p.value * 3, count: 3 },
    unit: "Percent",
  });
}
