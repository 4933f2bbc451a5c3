/**
 * Grouping benchmark through the whole local pipeline: every storm in ../shared/scenarios (and, with
 * `--large`, a large one made with ../shared/tools/alertsim.mjs for throughput) is replayed by
 * `vigil replay --assignments` in its own process (start-up included: dynalite and kinesalite on loopback,
 * the local EventBridge routing to the alert stream, the alert-grouper and incident-timer handlers,
 * DynamoDB writes), then scored with ../shared/tools/grouping-score.mjs. Prints, per storm, events,
 * seconds, events/s (start-up included), DynamoDB writes per alert, noise reduction, pairwise F1,
 * fragmented/merged, noise promoted and real events suppressed.
 *
 * Run: `npm run bench:grouping [-- --only small-1,medium-1] [-- --large [--large-from DIR]] [-- --window MIN]
 * [-- --check-window MIN] [-- --keep DIR] [-- --json]`. The replays run as a user's `vigil replay` does, with its
 * default alert stream window (an hour); `--window` sets another (`--stream-window`). `--check-window` replays
 * each storm again with that window (1: a minute per batch) and reports whether the assignments are
 * byte-identical. `--keep DIR` keeps the assignment files there.
 * `--large` adds the 100,000-event storm (seed 1, two weeks): made in a temporary folder (about 30 s, 200 MB),
 * or read from `--large-from DIR` when made already (`node ../shared/tools/alertsim.mjs --seed 1 --scale large
 * --out DIR`). `--json` prints one JSON object on the last line. Engine-only figures (no I/O):
 * `npx tsx bench/grouping-core.ts`.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";

const SCENARIOS = path.resolve(process.cwd(), "../shared/scenarios");
const TOOLS = path.resolve(process.cwd(), "../shared/tools");
const CLI = path.resolve(process.cwd(), "bin/vigil.mjs");
/** After the last event the clock runs on this long, so lone sustained alerts open and pages go out. */
const TAIL_MS = 3_600_000;

interface Row {
  storm: string;
  events: number;
  seconds: number;
  eventsPerSecond: number;
  writesPerAlert: number;
  noiseReduction: number;
  pairwiseF1: number | null;
  fragmented: string;
  merged: number;
  noisePromoted: string;
  realSuppressed: string;
  /** Whether the assignments equal those of a replay with `--check-window` ("-": not checked). */
  sameAsCheck: string;
}

interface Score {
  noiseReduction: number;
  pairwiseF1: number | null;
  fragmented: number;
  merged: number;
  noisePromoted: number;
  suppressedReal: number;
  details: { truthIncidents: number; truthNoiseEvents: number; truthIncidentEvents: number };
}

/** The latest `"time"` of the storm's events, read without parsing every line in full. */
function lastEventTime(file: string): number {
  let last = 0;
  for (const match of readFileSync(file, "utf8").matchAll(/"time":"([^"]+)"/g)) {
    const t = Date.parse(match[1]!);
    if (t > last) last = t;
  }
  return last;
}

function replay(dir: string, out: string, windowMinutes: number | undefined): { seconds: number; events: number; writesPerAlert: number } {
  const events = path.join(dir, "events.jsonl");
  const until = new Date(lastEventTime(events) + TAIL_MS).toISOString();
  const started = performance.now();
  const stdout = execFileSync(
    "node",
    [CLI, "replay", events, "--topology", path.join(dir, "topology.json"), "--until", until, "--assignments", out, ...(windowMinutes === undefined ? [] : ["--stream-window", String(windowMinutes)])],
    { encoding: "utf8", maxBuffer: 64 * 1024 * 1024, env: { ...process.env, POWERTOOLS_LOG_LEVEL: "ERROR" }, stdio: ["ignore", "pipe", "ignore"] },
  );
  const seconds = (performance.now() - started) / 1000;
  const writes = /Grouping: \d+ alert\(s\) stored with \d+ DynamoDB item write\(s\), ([\d.]+) per alert/.exec(stdout);
  const lines = readFileSync(out, "utf8").split("\n").filter((l) => l !== "").length;
  return { seconds, events: lines, writesPerAlert: writes === null ? Number.NaN : Number(writes[1]) };
}

