/**
 * Grouping benchmark: for every storm in ../shared/scenarios (and freshly generated storms the project has
 * never seen, the honest generalisation figure), normalises each event with the storm's topology, runs the
 * correlation engine in event-time order (delivery order on ties) with the default `grouping` config, one state
 * per correlation scope (`scopeOf` with the topology's `scopes`: accounts the topology links share one) as the
 * alert-grouper keeps them, writes one assignment line per input line, and scores it with
 * ../shared/tools/grouping-score.mjs. Prints events/s of normalise + engine, and alerts/s of the engine alone.
 * `--single-scope` runs one state over every account instead; `--per-account` one state per account (what the
 * grouper did before accounts correlated).
 * Run: `npx tsx bench/grouping-core.ts [--unseen 606:small,808:small,1010:medium] [--single-scope | --per-account]` (default: seeds 7 and 11, small).
 * The engine never sees truth.json; only the scorer reads it.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Alert, type AlertMove, buildTopology, createGroupingState, finalGroupOf, type GroupingState, ingest, movesOf, normaliseEvent, parseGroupingConfig, perAccountScopes, tick, type Decision } from "../core/grouping";
import { scopeOf } from "../core/grouping/scope-step";

const SCENARIOS = path.resolve(process.cwd(), "../shared/scenarios");
const TOOLS = path.resolve(process.cwd(), "../shared/tools");
/** Seeds and scales of the unseen storms: `--unseen seed:scale,…`; the shared storms use seeds 1, 2 and 3. */
function unseenStorms(argv: readonly string[]): { seed: string; scale: string }[] {
  const at = argv.indexOf("--unseen");
  const list = at >= 0 ? (argv[at + 1] ?? "") : "7:small,11:small";
  return list
    .split(",")
    .filter((s) => s !== "")
    .map((item) => {
      const [seed = "", scale = "small"] = item.split(":");
      if (!/^\d+$/.test(seed) || !["small", "medium", "large"].includes(scale)) throw new Error(`--unseen: expected seed:scale (small|medium|large), got ${item}`);
      return { seed, scale };
    });
}

interface Row {
  storm: string;
  events: number;
  noiseReduction: number;
  f1: number | null;
  fragmented: string;
  merged: number;
  noisePromoted: string;
  realSuppressed: string;
  eventsPerSecond: number;
  engineAlertsPerSecond: number;
  scopes: number;
}

