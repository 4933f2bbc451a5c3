/**
 * Fragmentation diagnosis (labels read for diagnosis only, never by the engine): for each storm directory given,
 * runs the engine as bench/grouping-core.ts does (topology scopes), then for every true incident split over several
 * system incidents, classifies each fragment against the incident's main fragment (the one with most events) by
 * time gap, service relation, region and alarm kind, and prints the counts by class. `--why` classes fragments instead by
 * how their first alert was placed (founded its group, or joined a competing group by which link) and whether the main
 * fragment was open by then; `--trace inc-NNN` prints that true incident's events with their system incident and link;
 * `--examples` prints examples of every class; `--loss` prints instead where pairwise F1 is lost: the event pairs of
 * different true incidents put together (by failure-mode pair) and of one true incident kept apart (by failure mode,
 * and how many of those involve a suppressed event), each as a share of the storm's true pairs, averaged over storms.
 * Other views: `--merged` (pairs put together, by how the merged-in part's first event was placed; with `--examples
 * --match TEXT`, the parts of the classes containing TEXT), `--suppressed` (real events suppressed, by reason), `--noise`
 * (noise events promoted, by noise kind and placement), `--choices` (every real event placed by a link or founding a group,
 * judged against the groups as they were: right, ranked below another candidate, missed link, false link; `repaired`
 * when a later merge or move brought it to its incident's group), `--zone-ns` (events joined through an impaired zone they do not
 * name, by namespace; `--by-metric` by metric too), `--parts` (every split incident's parts),
 * `--sys SUFFIX` (the events of one system incident with their true labels); `--mode M` keeps one failure mode; `--weight`
 * weighs each fragment by the pairs it loses with its main part (share of true pairs) instead of counting it.
 * Findings are in docs/grouping-rules.md ("Where fragments come from", "Where pairwise F1 is lost").
 * Run: `npx tsx bench/grouping-fragments.ts [--why | --loss | …] [--examples] [--trace inc-NNN] <storm dir>…` (storms from
 * ../shared/tools/alertsim.mjs, e.g. `--seed 21 --scale small --out /tmp/dev/small-21`; never the held-out seeds).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { type Alert, type AlertMove, buildTopology, createGroupingState, type Decision, finalGroupOf, type GroupingState, ingest, movesOf, normaliseEvent, parseGroupingConfig, tick } from "../core/grouping";
import { zoneOf } from "../core/grouping/correlate-links";
import { scopeOf } from "../core/grouping/scope-step";

/** One labelled event of a true incident and the system incident it ended in (null: suppressed). */
interface Ev {
  alert: Alert;
  sys: string | null;
}

const pairs = (n: number): number => (n * (n - 1)) / 2;
const truePairsOf = (byInc: Map<string, Ev[]>): number => [...byInc.values()].reduce((sum, evs) => sum + pairs(evs.length), 0);
const weigh = process.argv.includes("--weight");

/**
 * Pairs lost to pairwise F1, as shares of the storm's true pairs: `merged A + B` (events of two true incidents in one
 * system incident), `split A` (events of one true incident apart), `split A, suppressed` (the part of those pairs
 * that involves a suppressed event).
 */
