/**
 * Grouping state size over a storm, engine only (no I/O): each account's alerts go through
 * `ingestScopeBatchOnSchedule` one envelope-minute at a time, as the alert-grouper sees them, and every
 * `--every` hours of event time the bench prints, summed over accounts: the state's JSON size, the time to
 * stringify it, its groups by status, the closed groups (resolved or discarded) whose last alert is older
 * than the engine's prune horizon (fingerprint memory, dedup window and allowed lateness: history it no
 * longer needs), the open groups with no alert within that horizon, the `seen` dedup keys and the fingerprints, and the bytes each part takes.
 *
 * Run: `npx tsx bench/grouping-state.ts [--storm DIR] [--every HOURS]` (default ../shared/scenarios/medium-1, every 6 h).
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { type Alert, buildTopology, createGroupingState, type GroupingState, normaliseEvent, parseGroupingConfig, scopeOf } from "../core/grouping";
import { ingestScopeBatchOnSchedule } from "../core/grouping/scope-step-scheduled";

const { values } = parseArgs({ options: { storm: { type: "string" }, every: { type: "string", default: "6" } } });
const dir = path.resolve(process.cwd(), values.storm ?? "../shared/scenarios/medium-1");
const everyMs = Number(values.every) * 3_600_000;
if (!existsSync(path.join(dir, "events.jsonl"))) {
  console.log(`no storm at ${dir}: nothing to measure`);
  process.exit(0);
}
const topology = buildTopology(JSON.parse(readFileSync(path.join(dir, "topology.json"), "utf8")));
const ctx = { topology, config: parseGroupingConfig({}) };
const horizonMs = Math.max(ctx.config.fingerprintMemory, ctx.config.dedupWindow) + ctx.config.allowedLateness;

/** Alerts per (envelope minute, account), in input order: what one-minute grouper batches hold. */
const batches = new Map<number, Map<string, { alerts: Alert[]; emitted: Map<Alert, number> }>>();
for (const line of readFileSync(path.join(dir, "events.jsonl"), "utf8").split("\n")) {
  if (line.trim() === "") continue;
  const event = JSON.parse(line) as { time: string };
  const result = normaliseEvent(event, topology);
  if (!("alerts" in result)) continue;
  const time = Date.parse(event.time);
  const minute = Math.floor(time / 60_000);
  const byScope = batches.get(minute) ?? new Map<string, { alerts: Alert[]; emitted: Map<Alert, number> }>();
  batches.set(minute, byScope);
  for (const alert of result.alerts) {
    const batch = byScope.get(scopeOf(alert)) ?? { alerts: [], emitted: new Map<Alert, number>() };
    byScope.set(scopeOf(alert), batch);
    batch.alerts.push(alert);
    batch.emitted.set(alert, time);
  }
}

const states = new Map<string, GroupingState>();
const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;

function report(now: number): void {
  let bytes = 0;
  let stringifyMs = 0;
  const parts: Record<string, number> = {};
  const statuses: Record<string, number> = {};
  let stale = 0;
  let staleBytes = 0;
  let quietOpen = 0;
  let quietOpenBytes = 0;
  let seen = 0;
  let fingerprints = 0;
  for (const state of states.values()) {
    const started = performance.now();
    bytes += JSON.stringify(state).length;
    stringifyMs += performance.now() - started;
    for (const [key, value] of Object.entries(state)) parts[key] = (parts[key] ?? 0) + JSON.stringify(value ?? null).length;
    for (const group of Object.values(state.groups)) {
      statuses[group.status] = (statuses[group.status] ?? 0) + 1;
      if ((group.status === "resolved" || group.status === "discarded") && group.lastAt < now - horizonMs) {
        stale++;
        staleBytes += JSON.stringify(group).length;
      }
      if (group.status === "open" && group.lastAt < now - horizonMs) {
        quietOpen++;
        quietOpenBytes += JSON.stringify(group).length;
      }
    }
    seen += Object.keys(state.seen).length;
    fingerprints += Object.keys(state.fingerprints).length;
  }
  const top = Object.entries(parts)
    .sort(([, a], [, b]) => b - a)
    .slice(0, 4)
    .map(([k, v]) => `${k} ${kb(v)}`)
    .join(", ");
  console.log(
    `${new Date(now).toISOString().slice(0, 16)}  ${states.size} scope(s)  ${kb(bytes)} (stringify ${stringifyMs.toFixed(1)} ms)  groups ${JSON.stringify(statuses)}  ` +
      `closed past horizon ${stale} (${kb(staleBytes)})  open with no alert within it ${quietOpen} (${kb(quietOpenBytes)})  seen ${seen}  fingerprints ${fingerprints}  [${top}]`,
  );
}

let nextReport = Number.NaN;
for (const minute of [...batches.keys()].sort((a, b) => a - b)) {
  const at = minute * 60_000;
  if (Number.isNaN(nextReport)) nextReport = Math.ceil(at / everyMs) * everyMs;
  while (at >= nextReport) {
    report(nextReport);
    nextReport += everyMs;
  }
  for (const [scope, batch] of batches.get(minute)!) {
    const state = states.get(scope) ?? createGroupingState();
    states.set(scope, state);
    ingestScopeBatchOnSchedule(state, batch.alerts, ctx, (alert) => batch.emitted.get(alert) ?? alert.eventTime);
  }
}
report(nextReport);
