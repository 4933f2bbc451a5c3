/**
 * Grouping state size over a storm, engine only (no I/O): each correlation scope's alerts (the topology's
 * `scopes`, as the alert-grouper keeps them; `--per-account` for one scope per account) go through
 * `ingestScopeBatchOnSchedule` one envelope-minute at a time, as the alert-grouper sees them, and every
 * `--every` hours of event time the bench prints, summed over scopes: the state's JSON size, the time to
 * stringify it, its groups by status, the closed groups (resolved or discarded) whose last alert is older
 * than the engine's prune horizon (fingerprint memory, dedup window and allowed lateness: history it no
 * longer needs), the open groups with no alert within that horizon, the `seen` dedup keys and the fingerprints, and the bytes each part takes.
 * At the end it prints each scope's peak state, as JSON and as stored (`encodeScopeText`: deflated, base64),
 * against the 400 KB item limit.
 *
 * Run: `npx tsx bench/grouping-state.ts [--storm DIR] [--every HOURS] [--per-account]` (default ../shared/scenarios/medium-1, every 6 h).
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { type Alert, buildTopology, createGroupingState, type GroupingState, normaliseEvent, parseGroupingConfig, perAccountScopes, scopeOf } from "../core/grouping";
import { ingestScopeBatchOnSchedule } from "../core/grouping/scope-step-scheduled";
import { encodeScopeText } from "../core/store/scope-codec";

const { values } = parseArgs({ options: { storm: { type: "string" }, every: { type: "string", default: "6" }, "per-account": { type: "boolean", default: false } } });
const dir = path.resolve(process.cwd(), values.storm ?? "../shared/scenarios/medium-1");
const everyMs = Number(values.every) * 3_600_000;
if (!existsSync(path.join(dir, "events.jsonl"))) {
  console.log(`no storm at ${dir}: nothing to measure`);
  process.exit(0);
}
const topology = buildTopology(JSON.parse(readFileSync(path.join(dir, "topology.json"), "utf8")));
const ctx = { topology, config: parseGroupingConfig({}) };
const scopes = values["per-account"] ? perAccountScopes : topology.scopes;
const horizonMs = Math.max(ctx.config.fingerprintMemory, ctx.config.dedupWindow) + ctx.config.allowedLateness;

/** Alerts per (envelope minute, scope), in input order: what one-minute grouper batches hold. */
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
    const scope = scopeOf(alert, scopes);
    const batch = byScope.get(scope) ?? { alerts: [], emitted: new Map<Alert, number>() };
    byScope.set(scope, batch);
    batch.alerts.push(alert);
    batch.emitted.set(alert, time);
  }
}

const states = new Map<string, GroupingState>();
const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;
/** Per scope, its largest state at a report: JSON bytes, stored bytes and when. */
const peaks = new Map<string, { json: number; stored: number; at: number }>();

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
  for (const [scope, state] of states) {
    const started = performance.now();
    const json = JSON.stringify(state);
    bytes += json.length;
    stringifyMs += performance.now() - started;
    if (json.length > (peaks.get(scope)?.json ?? 0)) peaks.set(scope, { json: json.length, stored: encodeScopeText(json).length, at: now });
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
console.log(`\npeak state per scope (${values["per-account"] ? "one per account" : "the topology's correlation scopes"}; an item holds 400 KB):`);
for (const [scope, peak] of [...peaks].sort(([a], [b]) => a.localeCompare(b))) {
  const members = scopes.groups.get(scope);
  console.log(`  ${scope}${members === undefined ? "" : ` (${members.join(", ")})`}: ${kb(peak.json)} JSON, ${kb(peak.stored)} stored, at ${new Date(peak.at).toISOString().slice(0, 16)}`);
}