function pairLoss(byInc: Map<string, Ev[]>, mode: Map<string, string>): Map<string, number> {
  const loss = new Map<string, number>();
  const add = (key: string, n: number) => loss.set(key, (loss.get(key) ?? 0) + n);
  const truePairs = [...byInc.values()].reduce((sum, evs) => sum + pairs(evs.length), 0);
  if (truePairs === 0) return loss;
  const bySys = new Map<string, Map<string, number>>();
  for (const [inc, evs] of byInc) {
    const counts = new Map<string, number>();
    let suppressed = 0;
    for (const e of evs) {
      if (e.sys === null) suppressed++;
      else counts.set(e.sys, (counts.get(e.sys) ?? 0) + 1);
    }
    const together = [...counts.values()].reduce((sum, n) => sum + pairs(n), 0);
    const m = mode.get(inc) ?? "?";
    add(`split ${m}`, (pairs(evs.length) - together) / truePairs);
    add(`split ${m}, suppressed`, (pairs(evs.length) - pairs(evs.length - suppressed)) / truePairs);
    for (const [sys, n] of counts) bySys.set(sys, (bySys.get(sys) ?? new Map<string, number>()).set(inc, n));
  }
  for (const incs of bySys.values()) {
    const list = [...incs.entries()];
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const key = [mode.get(list[i]![0]) ?? "?", mode.get(list[j]![0]) ?? "?"].sort().join(" + ");
        add(`merged ${key}`, (list[i]![1] * list[j]![1]) / truePairs);
      }
    }
  }
  return loss;
}

/** Events counted by `--noise` and `--suppressed`, by class. */
const eventTally = new Map<string, number>();
/** Noise events placed in a system incident that also holds real events, counted by noise kind and how they were placed. */
function countPromotedNoise(alerts: Alert[], truth: { events: Record<string, string>; noise?: { id: string; kind: string }[] }, sysOf: (a: Alert) => string | null, linkOf: Map<string, string>): void {
  const kind = new Map((truth.noise ?? []).map((n) => [n.id, n.kind]));
  const real = new Set<string>();
  for (const a of alerts) {
    const sys = sysOf(a);
    if (sys !== null && !(truth.events[a.eventId] ?? "noise").startsWith("noise")) real.add(sys);
  }
  const seen = new Set<string>();
  for (const a of alerts) {
    const label = truth.events[a.eventId];
    if (seen.has(a.eventId) || label === undefined || !label.startsWith("noise")) continue;
    seen.add(a.eventId);
    const sys = sysOf(a);
    if (sys === null || !real.has(sys)) continue;
    const key = `${kind.get(label)} | ${linkOf.get(a.eventId)} | ${a.severity}`;
    eventTally.set(key, (eventTally.get(key) ?? 0) + 1);
  }
}

/**
 * `--choices`: how each alert placed by a link (or founding a group) fared, against the groups as they were then (labels
 * of the events each group had taken, merges and moves not applied): `right` (the group already held its true incident,
 * or it founded one whose incident had no live group), `ranked below` (a group holding its incident was a candidate
 * too: the ranking chose wrong), `missed link` (a live group held its incident, but no link to it held), `false link`
 * (the first event of its incident, taken into another incident's group: it should have founded one). A wrong
 * placement that a later merge or move brought to a group holding its incident is counted `, repaired`.
 */
class ChoiceTally {
  /** Per group id, the events it took, counted by true label. */
  private readonly held = new Map<string, Map<string, number>>();
  private candidates = new Set<string>();
  /** Wrong placements, to tell at the end whether a later merge or move brought the event to its incident's group. */
  private readonly wrong: { key: string; groupId: string; fingerprint: string; holders: string[] }[] = [];
  readonly onLinkCandidate = (_alert: Alert, groupId: string) => void this.candidates.add(groupId);

  constructor(private readonly truth: Record<string, string>, private readonly tally: Map<string, number>) {}

  /** Call before each ingest. */
  reset(): void {
    this.candidates = new Set();
  }