/** Runs the engine over one storm; returns the assignment lines, the events/s of normalise + engine and the engine's alerts/s. */
function assign(dir: string): { lines: string[]; eventsPerSecond: number; engineAlertsPerSecond: number; scopes: number } {
  const topology = buildTopology(JSON.parse(readFileSync(path.join(dir, "topology.json"), "utf8")));
  const ctx = { topology, config: parseGroupingConfig({}) };
  const raw = readFileSync(path.join(dir, "events.jsonl"), "utf8").split("\n").filter((l) => l.trim() !== "");
  const started = performance.now();
  const eventIds: string[] = [];
  const alerts: { alert: Alert; line: number }[] = [];
  raw.forEach((text, line) => {
    const event = JSON.parse(text) as { id: string };
    eventIds.push(event.id);
    const result = normaliseEvent(event, topology);
    if ("alerts" in result) for (const alert of result.alerts) alerts.push({ alert, line });
  });
  alerts.sort((a, b) => a.alert.eventTime - b.alert.eventTime || a.line - b.line);

  const groupOf = new Map<string, string>();
  const opened = new Set<string>();
  const mergedInto = new Map<string, string>();
  const moves: AlertMove[] = [];
  const fingerprintOf = new Map<string, string>();
  const record = (decisions: Decision[]) => {
    for (const d of decisions) {
      if (d.type === "alert.held") groupOf.set(d.eventId, groupOf.get(d.eventId) ?? d.groupId);
      else if (d.type === "alert.attached") groupOf.set(d.eventId, groupOf.get(d.eventId) ?? d.incidentId);
      else if (d.type === "incident.opened") opened.add(d.incidentId);
      else if (d.type === "incident.merged") mergedInto.set(d.from, d.incidentId);
    }
    moves.push(...movesOf(decisions));
  };
  // One state per scope, as the pipeline keeps one scope item per scope.
  const scopes = perAccount ? perAccountScopes : topology.scopes;
  const states = new Map<string, GroupingState>();
  const engineStarted = performance.now();
  for (const { alert } of alerts) {
    if (!fingerprintOf.has(alert.eventId)) fingerprintOf.set(alert.eventId, alert.fingerprint);
    const scope = singleScope ? "all" : scopeOf(alert, scopes);
    const state = states.get(scope) ?? createGroupingState();
    states.set(scope, state);
    record(tick(state, alert.eventTime, ctx).decisions);
    record(ingest(state, alert, alert.eventTime, ctx).decisions);
  }
  const last = alerts.at(-1)?.alert.eventTime ?? 0;
  for (const state of states.values()) record(tick(state, last + 86_400_000, ctx).decisions);
  const finished = performance.now();
  const seconds = (finished - started) / 1000;
  const engineSeconds = (finished - engineStarted) / 1000;

  // An event belongs to the incident its group was finally merged into, or its alerts moved to.
  const final = finalGroupOf([...mergedInto], moves);
  const lines = eventIds.map((eventId) => {
    // An event that joined no group ("") can still belong to one its fingerprint moved into (an adopted launch).
    const group = final(groupOf.get(eventId) ?? "", fingerprintOf.get(eventId) ?? "");
    return JSON.stringify({ eventId, incidentId: opened.has(group) ? group : null });
  });
  return { lines, eventsPerSecond: raw.length / seconds, engineAlertsPerSecond: alerts.length / engineSeconds, scopes: states.size };
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

function score(dir: string, file: string): Score {
  const out = execFileSync("node", [path.join(TOOLS, "grouping-score.mjs"), "--scenario", dir, "--assignments", file, "--json"], { encoding: "utf8" });
  const parsed = JSON.parse(out) as { results: Record<string, Score> };
  return Object.values(parsed.results)[0] as Score;
}

function run(storm: string, dir: string, work: string): Row {
  const { lines, eventsPerSecond, engineAlertsPerSecond, scopes } = assign(dir);
  const file = path.join(work, `${storm}.jsonl`);
  writeFileSync(file, `${lines.join("\n")}\n`);
  const s = score(dir, file);
  const pct = (n: number, of: number) => `${n}/${of} (${((100 * n) / Math.max(1, of)).toFixed(1)}%)`;
  return {
    storm,
    events: lines.length,
    noiseReduction: s.noiseReduction,
    f1: s.pairwiseF1,
    fragmented: pct(s.fragmented, s.details.truthIncidents),
    merged: s.merged,
    noisePromoted: pct(s.noisePromoted, s.details.truthNoiseEvents),
    realSuppressed: pct(s.suppressedReal, s.details.truthIncidentEvents),
    eventsPerSecond,
    engineAlertsPerSecond,
    scopes,
  };
}

function print(title: string, rows: Row[]): void {
  console.log(`\n${title}, ${singleScope ? "one scope for every account" : perAccount ? "one scope per account" : "the topology's correlation scopes"}`);
  console.table(
    rows.map((r) => ({
      storm: r.storm,
      events: r.events,
      "noise reduction": r.noiseReduction.toFixed(3),
      "pairwise F1": r.f1 === null ? "n/a" : r.f1.toFixed(3),
      fragmented: r.fragmented,
      merged: r.merged,
      "noise promoted": r.noisePromoted,
      "real suppressed": r.realSuppressed,
      "events/s": Math.round(r.eventsPerSecond),
      "engine alerts/s": Math.round(r.engineAlertsPerSecond),
      scopes: r.scopes,
    })),
  );
}

const singleScope = process.argv.includes("--single-scope");
const perAccount = process.argv.includes("--per-account");
if (singleScope && perAccount) throw new Error("--single-scope and --per-account exclude each other");
const work = mkdtempSync(path.join(tmpdir(), "vigil-grouping-"));
try {
  const shared = existsSync(SCENARIOS)
    ? readdirSync(SCENARIOS).filter((d) => existsSync(path.join(SCENARIOS, d, "events.jsonl"))).sort()
    : [];
  if (shared.length === 0) console.log(`no storms at ${SCENARIOS}: shared table skipped`);
  else print("Shared storms (default config)", shared.map((d) => run(d, path.join(SCENARIOS, d), work)));
  const unseen = unseenStorms(process.argv.slice(2)).map(({ seed, scale }) => {
    const dir = path.join(work, `unseen-${scale}-${seed}`);
    execFileSync("node", [path.join(TOOLS, "alertsim.mjs"), "--seed", seed, "--scale", scale, "--out", dir, "--quiet"]);
    return run(`unseen-${scale}-${seed}`, dir, work);
  });
  print("Unseen storms (generated now, never used for tuning)", unseen);
} finally {
  rmSync(work, { recursive: true, force: true });
}
