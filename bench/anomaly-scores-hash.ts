/**
 * `npx tsx bench/anomaly-scores-hash.ts [--per-file]`: a fingerprint of the detector's exact output.
 * Scores every NAB file under ../shared/nab (when present) and synthetic series with the default
 * configuration and with a few other shapes, and prints a SHA-256 of every verdict (score, expected
 * range, reason, anomalous flag, or skip reason) in order. A speed change must leave it identical.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { createDetector, scorePoint, type DetectorConfig, type MetricPoint } from "../core/anomaly";
import { parseTimestamp } from "../local/score";
import { syntheticSeries } from "./lib/synthetic";

const perFile = process.argv.includes("--per-file");
const nabData = path.resolve(process.cwd(), "../shared/nab/data");

/** Other shapes than the default, so every code path of the forest and novelty is covered. */
const CONFIGS: Partial<DetectorConfig>[] = [
  {},
  { shingleSize: 1, trees: 3, sampleSize: 8, warmup: 10 },
  { shingleSize: 6, trees: 2, sampleSize: 40, timeDecay: 0.01, contextWeight: 0.5, warmup: 20, seed: 3 },
];

function csvPoints(file: string): MetricPoint[] {
  const lines = readFileSync(file, "utf8").split(/\r?\n/).slice(1).filter((l) => l.trim() !== "");
  return lines.map((l) => {
    const [ts, v] = l.split(",");
    return { timestamp: parseTimestamp(ts ?? ""), value: Number(v) };
  });
}

/** Synthetic series plus one with bad points, duplicates, flat runs and huge values. */
function syntheticSets(): [string, MetricPoint[]][] {
  const rough = syntheticSeries(99, 3000).map((p, i): MetricPoint => {
    if (i % 211 === 5) return { timestamp: p.timestamp - 300_000, value: p.value };
    if (i % 307 === 9) return { timestamp: p.timestamp, value: Number.NaN };
    if (i > 1000 && i < 1300) return { timestamp: p.timestamp, value: 5 };
    if (i % 997 === 3) return { timestamp: p.timestamp, value: p.value * 1e7 + 0.123456789 };
    return p;
  });
  return [["synthetic-1", syntheticSeries(1, 5000)], ["synthetic-2", syntheticSeries(2, 5000)], ["synthetic-rough", rough]];
}

function nabSets(): [string, MetricPoint[]][] {
  if (!existsSync(nabData)) {
    console.log(`(no NAB data at ${nabData}: synthetic series only)`);
    return [];
  }
  const files: string[] = [];
  for (const dir of readdirSync(nabData).sort()) {
    for (const f of readdirSync(path.join(nabData, dir)).sort()) if (f.endsWith(".csv")) files.push(path.join(dir, f));
  }
  return files.map((f) => [f, csvPoints(path.join(nabData, f))]);
}

/** SHA-256 of one series' verdicts under one configuration. */
export function verdictHash(points: readonly MetricPoint[], config: Partial<DetectorConfig>): string {
  const hash = createHash("sha256");
  const state = createDetector(config);
  for (const p of points) hash.update(JSON.stringify(scorePoint(state, p).result) + "\n");
  return hash.digest("hex");
}

const sets = [...nabSets(), ...syntheticSets()];
const all = createHash("sha256");
let points = 0;
const start = performance.now();
for (const [c, config] of CONFIGS.entries()) {
  for (const [name, series] of sets) {
    const h = verdictHash(series, config);
    all.update(`${c} ${name} ${h}\n`);
    points += series.length;
    if (perFile) console.log(`${c} ${h.slice(0, 16)} ${name}`);
  }
}
console.log(`${sets.length} series x ${CONFIGS.length} configs, ${points} points in ${((performance.now() - start) / 1000).toFixed(1)} s`);
console.log(`verdict hash: ${all.digest("hex")}`);