  /** Call after each ingest with its decisions and the state after it. */
  classify(alert: Alert, decisions: readonly Decision[], state: GroupingState, founders: ReadonlySet<string>): void {
    const label = this.truth[alert.eventId] ?? "noise";
    const placed = decisions.find((d) => (d.type === "alert.held" || d.type === "alert.attached") && d.eventId === alert.eventId);
    if (placed === undefined || (placed.type !== "alert.held" && placed.type !== "alert.attached")) return;
    const groupId = placed.type === "alert.held" ? placed.groupId : placed.incidentId;
    const link = placed.type === "alert.attached" ? placed.link : founders.has(alert.eventId) ? "new" : "held-join";
    const isLive = (id: string) => state.groups[id] !== undefined && state.groups[id]!.status !== "resolved" && state.groups[id]!.status !== "discarded";
    const holders = [...this.held].filter(([id, labels]) => id !== groupId && isLive(id) && (labels.get(label) ?? 0) > 0).map(([id]) => id);
    const mine = this.held.get(groupId) ?? new Map<string, number>();
    this.held.set(groupId, mine.set(label, (mine.get(label) ?? 0) + 1));
    if (label.startsWith("noise") || link === "fingerprint" || link === "composite") return;
    const heldBefore = (mine.get(label) ?? 0) > 1;
    const everSeen = heldBefore || [...this.held].some(([id, labels]) => id !== groupId && (labels.get(label) ?? 0) > 0);
    const verdict =
      link === "new"
        ? holders.length === 0 ? "right" : holders.some((id) => this.candidates.has(id)) ? "ranked below" : "missed link"
        : heldBefore ? "right" : holders.some((id) => this.candidates.has(id)) ? "ranked below" : holders.length > 0 ? "missed link" : everSeen ? "missed link (its incident's group over)" : "false link";
    const key = `${link} | ${verdict}`;
    if (verdict === "right") this.tally.set(key, (this.tally.get(key) ?? 0) + 1);
    else this.wrong.push({ key, groupId, fingerprint: alert.fingerprint, holders });
  }

  /** Counts the wrong placements, each marked `, repaired` when it ended in the group one of its holders ended in. */
  settle(resolve: (groupId: string, fingerprint: string) => string): void {
    for (const { key, groupId, fingerprint, holders } of this.wrong) {
      const final = resolve(groupId, fingerprint);
      const repaired = holders.some((id) => resolve(id, "") === final);
      const k = repaired ? `${key}, repaired` : key;
      this.tally.set(k, (this.tally.get(k) ?? 0) + 1);
    }
  }
}

const choiceTally = new Map<string, number>();

