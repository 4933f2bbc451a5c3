/**
 * Throughput of the anomaly detector alone, against the cost of decoding the
 * same number of CloudWatch Metric Streams JSON records (base64 + JSON.parse),
 * measured in the same process. Run: `npx tsx bench/anomaly-detector.ts`.
 */
import { createDetector, detectorStateBytes, scorePoint, type MetricPoint } from "../core/anomaly";

const SERIES = 8;
const POINTS = 20_000;
const ROUNDS = 3;

/** Deterministic daily-seasonal series with noise, a few spikes and a level shift. */
function syntheticSeries(seed: number, n: number): MetricPoint[] {
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

/** One Metric Streams JSON line (about 300 bytes), base64-encoded as Kinesis delivers it. */
function metricStreamRecord(p: MetricPoint, i: number): string {
  const line = JSON.stringify({
    metric_stream_name: "vigil-metrics",
    account_id: "123456789012",
    region: "eu-west-1",
    namespace: "AWS/EC2",
    metric_name: "CPUUtilization",
    dimensions: { InstanceId: `i-0abc${(i % 1000).toString().padStart(12, "0")}` },
    timestamp: p.timestamp,
    value: { max: p.value, min: p.value * 0.9, sum: p.value * 3, count: 3 },
    unit: "Percent",
  });
  return Buffer.from(`${line}\n`).toString("base64");
}

function timeDetector(series: MetricPoint[][]): number {
  const start = performance.now();
  for (const points of series) {
    const state = createDetector();
    for (const p of points) scorePoint(state, p);
  }
  return performance.now() - start;
}

function timeDecode(records: string[]): { ms: number; checksum: number } {
  let checksum = 0;
  const start = performance.now();
  for (const r of records) {
    const parsed = JSON.parse(Buffer.from(r, "base64").toString("utf8")) as { value: { sum: number } };
    checksum += parsed.value.sum;
  }
  return { ms: performance.now() - start, checksum };
}

const series = Array.from({ length: SERIES }, (_, k) => syntheticSeries(k + 1, POINTS));
const records = series.flat().map(metricStreamRecord);
const total = SERIES * POINTS;
const avgRecordBytes = Buffer.from(records[0] ?? "", "base64").length;

let bestDetector = Infinity;
let bestDecode = Infinity;
for (let round = 0; round < ROUNDS; round++) {
  bestDetector = Math.min(bestDetector, timeDetector(series));
  bestDecode = Math.min(bestDecode, timeDecode(records).ms);
}
const state = createDetector();
for (const p of series[0] ?? []) scorePoint(state, p);

const usDetector = (bestDetector * 1000) / total;
const usDecode = (bestDecode * 1000) / total;
console.log(`points: ${SERIES} series x ${POINTS} (best of ${ROUNDS} rounds)`);
console.log(`detector: ${usDetector.toFixed(2)} us/point, ${Math.round(total / (bestDetector / 1000)).toLocaleString()} points/s`);
console.log(`decode (${avgRecordBytes}-byte Metric Streams line, base64 + JSON.parse): ${usDecode.toFixed(2)} us/point`);
console.log(`ratio detector/decode: ${(usDetector / usDecode).toFixed(2)}x (budget 1.0x)`);
console.log(`state after ${POINTS} points: ${detectorStateBytes(state)} bytes of JSON (budget 2048)`);
