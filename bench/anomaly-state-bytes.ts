/**
 * `npx tsx bench/anomaly-state-bytes.ts [--top N] [--state]`: the largest serialised detector state over every
 * NAB file under ../shared/nab, measured after every point (default configuration), against the
 * 2 KB budget; prints the largest per file and, with --state, the state at the overall maximum.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { createDetector, MAX_STATE_BYTES, scorePoint, serializeDetector, type MetricPoint } from "../core/anomaly";
import { parseTimestamp } from "../local/score";

const nabData = path.resolve(process.cwd(), "../shared/nab/data");
const topArg = process.argv.indexOf("--top");
const showState = process.argv.includes("--state");
const top = topArg >= 0 ? Number(process.argv[topArg + 1]) : 5;

function csvPoints(file: string): MetricPoint[] {
  const lines = readFileSync(file, "utf8").split(/\r?\n/).slice(1).filter((l) => l.trim() !== "");
  return lines.map((l) => {
    const [ts, v] = l.split(",");
    return { timestamp: parseTimestamp(ts ?? ""), value: Number(v) };
  });
}

if (!existsSync(nabData)) {
  console.log(`no NAB data at ${nabData}: nothing to measure`);
  process.exit(0);
}
const rows: { file: string; max: number; at: number; json: string }[] = [];
for (const dir of readdirSync(nabData).sort()) {
  for (const f of readdirSync(path.join(nabData, dir)).sort()) {
    if (!f.endsWith(".csv")) continue;
    const state = createDetector();
    let max = 0;
    let at = 0;
    let json = "";
    csvPoints(path.join(nabData, dir, f)).forEach((p, i) => {
      scorePoint(state, p);
      const text = serializeDetector(state);
      const bytes = Buffer.byteLength(text, "utf8");
      if (bytes > max) {
        max = bytes;
        at = i;
        json = text;
      }
    });
    rows.push({ file: `${dir}/${f}`, max, at, json });
  }
}
rows.sort((a, b) => b.max - a.max);
for (const r of rows.slice(0, top)) console.log(`${r.max} B at point ${r.at}  ${r.file}`);
const worst = rows[0];
if (worst) {
  console.log(`max state: ${worst.max} B of ${MAX_STATE_BYTES} (${rows.length} files; margin ${MAX_STATE_BYTES - worst.max} B)`);
  if (showState) console.log(worst.json);
}