function score(dir: string, file: string): Score {
  const out = execFileSync("node", [path.join(TOOLS, "grouping-score.mjs"), "--scenario", dir, "--assignments", file, "--json"], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  return Object.values((JSON.parse(out) as { results: Record<string, Score> }).results)[0] as Score;
}

function run(storm: string, dir: string, work: string): Row {
  const file = path.join(work, `${storm}.assignments.jsonl`);
  const { seconds, events, writesPerAlert } = replay(dir, file, windowMinutes);
  const s = score(dir, file);
  let sameAsCheck = "-";
  if (checkWindow !== undefined) {
    const other = path.join(work, `${storm}.w${checkWindow}.assignments.jsonl`);
    replay(dir, other, checkWindow);
    sameAsCheck = readFileSync(file, "utf8") === readFileSync(other, "utf8") ? "identical" : `${differingLines(file, other)} lines differ`;
  }
  const pct = (n: number, of: number) => `${n}/${of} (${((100 * n) / Math.max(1, of)).toFixed(1)}%)`;
  return {
    storm,
    events,
    seconds,
    eventsPerSecond: events / seconds,
    writesPerAlert,
    noiseReduction: s.noiseReduction,
    pairwiseF1: s.pairwiseF1,
    fragmented: pct(s.fragmented, s.details.truthIncidents),
    merged: s.merged,
    noisePromoted: pct(s.noisePromoted, s.details.truthNoiseEvents),
    realSuppressed: pct(s.suppressedReal, s.details.truthIncidentEvents),
    sameAsCheck,
  };
}

function differingLines(a: string, b: string): number {
  const [left, right] = [readFileSync(a, "utf8").split("\n"), readFileSync(b, "utf8").split("\n")];
  return Array.from({ length: Math.max(left.length, right.length) }, (_, i) => left[i] !== right[i]).filter(Boolean).length;
}

function table(rows: Row[]): void {
  console.table(
    rows.map((r) => ({
      storm: r.storm,
      events: r.events,
      seconds: r.seconds.toFixed(1),
      "events/s": Math.round(r.eventsPerSecond),
      "writes/alert": r.writesPerAlert.toFixed(3),
      "noise reduction": r.noiseReduction.toFixed(3),
      "pairwise F1": r.pairwiseF1 === null ? "n/a" : r.pairwiseF1.toFixed(3),
      fragmented: r.fragmented,
      merged: r.merged,
      "noise promoted": r.noisePromoted,
      "real suppressed": r.realSuppressed,
      ...(checkWindow === undefined ? {} : { [`vs window ${checkWindow}`]: r.sameAsCheck }),
    })),
  );
}

const { values } = parseArgs({
  options: {
    json: { type: "boolean", default: false },
    large: { type: "boolean", default: false },
    "large-from": { type: "string" },
    only: { type: "string" },
    window: { type: "string" },
    "check-window": { type: "string" },
    keep: { type: "string" },
  },
});
const minutes = (text: string | undefined) => (text === undefined ? undefined : Number(text));
const windowMinutes = minutes(values.window);
const checkWindow = minutes(values["check-window"]);
const only = values.only?.split(",").map((name) => name.trim());
const work = mkdtempSync(path.join(tmpdir(), "vigil-bench-grouping-"));
try {
  const rows: Row[] = [];
  const shared = existsSync(SCENARIOS) ? readdirSync(SCENARIOS).filter((d) => existsSync(path.join(SCENARIOS, d, "events.jsonl"))).sort() : [];
  if (shared.length === 0) console.log(`no storms at ${SCENARIOS}: shared storms skipped`);
  for (const storm of shared.filter((name) => only === undefined || only.includes(name))) {
    rows.push(run(storm, path.join(SCENARIOS, storm), work));
    console.log(`${storm}: ${rows.at(-1)!.seconds.toFixed(1)} s`);
  }
  if (values.large || values["large-from"] !== undefined) {
    let dir = values["large-from"];
    if (dir === undefined) {
      if (!existsSync(TOOLS)) throw new Error(`--large needs ${TOOLS}/alertsim.mjs to make the storm, or --large-from DIR`);
      dir = path.join(work, "large-1");
      execFileSync("node", [path.join(TOOLS, "alertsim.mjs"), "--seed", "1", "--scale", "large", "--out", dir, "--quiet"]);
    }
    rows.push(run("large-1", path.resolve(dir), work));
  }
  console.log(`\nWhole local pipeline (vigil replay --assignments, ${windowMinutes === undefined ? "default" : `${windowMinutes}-minute`} stream window; start-up included)`);
  table(rows);
  if (values.json) console.log(JSON.stringify({ storms: rows }));
} finally {
  if (values.keep !== undefined) {
    mkdirSync(values.keep, { recursive: true });
    for (const file of readdirSync(work).filter((f) => f.endsWith(".jsonl"))) copyFileSync(path.join(work, file), path.join(values.keep, file));
  }
  rmSync(work, { recursive: true, force: true });
}
