/**
 * `npm run bench:anomaly [-- --json]`: what scoring costs. In one process, on the same points:
 * the detector alone, the decode of the Metric Streams records that carry them (base64, UTF-8,
 * line split and JSON.parse, done as the handler does it: the floor any consumer pays; the
 * handler's schema validation is not counted as decode), and the whole Kinesis handler against the local
 * runtime (decode, validation, state load/save in dynalite, publishing). Figures are per core:
 * Node runs a handler on one thread.
 */
import type { Context, KinesisStreamEvent } from "aws-lambda";
import { createDetector, detectorStateBytes, scorePoint } from "../core/anomaly";
import { defaultConfig } from "../core/config";
import { VirtualClock } from "../local/clock";
import { createLambdaContext } from "../local/kinesis/lambda-context";
import { startRuntime } from "../local/runtime";
import { kinesisEvent, kinesisRecord } from "../test/support/metric-records";
import { metricStreamLine, syntheticSeries } from "./lib/synthetic";

const json = process.argv.includes("--json");
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
const SERIES = 20;
const POINTS = 5_000;
const ROUNDS = 7;
const log = (line: string) => console.log(line);

const series = Array.from({ length: SERIES }, (_, k) => syntheticSeries(k + 1, POINTS));
const total = SERIES * POINTS;
// Metric Streams packs several series' points into one record; here ten lines per record.
const lines = series[0]!.flatMap((_, i) => series.map((s, k) => metricStreamLine(s[i]!, k)));
const records: string[] = [];
for (let i = 0; i < lines.length; i += 10) records.push(Buffer.from(lines.slice(i, i + 10).join("\n") + "\n").toString("base64"));

/** Process CPU time in ms: time spent descheduled by other processes' load does not count. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

function timeDetector(): number {
  const start = cpuMs();
  for (const points of series) {
    const state = createDetector();
    for (const p of points) scorePoint(state, p);
  }
  return cpuMs() - start;
}

function timeDecode(): number {
  let checksum = 0;
  const start = cpuMs();
  for (const r of records) {
    for (const line of Buffer.from(r, "base64").toString("utf8").split(/\r?\n/)) {
      if (line.trim() !== "") checksum += (JSON.parse(line) as { value: { sum: number } }).value.sum;
    }
  }
  if (!Number.isFinite(checksum)) throw new Error("decode checksum");
  return cpuMs() - start;
}

async function timeHandler(): Promise<number> {
  process.env.POWERTOOLS_LOG_LEVEL = "ERROR";
  const runtime = await startRuntime({ config: defaultConfig(), clock: new VirtualClock(0) });
  try {
    const { handler } = (await import("../functions/anomaly-scorer")) as unknown as {
      handler: (e: KinesisStreamEvent, c: Context) => Promise<unknown>;
    };
    const batch = 100;
    const start = performance.now();
    for (let i = 0; i < records.length; i += batch) {
      const event = kinesisEvent(records.slice(i, i + batch).map((data, j) => ({ ...kinesisRecord(i + j, []), kinesis: { ...kinesisRecord(i + j, []).kinesis, data } })));
      // One context per invocation, as Lambda gives: its deadline starts with the invocation.
      await handler(event, createLambdaContext({ functionName: "anomaly-scorer", region: "us-east-1", accountId: "123456789012", timeoutMs: 60_000 }));
    }
    const ms = performance.now() - start;
    await runtime.settle();
    return ms;
  } finally {
    await runtime.close();
  }
}

// Detector and decode alternate within each round and the ratio is taken per round, so both sides of a
// ratio ran under the same load; the median round is the figure reported.
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const rounds: { detector: number; decode: number }[] = [];
timeDetector(); // warm-up, not counted: the first round would time the JIT compiling the code
timeDecode();
for (let round = 0; round < ROUNDS; round++) rounds.push({ detector: timeDetector(), decode: timeDecode() });
const detectorMs = median(rounds.map((r) => r.detector));
const decodeMs = median(rounds.map((r) => r.decode));
const ratio = median(rounds.map((r) => r.detector / r.decode));
const handlerMs = await timeHandler();
const state = createDetector();
for (const p of series[0]!) scorePoint(state, p);

const perSecond = (ms: number) => Math.round(total / (ms / 1000));
const result = {
  pointsPerSecondDetector: perSecond(detectorMs),
  pointsPerSecondHandler: perSecond(handlerMs),
  decodePointsPerSecond: perSecond(decodeMs),
  scoringToDecodeRatio: +ratio.toFixed(3),
  stateBytesPerSeries: detectorStateBytes(state),
};
log(`${SERIES} series x ${POINTS} points, ${records.length} Kinesis records of 10 lines (detector and decode: CPU time, median of ${ROUNDS} alternating rounds)`);
log(`detector alone:          ${result.pointsPerSecondDetector.toLocaleString("en-US")} points/s per core (${((detectorMs * 1000) / total).toFixed(2)} us/point)`);
log(`decode (base64 + JSON):  ${result.decodePointsPerSecond.toLocaleString("en-US")} points/s per core (${((decodeMs * 1000) / total).toFixed(2)} us/point)`);
log(`scoring / decode:        ${result.scoringToDecodeRatio}x (median of the rounds' ratios; range ${Math.min(...rounds.map((r) => r.detector / r.decode)).toFixed(2)}-${Math.max(...rounds.map((r) => r.detector / r.decode)).toFixed(2)}; target <= 1.0x)`);
log(`Kinesis handler (local): ${result.pointsPerSecondHandler.toLocaleString("en-US")} points/s per core, batches of 100 records, state in dynalite`);
log(`state per series:        ${result.stateBytesPerSeries} bytes of JSON after ${POINTS} points (target <= 2048)`);
if (json) log(JSON.stringify(result));