function runStorm(dir: string): { classes: Map<string, number>; examples: Map<string, string[]>; loss: Map<string, number> } {
  const topology = buildTopology(JSON.parse(readFileSync(path.join(dir, "topology.json"), "utf8")));
  const truthEvents = (JSON.parse(readFileSync(path.join(dir, "truth.json"), "utf8")) as { events: Record<string, string> }).events;
  const choices = process.argv.includes("--choices") ? new ChoiceTally(truthEvents, choiceTally) : undefined;
  const ctx = { topology, config: parseGroupingConfig({}), onLinkCandidate: choices?.onLinkCandidate };
  const truth = JSON.parse(readFileSync(path.join(dir, "truth.json"), "utf8")) as { events: Record<string, string>; incidents: { id: string; failureMode: string }[] };
  const mode = new Map(truth.incidents.map((i) => [i.id, i.failureMode]));
  const raw = readFileSync(path.join(dir, "events.jsonl"), "utf8").split("\n").filter((l) => l.trim() !== "");
  const alerts: { alert: Alert; line: number }[] = [];
  raw.forEach((text, line) => {
    const result = normaliseEvent(JSON.parse(text), topology);
    if ("alerts" in result) for (const alert of result.alerts) alerts.push({ alert, line });
  });
  alerts.sort((a, b) => a.alert.eventTime - b.alert.eventTime || a.line - b.line);
  const groupOf = new Map<string, string>();
  const opened = new Set<string>();
  const mergedInto = new Map<string, string>();
  const linkOf = new Map<string, string>();
  const firstOfGroup = new Map<string, string>();
  const openedAt = new Map<string, number>();
  const suppressedWhy = new Map<string, string>();
  const founders = new Set<string>();
  const moves: AlertMove[] = [];
  const record = (ds: Decision[]) => {
    for (const d of ds) {
      if (d.type === "alert.held" && !firstOfGroup.has(d.groupId)) firstOfGroup.set(d.groupId, d.eventId);
      if (d.type === "alert.held" && !linkOf.has(d.eventId)) linkOf.set(d.eventId, firstOfGroup.get(d.groupId) === d.eventId ? "founder" : "held-join");
      if (d.type === "alert.held" && firstOfGroup.get(d.groupId) === d.eventId) founders.add(d.eventId);
      if (d.type === "alert.attached" && !linkOf.has(d.eventId)) linkOf.set(d.eventId, `attached:${d.link}`);
      if (d.type === "incident.opened") openedAt.set(d.incidentId, d.at);
      if (d.type === "alert.suppressed") suppressedWhy.set(d.eventId, d.reason);
      if (d.type === "alert.held") groupOf.set(d.eventId, groupOf.get(d.eventId) ?? d.groupId);
      else if (d.type === "alert.attached") groupOf.set(d.eventId, groupOf.get(d.eventId) ?? d.incidentId);
      else if (d.type === "incident.opened") opened.add(d.incidentId);
      else if (d.type === "incident.merged") mergedInto.set(d.from, d.incidentId);
    }
    moves.push(...movesOf(ds));
  };
  const states = new Map<string, GroupingState>();
  for (const { alert } of alerts) {
    const scope = scopeOf(alert, topology.scopes);
    const state = states.get(scope) ?? createGroupingState();
    states.set(scope, state);
    record(tick(state, alert.eventTime, ctx).decisions);
    choices?.reset();
    const decisions = ingest(state, alert, alert.eventTime, ctx).decisions;
    record(decisions);
    choices?.classify(alert, decisions, state, founders);
  }
  const last = alerts.at(-1)?.alert.eventTime ?? 0;
  for (const state of states.values()) record(tick(state, last + 86_400_000, ctx).decisions);
  const resolve = finalGroupOf([...mergedInto], moves);
  choices?.settle(resolve);
  const sysAt = process.argv.indexOf("--sys");
  if (sysAt >= 0) {
    for (const { alert } of alerts) {
      const final = resolve(groupOf.get(alert.eventId) ?? "", alert.fingerprint);
      if (final?.endsWith(process.argv[sysAt + 1]!)) console.log(new Date(alert.eventTime).toISOString().slice(11, 19), truth.events[alert.eventId], mode.get(truth.events[alert.eventId] ?? ""), linkOf.get(alert.eventId), alert.status, alert.region, alert.service, alert.title);
    }
  }
  if (process.argv.includes("--suppressed")) {
    const seenS = new Set<string>();
    for (const { alert } of alerts) {
      const label = truth.events[alert.eventId];
      if (seenS.has(alert.eventId) || label === undefined || label.startsWith("noise")) continue;
      seenS.add(alert.eventId);
      const final = resolve(groupOf.get(alert.eventId) ?? "", alert.fingerprint);
      if (final !== undefined && opened.has(final)) continue;
      const key = `${mode.get(label)} | ${suppressedWhy.get(alert.eventId) ?? "held, never opened"} | ${linkOf.get(alert.eventId)} | ${alert.severity} ${alert.status}`;
      eventTally.set(key, (eventTally.get(key) ?? 0) + 1);
    }
  }
  if (process.argv.includes("--noise")) countPromotedNoise(alerts.map((a) => a.alert), truth, (alert) => {
    const final = resolve(groupOf.get(alert.eventId) ?? "", alert.fingerprint);
    return final !== undefined && opened.has(final) ? final : null;
  }, linkOf);
  const byInc = new Map<string, Ev[]>();
  const seen = new Set<string>();
  for (const { alert } of alerts) {
    if (seen.has(alert.eventId)) continue;
    seen.add(alert.eventId);
    const label = truth.events[alert.eventId];
    if (label === undefined || label.startsWith("noise")) continue;
    const final = resolve(groupOf.get(alert.eventId) ?? "", alert.fingerprint);
    const sys = final !== undefined && opened.has(final) ? final : null;
    const list = byInc.get(label) ?? [];
    list.push({ alert, sys });
    byInc.set(label, list);
  }
  const classes = new Map<string, number>();
  const examples = new Map<string, string[]>();
  const hops = (a: string, b: string): number => {
    // Undirected distance in the dependency graph, up to 3.
    let frontier = new Set([a]);
    const seenS = new Set([a]);
    for (let h = 1; h <= 3; h++) {
      const next = new Set<string>();
      for (const s of frontier) for (const n of [...topology.dependenciesOf(s), ...topology.dependentsOf(s)]) if (!seenS.has(n)) { seenS.add(n); next.add(n); }
      if (next.has(b)) return h;
      frontier = next;
    }
    return 99;
  };
  const at = process.argv.indexOf("--trace");
  const trace = at >= 0 ? process.argv[at + 1] : undefined;
  if (trace !== undefined) for (const e of byInc.get(trace) ?? []) console.log(new Date(e.alert.eventTime).toISOString().slice(11, 19), (e.sys ?? "-").slice(-6), linkOf.get(e.alert.eventId), e.alert.status, e.alert.severity, e.alert.service, e.alert.title);
  const modeAt = process.argv.indexOf("--mode");
  for (const [inc, evs] of byInc) {
    if ((modeAt >= 0 && mode.get(inc) !== process.argv[modeAt + 1]) || process.argv.includes("--merged") || process.argv.includes("--zone-ns")) continue;
    const parts = new Map<string, Ev[]>();
    for (const e of evs) if (e.sys !== null) parts.set(e.sys, [...(parts.get(e.sys) ?? []), e]);
    if (parts.size < 2) continue;
    const sorted = [...parts.entries()].sort((a, b) => b[1].length - a[1].length);
    if (process.argv.includes("--parts")) console.log(`${path.basename(dir)} ${inc} ${mode.get(inc)} events ${evs.length} suppressed ${evs.filter((e) => e.sys === null).length} parts ${sorted.map(([id, p]) => `${id.slice(-6)}:${p.length}`).join(" ")}`);
    const main = sorted[0]![1];
    const mFirst = Math.min(...main.map((e) => e.alert.eventTime));
    const mLast = Math.max(...main.map((e) => e.alert.eventTime));
    const mServices = new Set(main.map((e) => e.alert.service ?? "?"));
    const mRegions = new Set(main.map((e) => e.alert.region));
    const mAccounts = new Set(main.map((e) => e.alert.account));
    for (const [, frag] of sorted.slice(1)) {
      const f0 = frag.reduce((a, b) => (a.alert.eventTime <= b.alert.eventTime ? a : b));
      const fFirst = f0.alert.eventTime;
      const gap = fFirst < mFirst ? -(mFirst - fFirst) : fFirst > mLast ? fFirst - mLast : 0;
      const lag = fFirst - mFirst;
      const gapClass = gap < 0 ? "before" : gap === 0 ? (lag <= 15 * 60_000 ? "during,<=15m from main start" : "during,>15m from main start") : gap <= 30 * 60_000 ? "after<=30m" : "after>30m";
      const fServices = new Set(frag.map((e) => e.alert.service ?? "?"));
      const sameService = [...fServices].some((s) => mServices.has(s));
      const minHop = Math.min(...[...fServices].flatMap((s) => [...mServices].map((m) => (s === m ? 0 : hops(s, m)))));
      const rel = sameService ? "same-svc" : minHop === 1 ? "dep-1hop" : minHop <= 3 ? `dep-${minHop}hop` : "unrelated";
      const region = [...new Set(frag.map((e) => e.alert.region))].some((r) => mRegions.has(r)) ? "same-region" : "other-region";
      const account = [...new Set(frag.map((e) => e.alert.account))].some((r) => mAccounts.has(r)) ? "" : " other-acct";
      const kind = f0.alert.labels.alarmKind ?? f0.alert.kind;
      const mainId = sorted[0]![0];
      const how = linkOf.get(f0.alert.eventId) ?? "?";
      const mainOpen = (openedAt.get(mainId) ?? Infinity) <= fFirst ? "main-open" : "main-pending";
      const key = process.argv.includes("--why") ? `${rel} ${region} | ${gapClass} | ${how} | ${mainOpen}` : `${mode.get(inc)} | ${rel} ${region}${account} | ${gapClass}`;
      // `--weight`: the pairs this fragment loses with the main part, as a share of the storm's true pairs (F1 lost), not a count.
      classes.set(key, (classes.get(key) ?? 0) + (weigh ? (frag.length * main.length) / truePairsOf(byInc) : 1));
      const ex = examples.get(key) ?? [];
      if (ex.length < 3) ex.push(`${path.basename(dir)} ${inc} n=${frag.length}/${evs.length} gap=${Math.round(gap / 60000)}m ${[...fServices].join(",")} vs ${[...mServices].join(",")} first=${kind}:${f0.alert.title}`);
      examples.set(key, ex);
    }
  }
  if (process.argv.includes("--zone-ns")) {
    // Events joined through an impaired zone they do not name, by namespace: the impairment's own, or another failure's.
    for (const [inc, evs] of byInc) for (const e of evs) {
      if (linkOf.get(e.alert.eventId) !== "attached:zone" || zoneOf(e.alert) !== undefined) continue;
      const key = `${mode.get(inc) === "az-impairment" ? "own  " : "other"} ${e.alert.labels.namespace ?? e.alert.kind}${process.argv.includes("--by-metric") ? ` ${e.alert.labels.metricName} ${e.alert.status}` : ""}`;
      classes.set(key, (classes.get(key) ?? 0) + 1);
    }
  }
  if (process.argv.includes("--merged")) {
    // Pairs of two true incidents put together, by how the smaller part's first event was placed, as shares of the storm's true pairs.
    const truePairs = [...byInc.values()].reduce((sum, evs) => sum + pairs(evs.length), 0);
    const bySys = new Map<string, Map<string, Ev[]>>();
    for (const [inc, evs] of byInc) for (const e of evs) if (e.sys !== null) {
      const m = bySys.get(e.sys) ?? new Map<string, Ev[]>();
      m.set(inc, [...(m.get(inc) ?? []), e]);
      bySys.set(e.sys, m);
    }
    for (const parts of bySys.values()) {
      if (parts.size < 2) continue;
      const sorted = [...parts.entries()].sort((a, b) => b[1].length - a[1].length);
      const [mainInc, main] = sorted[0]!;
      for (const [inc, part] of sorted.slice(1)) {
        const f0 = part.reduce((a, b) => (a.alert.eventTime <= b.alert.eventTime ? a : b));
        const how = linkOf.get(f0.alert.eventId);
        const key = `${mode.get(mainInc)} <- ${mode.get(inc)} | ${how}${how === "attached:zone" ? (zoneOf(f0.alert) === undefined ? " (no zone named)" : " (zone named)") : ""}`;
        classes.set(key, (classes.get(key) ?? 0) + (main.length * part.length) / truePairs);
        const matchAt = process.argv.indexOf("--match");
        const match = matchAt >= 0 ? process.argv[matchAt + 1] : undefined;
        if (process.argv.includes("--examples") && (match === undefined ? how === "attached:zone" : key.includes(match))) {
          const m0 = main.reduce((a, b) => (a.alert.eventTime <= b.alert.eventTime ? a : b));
          console.log(`   ${path.basename(dir)} ${inc} ${mode.get(inc)} ${part.length} events into ${mainInc} (${main.length}, began ${new Date(m0.alert.eventTime).toISOString().slice(11, 19)} ${m0.alert.region} ${zoneOf(m0.alert) ?? ""}): first at ${new Date(f0.alert.eventTime).toISOString().slice(11, 19)} ${f0.alert.service} ${f0.alert.region} ${zoneOf(f0.alert) ?? ""} ${f0.alert.labels.namespace ?? f0.alert.kind} ${f0.alert.title}`);
        }
      }
    }
  }
  return { classes, examples, loss: pairLoss(byInc, mode) };
}

const total = new Map<string, number>();
const allEx = new Map<string, string[]>();
const dirs = process.argv.slice(2).filter((a, i, all) => !a.startsWith("--") && !["--trace", "--sys", "--mode", "--match"].includes(all[i - 1]!));
const lossTotal = new Map<string, number>();
for (const dir of dirs) {
  const { classes, examples, loss } = runStorm(dir);
  for (const [k, n] of classes) total.set(k, (total.get(k) ?? 0) + n);
  for (const [k, e] of examples) allEx.set(k, [...(allEx.get(k) ?? []), ...e].slice(0, 3));
  for (const [k, n] of loss) lossTotal.set(k, (lossTotal.get(k) ?? 0) + n);
}
if (process.argv.includes("--noise") || process.argv.includes("--suppressed")) {
  console.log(process.argv.includes("--noise") ? `noise events promoted, by noise kind | how placed | severity, over ${dirs.length} storms:` : `real events suppressed, by failure mode | reason | how placed | severity status, over ${dirs.length} storms:`);
  for (const [k, n] of [...eventTally.entries()].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`${String(n).padStart(6)}  ${k}`);
  process.exit(0);
}
if (process.argv.includes("--choices")) {
  const all = [...choiceTally.values()].reduce((sum, n) => sum + n, 0);
  console.log(`real events placed by a link or founding a group (fingerprint and composite joins left out), by link | verdict, over ${dirs.length} storms (${all}):`);
  for (const [k, n] of [...choiceTally.entries()].sort((a, b) => b[1] - a[1])) console.log(`${String(n).padStart(6)}  ${(n / all * 100).toFixed(1).padStart(5)}%  ${k}`);
  process.exit(0);
}
if (process.argv.includes("--loss")) {
  // Averaged over storms, as mean pairwise F1 is: a row of 0.010 is about a point of recall or precision lost.
  console.log(`pairs lost, as a share of each storm's true pairs, mean over ${dirs.length} storms:`);
  for (const [k, n] of [...lossTotal.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`${(n / dirs.length).toFixed(4)}  ${k}`);
  process.exit(0);
}
const rows = [...total.entries()].sort((a, b) => b[1] - a[1]);
if (process.argv.includes("--merged")) {
  console.log(`pairs of two true incidents put together, by main <- merged-in failure mode | how the merged-in part's first event was placed, share of true pairs, mean over ${dirs.length} storms:`);
  for (const [k, n] of rows.slice(0, 30)) console.log(`${(n / dirs.length).toFixed(4)}  ${k}`);
  process.exit(0);
}
if (process.argv.includes("--zone-ns")) {
  console.log(`events joined through an impaired zone they do not name, by whose they are (the impairment's own or another failure's) and namespace, over ${dirs.length} storms:`);
  for (const [k, n] of rows) console.log(`${String(n).padStart(6)}  ${k}`);
  process.exit(0);
}
console.log(weigh ? `pairs lost to fragments (main part × fragment), share of true pairs, mean over ${dirs.length} storms:` : `fragments: ${rows.reduce((s, [, n]) => s + n, 0)}`);
for (const [k, n] of rows) {
  console.log(weigh ? `${(n / dirs.length).toFixed(4)}  ${k}` : `${String(n).padStart(4)}  ${k}`);
  if (process.argv.includes("--examples") || n >= 8) for (const e of allEx.get(k) ?? []) console.log(`        ${e}`);
}
