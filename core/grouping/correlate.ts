import type { Alert } from "./alert";
import type { GroupingConfig } from "./config";
import { absorb, addRoot, hasEnoughRoots, isUrgent, moreSevere, newGroup, refresh } from "./correlate-group";
import { announcesImpairment, burnKeyOf, compositeChildren, failingKeyOf, findLink, isAnchored, isRegionalServiceSignal, isZoneHealthSignal, type Link, subjectOf, zoneOf } from "./correlate-links";
import { failingSince, mergeGroups } from "./correlate-merge";
import { adoptLaunches, rememberLaunch } from "./correlate-launch";
import { claimRollout } from "./correlate-rollout";
import { DeadlineHeap } from "./deadline-heap";
import { duePages, resolvePage, scheduleUpdate } from "./correlate-notify";
import type { Decision, FingerprintEntry, Group, GroupingState, LinkDetail, LinkKind, Step, SuppressReason } from "./correlate-state";
import { closeSilent, overAt, sendsNoClear } from "./correlate-silence";
import { HEALTH_FINGERPRINT } from "./normalise-health";
import { isSpendSignal } from "./spend";
import type { Topology } from "./topology";

/** What the engine needs besides its state: the topology and the parsed `grouping` config. */
export interface EngineContext {
  topology: Topology;
  config: GroupingConfig;
  /** Diagnostics only (bench/grouping-fragments.ts `--choices`): every group `findLink` could link an alert to, before it picks one. */
  onLinkCandidate?: ((alert: Alert, groupId: string, kind: LinkKind) => void) | undefined;
}

/** Links that make an alert a symptom of the incident's cause: attached, but they page nobody (inhibition). */
const SYMPTOM_LINKS: ReadonlySet<LinkKind> = new Set(["dependency", "zone"]);

/** Links that tie an alert to the cause itself (its resource, rule or composite), not to a symptom. */
const STRONG_LINKS: ReadonlySet<LinkKind> = new Set(["composite", "resource", "rule"]);

/** Timer index per state object, kept outside the serialised state; a state loaded afresh rebuilds it from its groups. */
const TIMERS = new WeakMap<GroupingState, { heap: DeadlineHeap; limit: number }>();

function timersOf(state: GroupingState, config: GroupingConfig): DeadlineHeap {
  let timers = TIMERS.get(state);
  if (timers === undefined) {
    const heap = new DeadlineHeap();
    for (const group of Object.values(state.groups)) heap.push(deadlineOf(state, group, config), group.id);
    timers = { heap, limit: 4 * heap.size + 1024 };
    TIMERS.set(state, timers);
  }
  return timers.heap;
}

/** Records a group's (possibly new) deadline in the timer index and in `nextDueAt`. */
function schedule(state: GroupingState, group: Group, config: GroupingConfig): void {
  const deadline = deadlineOf(state, group, config);
  const heap = timersOf(state, config);
  heap.push(deadline, group.id);
  // Stale entries pile up when deadlines move often: past a limit, rebuild if they outnumber live groups fourfold.
  const timers = TIMERS.get(state);
  if (timers !== undefined && heap.size > timers.limit) {
    if (heap.size > 4 * Object.keys(state.groups).length) TIMERS.delete(state);
    else timers.limit = 2 * heap.size;
  }
  state.nextDueAt = Math.min(state.nextDueAt, deadline);
}

/** Links by which a clear whose firing was never seen joins an open incident: its resource, zone or service, not a neighbour's. */
const RECOVERY_LINKS: ReadonlySet<LinkKind> = new Set(["resource", "zone", "service"]);

/** Whether an alert re-reports a finding with a higher occurrence count or severity than last seen. */
function escalates(entry: FingerprintEntry | undefined, alert: Alert): boolean {
  if (entry === undefined) return false;
  const count = alert.labels.count === undefined ? undefined : Number(alert.labels.count);
  return moreSevere(alert.severity, entry.severity) || (count !== undefined && entry.count !== undefined && count > entry.count);
}

/** A resolved incident whose cause fires again within `fingerprintMemory` reopens instead of splitting. */
function reopen(group: Group): void {
  group.status = "open";
  group.resolvedAt = undefined;
}

function recordFiring(state: GroupingState, alert: Alert, groupId: string, via: string | undefined, config: GroupingConfig): FingerprintEntry {
  const entry = state.fingerprints[alert.fingerprint] ?? { groupId, status: alert.status, statusAt: alert.eventTime, severity: alert.severity, firings: [] };
  // A re-publication of something already firing (a finding every 15 minutes) is no new firing: only transitions count as flaps.
  const transition = state.fingerprints[alert.fingerprint] === undefined || entry.status !== "firing";
  if (entry.groupId !== groupId) entry.events = 0;
  entry.groupId = groupId;
  entry.severity = alert.severity;
  if (alert.labels.count !== undefined) entry.count = Math.max(entry.count ?? 0, Number(alert.labels.count));
  if (alert.eventTime >= entry.statusAt) {
    entry.status = "firing";
    entry.statusAt = alert.eventTime;
  }
  const recent = entry.firings.filter((t) => t > alert.eventTime - config.flapWindow);
  entry.firings = transition ? [...recent, alert.eventTime] : recent;
  entry.noClear = sendsNoClear(alert) || undefined;
  entry.spend = isSpendSignal(alert) || undefined;
  entry.hostCheck = /^StatusCheckFailed/.test(alert.labels.metricName ?? "") || undefined;
  entry.where = failingKeyOf(alert);
  entry.regional = isRegionalServiceSignal(alert) || undefined;
  if (via === undefined) delete entry.via;
  else entry.via = via;
  state.fingerprints[alert.fingerprint] = entry;
  return entry;
}

/** Whether a fingerprint went to firing `flapCount` times within the flap window. */
function isFlapping(entry: FingerprintEntry | undefined, config: GroupingConfig): boolean {
  return entry !== undefined && entry.firings.length >= config.flapCount;
}

function allQuiet(state: GroupingState, group: Group): boolean {
  return group.fingerprints.every((fp) => state.fingerprints[fp]?.groupId !== group.id || state.fingerprints[fp]?.status === "resolved");
}

/** Services `service` depends on within `hops` edges (its possible causes). */
function dependenciesWithin(topology: Topology, service: string, hops: number): Set<string> {
  const found = new Set<string>();
  let frontier = [service];
  for (let hop = 0; hop < hops; hop++) {
    frontier = frontier.flatMap((s) => topology.dependenciesOf(s)).filter((d) => d !== service && !found.has(d));
    for (const d of frontier) found.add(d);
  }
  return found;
}

/** Opens a pending group as an incident: releases its held alerts and schedules the first page. */
function open(state: GroupingState, group: Group, at: number, ctx: EngineContext): Decision[] {
  group.status = "open";
  group.openedAt = at;
  refresh(group, ctx.topology);
  const root = group.rootService;
  const upstream = root === undefined ? new Set<string>() : dependenciesWithin(ctx.topology, root, ctx.config.dependencyHops);
  const cause = Object.values(state.groups).find((other) => other.status === "open" && other.rootService !== undefined && upstream.has(other.rootService));
  group.inhibitedBy = cause?.id;
  group.notify.dueAt = at + ctx.config.groupWait;
  const eventIds = group.heldEventIds;
  group.heldEventIds = [];
  return [{ type: "incident.opened", incidentId: group.id, at, eventIds, priority: group.priority, rootService: group.rootService }, ...gatherPrelude(state, group, at, ctx)];
}

/**
 * An incident that opens takes in the groups still held back on one of its own resources (or queues) since within
 * `fingerprintMemory`: the quiet first findings of an attack (a port probe, then brute force) or an instance's
 * first warnings are the prelude of the failure that now shows, not separate noise. A group of AWS Health notices only
 * (an instance's maintenance scheduled) is not: taken in, it would date the incident from the notice, hours early.
 */
function gatherPrelude(state: GroupingState, group: Group, at: number, ctx: EngineContext): Decision[] {
  if (group.resources.length === 0 && (group.queues?.length ?? 0) === 0) return [];
  const decisions: Decision[] = [];
  const began = failingSince(group);
  for (const other of Object.values(state.groups)) {
    if (other === group || other.status !== "pending" || other.firstAt < at - ctx.config.fingerprintMemory || other.firstAt > at) continue;
    // AWS Health's notices alone (planned maintenance, an account notification) announce no failure: they are no prelude.
    if (other.roots.length === 0 && other.fingerprints.every((fp) => fp.startsWith(HEALTH_FINGERPRINT))) continue;
    // Its resources, or a queue its alarms watch (a backlog's age alarm held alone before the consumer's failure showed).
    if (!other.resources.some((r) => group.resources.includes(r)) && other.queues?.some((q) => group.queues?.includes(q) === true) !== true) continue;
    const eventIds = mergeGroups(state, group, other);
    decisions.push({ type: "incident.merged", incidentId: group.id, from: other.id, at, eventIds });
  }
  if (group.firstAt < began) group.failingSince = began;
  return decisions;
}

/**
 * Discards a pending group that never qualified at its verdict time `at`: its held alerts are suppressed with the reason,
 * unless it was a lone symptom of a zone impairment, which takes it in, or a failure of its own (`failedAlone`), which opens.
 */
function discard(state: GroupingState, group: Group, at: number, ctx: EngineContext): Decision[] {
  const flapping = group.fingerprints.some((fp) => isFlapping(state.fingerprints[fp], ctx.config));
  const reason: SuppressReason =
    group.roots.length === 0 ? "informational" : flapping ? "flapping" : group.quietSince !== undefined && group.quietSince - group.firstAt <= ctx.config.transientPause ? "transient" : "lone";
  // A lone failure that began with a zone impairment of its region is that impairment's symptom, not noise.
  if (reason === "lone") {
    const into = impairmentTaking(state, group, ctx);
    if (into !== undefined) {
      const eventIds = mergeGroups(state, into, group);
      return [{ type: "incident.merged", incidentId: into.id, from: group.id, at, eventIds }];
    }
  }
  if (reason === "lone" && failedAlone(state, group, ctx.config)) return open(state, group, at, ctx);
  group.status = "discarded";
  group.discardReason = reason;
  const held = group.heldEventIds;
  group.heldEventIds = [];
  return held.map((eventId) => ({ type: "alert.suppressed", eventId, reason }));
}

/**
 * Whether a lone pending group was a failure of its own after all, to open at its verdict rather than be suppressed: a
 * host failing its status checks past the transient pause, or an alarm telling that calls fail (errors, latency, unhealthy
 * hosts, a backlog; no host's load, no spend) that fired once and stayed firing `loneSustain` before it cleared. An urgent
 * alert opens at `loneSustain` (`sustainedAt`); these open only once over, so that while pending they drew no other
 * failure's symptoms (a failed host opened at the pause took its neighbour database's callers). One still firing at the
 * verdict (`fingerprintMemory` after its last alert) stays suppressed: a stuck lone alarm was mostly noise.
 */
function failedAlone(state: GroupingState, group: Group, config: GroupingConfig): boolean {
  const own = (fp: string) => (state.fingerprints[fp]?.groupId === group.id ? state.fingerprints[fp] : undefined);
  if (group.roots.some((fp) => own(fp)?.hostCheck === true)) return true;
  if (group.quietSince === undefined || group.quietSince - group.firstAt < config.loneSustain) return false;
  return group.roots.every((fp) => fp.startsWith("alarm:") && own(fp)?.where !== undefined && own(fp)?.spend !== true && (own(fp)?.firings.length ?? 0) <= 1);
}

/**
 * The open zone impairment a quiet lone pending group's failure belongs to, if any: the group failed calls (errors, latency,
 * unhealthy hosts; no regional service's metric, no finding) only in the impairment's region, in no zone or only its
 * impaired ones, and began while the zone was impaired or within `zoneLead` before the impairment's first signs. Such a
 * group is often founded by a zone-less symptom before the impairment is known, and its alarm's next firings rejoin it.
 */
function impairmentTaking(state: GroupingState, group: Group, ctx: EngineContext): Group | undefined {
  if (Object.keys(group.failing ?? {}).length === 0 || group.findingServices.length > 0 || group.quietSince === undefined) return undefined;
  if (group.roots.some((fp) => state.fingerprints[fp]?.regional === true)) return undefined;
  for (const other of Object.values(state.groups)) {
    if (other.status !== "open" || other.impairedZones.length === 0) continue;
    const regions = new Set(other.impairedZones.map((z) => z.split("/")[0]));
    if (!group.regions.every((r) => regions.has(r)) || !group.zones.every((z) => other.impairedZones.includes(z))) continue;
    if (group.firstAt < other.firstAt - ctx.config.zoneLead || group.firstAt > (other.impairedUntil ?? Number.POSITIVE_INFINITY)) continue;
    return other;
  }
  return undefined;
}

/**
 * A leak's out-of-memory restart shows first as its service's errors or latency, and its memory alarm clears a minute or
 * two later (the metric lags by its evaluation periods), so the blip founded a group of its own before `restarted` could
 * tell. When a memory alarm of an open slow-burn incident clears, the groups its service founded within `restartWindow`
 * before, failing calls only in that region and tied to no zone, were that restart: they merge into the incident.
 */
function gatherRestartBlips(state: GroupingState, group: Group, alert: Alert, ctx: EngineContext): Decision[] {
  const service = alert.service;
  if (alert.status !== "resolved" || service === undefined || group.status !== "open" || group.burnKeys === undefined) return [];
  const burn = burnKeyOf(alert);
  if (burn === undefined || !group.burnKeys.includes(burn)) return [];
  const at = alert.eventTime;
  const decisions: Decision[] = [];
  for (const other of Object.values(state.groups)) {
    if (other === group || (other.status !== "pending" && other.status !== "open") || other.impairedZones.length > 0 || other.zones.length > 0) continue;
    if (other.causeServices.length !== 1 || other.causeServices[0] !== service || !other.regions.every((r) => r === alert.region)) continue;
    if (other.firstAt < at - ctx.config.restartWindow || other.firstAt > at || other.failing?.[`${service}@${alert.region}`] === undefined) continue;
    const eventIds = mergeGroups(state, group, other);
    decisions.push({ type: "incident.merged", incidentId: group.id, from: other.id, at, eventIds });
  }
  return decisions;
}

/**
 * The open incident holding the resource a clear is about (a Security Hub control passing again on a security group a
 * drift's incident holds), however long ago its cause last changed: the fix of something an incident holds is its news.
 * Not an alarm's clear (an alarm is its own resource) nor an instance's launch (see `placeResolved`).
 */
function openHolderOf(state: GroupingState, alert: Alert): Group | undefined {
  const resource = subjectOf(alert);
  if (resource === undefined || alert.kind === "ec2.instance-state-change") return undefined;
  let best: Group | undefined;
  for (const id in state.groups) {
    const group = state.groups[id] as Group;
    if (group.status === "open" && group.resources.includes(resource) && (best === undefined || group.lastAt > best.lastAt)) best = group;
  }
  return best;
}

function placeResolved(state: GroupingState, alert: Alert, ctx: EngineContext): { group?: Group; link: LinkKind } {
  const entry = state.fingerprints[alert.fingerprint];
  const group = entry === undefined ? undefined : state.groups[entry.groupId];
  if (entry !== undefined && group !== undefined) {
    if (alert.eventTime >= entry.statusAt) {
      entry.status = "resolved";
      entry.statusAt = alert.eventTime;
    }
    // A composite's clear, like its firing, belongs where the child that triggered it is: an open incident the composite
    // never fired in again, since it was still in alarm over an older failure's child when this one's fired.
    const child = compositeChildren(alert).map((fp) => state.fingerprints[fp]).find((e) => e !== undefined && state.groups[e.groupId] !== undefined);
    const childGroup = child === undefined ? undefined : state.groups[child.groupId];
    if (childGroup !== undefined && childGroup !== group && childGroup.status === "open") return { group: childGroup, link: "composite" };
    return { group, link: "fingerprint" };
  }
  // A clear with no firing seen (a replacement instance launched, an alarm whose firing was lost) is the recovery of
  // whatever open incident owns its resource, zone or service; with none it is informational.
  const holder = openHolderOf(state, alert);
  if (holder !== undefined) return { group: holder, link: "resource" };
  const link = findLink(state, alert, ctx.topology, ctx.config, ctx.onLinkCandidate);
  // By service only when the incident already reports that kind of signal (a launch replaces an instance it saw go): a scale-out is no recovery.
  const family = alert.fingerprint.slice(0, alert.fingerprint.indexOf(":") + 1);
  const reports = (g: Group) => g.fingerprints.some((fp) => fp.startsWith(family));
  // Capacity lost to an impaired zone comes back in the healthy ones: an instance launched in the impaired zone replaces one
  // failed instance or scales out, and is no recovery of the impairment.
  const launchInImpairedZone = link?.kind === "zone" && alert.kind === "ec2.instance-state-change" && link.group.impairedZones.length > 0;
  if (link !== undefined && !launchInImpairedZone && link.group.status === "open" && RECOVERY_LINKS.has(link.kind) && (link.kind !== "service" || reports(link.group))) return { group: link.group, link: link.kind };
  // A replacement launched soon after the incident lost an instance of that service (a symptom, no cause) is its recovery too.
  const down = (g: Group) =>
    g.fingerprints.some((fp) => {
      const entry = state.fingerprints[fp];
      return fp.startsWith(family) && entry?.groupId === g.id && entry.status === "firing" && alert.eventTime - entry.statusAt <= ctx.config.correlationWindow;
    });
  const lost = Object.values(state.groups).filter((g) => g.status === "open" && alert.service !== undefined && g.services.includes(alert.service) && down(g));
  const latest = lost.reduce<Group | undefined>((a, b) => (a === undefined || b.lastAt > a.lastAt ? b : a), undefined);
  return latest === undefined ? { link: "new" } : { group: latest, link: "service" };
}

/**
 * Takes one normalised alert at clock `now` (the handler's clock; event time drives correlation): dedups it
 * on `eventId` + fingerprint, places it in the group it correlates with (or a new pending one), opens the
 * group as an incident once it shows two independent roots, and schedules pages. Takes ownership of `state`
 * and returns it updated (no copy, for throughput); deterministic for the same inputs in the same order.
 *
 * @param state - engine state from `createGroupingState` or a previous step
 * @param alert - one alert from `normaliseEvent`
 * @param now - the clock (ms since epoch)
 * @param ctx - topology and config
 */
export function ingest(state: GroupingState, alert: Alert, now: number, ctx: EngineContext): Step {
  state.clock = Math.max(state.clock, now);
  const key = `${alert.eventId}#${alert.fingerprint}`;
  const seen = state.seen[key];
  if (seen !== undefined) return { state, decisions: [{ type: "alert.duplicate", eventId: alert.eventId, groupId: seen[1] }] };

  const decisions: Decision[] = [];
  let group: Group | undefined;
  let link: LinkKind;
  let detail: LinkDetail = {};
  const announcedIn = state.fingerprints[alert.fingerprint]?.groupId;
  if (alert.status === "resolved") {
    ({ group, link } = placeResolved(state, alert, ctx));
    if (group === undefined) {
      state.seen[key] = [alert.eventTime, ""];
      rememberLaunch(state, alert);
      return { state, decisions: [{ type: "alert.suppressed", eventId: alert.eventId, reason: "informational" }] };
    }
    absorb(group, alert, { anchor: group.anchors.includes(alert.fingerprint), transition: true, escalated: false });
    if (allQuiet(state, group)) group.quietSince = Math.max(group.quietSince ?? 0, alert.eventTime);
    group.overAt = overAt(state, group, ctx.config);
  } else {
    const found = findLink(state, alert, ctx.topology, ctx.config, ctx.onLinkCandidate);
    group = found?.group ?? newGroup(state, alert);
    link = found?.kind ?? "new";
    detail = detailOf(found);
    const previous = state.fingerprints[alert.fingerprint];
    // An instance taken out of service while an alarm on it fires is the platform acting on that failure: evidence, though informational.
    const escalated = escalates(previous, alert) || (link === "resource" && alert.kind === "ec2.instance-state-change");
    // A flapping fingerprint's re-firings are not new evidence of the cause, so they do not restart the cascade window.
    const flapping = previous !== undefined && previous.firings.filter((f) => f > alert.eventTime - ctx.config.flapWindow).length + 1 >= ctx.config.flapCount;
    // An alarm firing again into an open incident where everything has cleared, itself included, is no cause firing anew
    // (a noise alarm that founded the group just before the failure, repeating every 20 minutes, held it open to new
    // failures of its service); a slow burn's next cycle is.
    const lone = link === "fingerprint" && previous?.status === "resolved" && group.status === "open" && burnKeyOf(alert) === undefined && allQuiet(state, group);
    // An escalating finding (count or severity up) is a change of the cause's state too.
    const transition = ((previous === undefined || previous.status !== "firing") && !flapping && !lone) || escalated;
    // A pending group's founders anchor it only within one cascade window, so a group left pending cannot keep absorbing anchors.
    // Only the founder, alerts on the cause's own resources/rules/children, adopted upstream causes and a rollout's new region
    // anchor; symptoms never do.
    const founding = group.status === "pending" && alert.eventTime - group.firstAt <= ctx.config.cascadeWindow && STRONG_LINKS.has(link);
    // A cause's service beginning to fail calls somewhere in its group (a release reaching its second region within the cascade
    // window; its errors after a group founded on its hosts' load) is the cause itself: its callers there fail minutes later.
    // Not a slow burn's, which fails in each region alone.
    const failsAnew = failingKeyOf(alert);
    const spreads =
      link === "service" && (group.burnKeys?.length ?? 0) === 0 && alert.service !== undefined && group.causeServices.includes(alert.service) && failsAnew !== undefined && group.failing?.[failsAnew] === undefined;
    const anchor = link === "new" || found?.upstream === true || found?.rollout === true || founding || spreads || (link === "fingerprint" && group.anchors.includes(alert.fingerprint));
    // A slow burn back after its last cycle cleared and more than a flap window after it last fired is the leak proving itself: evidence.
    const burn = burnKeyOf(alert);
    const returns = burn !== undefined && link === "fingerprint" && group.status === "pending" && group.burnKeys?.includes(burn) === true && group.quietSince !== undefined && previous?.firings.some((f) => f > alert.eventTime - ctx.config.flapWindow) !== true;
    // A re-firing keeps the symptom it joined through; any other link says anew how it belongs.
    recordFiring(state, alert, group.id, link === "fingerprint" ? previous?.via : found?.via, ctx.config);
    absorb(group, alert, { anchor, transition, escalated });
    if (returns) addRoot(group, `${burn}#return`);
    group.quietSince = undefined;
    group.overAt = overAt(state, group, ctx.config);
    // Information (an instance stopped, a metric gone) is no failure coming back: it never reopens an incident.
    if (group.status === "resolved" && alert.severity !== "info") reopen(group);
  }
  state.seen[key] = [alert.eventTime, group.id];
  const entry = state.fingerprints[alert.fingerprint];
  if (entry?.groupId === group.id) entry.events = (entry.events ?? 0) + 1;
  const placed = place(state, group, alert, link, ctx, detail);
  decisions.push(...placed);
  const opened = placed.some((d) => d.type === "incident.opened" && d.incidentId === group.id);
  decisions.push(...claimRollout(state, group, alert, ctx, opened));
  decisions.push(...gatherRestartBlips(state, group, alert, ctx));
  decisions.push(...adoptLaunches(state, group, alert, link, ctx));
  const zone = alert.status === "firing" && announcesImpairment(alert) ? zoneOf(alert) : undefined;
  if (zone !== undefined) {
    group.impairedUntil = Math.max(group.impairedUntil ?? 0, alert.eventTime + ctx.config.cascadeWindow);
    // Only the first announcement gathers: an update (the same Health event again) tells of no new failure, and a group
    // begun in the zone since that did not join the impairment as it fired is a failure of its own.
    if (announcedIn !== group.id) decisions.push(...gatherZone(state, group, zone, alert.eventTime, ctx));
  }
  // AWS Health's all-clear ends the impairment's pull (its late symptoms still join by fingerprint).
  if (alert.status === "resolved" && announcesImpairment(alert) && group.impairedUntil !== undefined) group.impairedUntil = Math.min(group.impairedUntil, alert.eventTime);
  const burst = alert.status === "firing" ? zoneBurst(state, alert, ctx) : undefined;
  if (burst !== undefined) decisions.push(...declareImpairment(state, group, burst, alert.eventTime, ctx));
  // Only the group this alert touched has a new deadline (a zone gathering updates its target's), so `tick` stays idle until then.
  schedule(state, group, ctx.config);
  return { state, decisions };
}

/** What a link went through, as decisions carry it (nothing for other links, and no empty fields). */
function detailOf(found: Link | undefined): LinkDetail {
  return { ...(found?.through === undefined ? {} : { through: found.through }), ...(found?.upstream === true ? { upstream: true as const } : {}) };
}

function place(state: GroupingState, group: Group, alert: Alert, link: LinkKind, ctx: EngineContext, detail: LinkDetail = {}): Decision[] {
  if (group.status === "discarded") return [{ type: "alert.suppressed", eventId: alert.eventId, reason: group.discardReason ?? "lone" }];
  if (group.status === "pending") {
    group.heldEventIds.push(alert.eventId);
    const held: Decision = { type: "alert.held", eventId: alert.eventId, groupId: group.id, reason: "awaiting-correlation", link, ...detail };
    return hasEnoughRoots(group, ctx.config) ? [held, ...open(state, group, alert.eventTime, ctx)] : [held];
  }
  const muted = alert.status === "resolved" || SYMPTOM_LINKS.has(link) || group.status === "resolved";
  const decisions: Decision[] = [{ type: "alert.attached", eventId: alert.eventId, incidentId: group.id, link, muted, ...detail }];
  if (group.status === "open") {
    refresh(group, ctx.topology);
    if (!muted) scheduleUpdate(group, ctx.config);
    decisions.push({ type: "incident.updated", incidentId: group.id, at: alert.eventTime, eventCount: group.eventCount, priority: group.priority, rootService: group.rootService });
  }
  return decisions;
}

/**
 * An announced zone impairment explains every group that began in that zone shortly before (per-AZ unhealthy
 * targets, status checks, failovers across services alert before AWS Health does) and is tied to no healthy zone:
 * they merge into the announcing group, which opens if any of them was an incident.
 */
function gatherZone(state: GroupingState, target: Group, zone: string, at: number, ctx: EngineContext): Decision[] {
  const decisions: Decision[] = [];
  let wasOpen = false;
  for (const other of Object.values(state.groups)) {
    if (other === target || (other.status !== "pending" && other.status !== "open")) continue;
    if (!other.zones.includes(zone) || failingSince(other) < at - ctx.config.zoneLead) continue;
    // A group tied to a healthy zone as well began failing there: it only drew in something of the impaired zone.
    if (!other.zones.every((z) => z === zone || target.impairedZones.includes(z))) continue;
    wasOpen ||= other.status === "open";
    const eventIds = mergeGroups(state, target, other);
    decisions.push({ type: "incident.merged", incidentId: target.id, from: other.id, at, eventIds });
  }
  if (target.status === "pending" && (wasOpen || hasEnoughRoots(target, ctx.config))) decisions.push(...open(state, target, at, ctx));
  schedule(state, target, ctx.config);
  return decisions;
}

/**
 * Records a zone-tied availability firing (status check, per-AZ unhealthy hosts, failover) and returns its zone
 * when distinct services there now fire within `zoneBurstWindow` and no live group already stands for that zone:
 * many services failing in one zone at once is a zone impairment, whether or not AWS Health has said so yet.
 */
function zoneBurst(state: GroupingState, alert: Alert, ctx: EngineContext): string | undefined {
  const zone = zoneOf(alert);
  // Only zone-health signals from alarms that are not flapping count: a busy database in the zone is no zone failure.
  if (zone === undefined || !isZoneHealthSignal(alert) || announcesImpairment(alert) || isFlapping(state.fingerprints[alert.fingerprint], ctx.config)) return undefined;
  const { zoneBurstWindow: window, zoneBurstServices: needed } = ctx.config;
  const signals = (state.zoneSignals ??= {});
  const recent = (signals[zone] ?? []).filter(([t]) => t > state.clock - window - ctx.config.allowedLateness);
  recent.push([alert.eventTime, alert.service ?? alert.fingerprint]);
  signals[zone] = recent;
  const services = new Set(recent.filter(([t]) => Math.abs(t - alert.eventTime) <= window).map(([, s]) => s));
  if (services.size < needed) return undefined;
  const explaining = Object.values(state.groups).find(
    (g) => (g.status === "open" || g.status === "pending") && g.impairedZones.includes(zone) && isAnchored(state, g, alert.eventTime, ctx.config),
  );
  if (explaining === undefined) return zone;
  // The zone is still failing broadly: the impairment keeps drawing its symptoms in.
  explaining.impairedUntil = Math.max(explaining.impairedUntil ?? 0, alert.eventTime + ctx.config.cascadeWindow);
  return undefined;
}

/** Takes a detected zone burst as an impairment: the earliest group that began in the zone gathers the others. */
function declareImpairment(state: GroupingState, current: Group, zone: string, at: number, ctx: EngineContext): Decision[] {
  const live = (g: Group) => g.status === "open" || g.status === "pending";
  const candidates = Object.values(state.groups).filter((g) => live(g) && g.zones.includes(zone) && failingSince(g) >= at - ctx.config.zoneLead);
  const target = candidates.reduce<Group | undefined>((a, b) => (a === undefined || b.firstAt < a.firstAt ? b : a), live(current) ? current : undefined);
  if (target === undefined) return [];
  target.impairedZones.push(zone);
  target.impairedUntil = Math.max(target.impairedUntil ?? 0, at + ctx.config.cascadeWindow);
  return gatherZone(state, target, zone, at, ctx);
}

/** A pending group whose one root has stayed firing at error or above for `loneSustain`, without flapping. */
function sustainedAt(state: GroupingState, group: Group, config: GroupingConfig): number | undefined {
  let earliest: number | undefined;
  for (const fp of group.fingerprints) {
    const entry = state.fingerprints[fp];
    if (entry === undefined || entry.groupId !== group.id || entry.status !== "firing" || !isUrgent(entry.severity) || isFlapping(entry, config)) continue;
    // A composite is no evidence of its own (it counts as its children, see `absorb`): only a root firing on its own sustains a lone group.
    if (!group.roots.includes(fp)) continue;
    const at = entry.statusAt + config.loneSustain;
    if (earliest === undefined || at < earliest) earliest = at;
  }
  return earliest;
}

/**
 * When a pending group that never qualified is judged noise: a correlation window after it went quiet, or
 * `fingerprintMemory` after its last alert while one still fires. A slow burn (a memory leak) that clears is not
 * over: its next out-of-memory cycle comes back within `fingerprintMemory`, so its group waits that long.
 */
function pendingExpiry(group: Group, config: GroupingConfig): number {
  const slowBurn = (group.burnKeys?.length ?? 0) > 0;
  return group.quietSince !== undefined && !slowBurn ? group.quietSince + config.correlationWindow : group.lastAt + config.fingerprintMemory;
}

/** When `tickGroup` next has something to do for a group: a pending verdict, a resolve, or a page. */
function deadlineOf(state: GroupingState, group: Group, config: GroupingConfig): number {
  if (group.status === "pending") {
    const expiry = pendingExpiry(group, config);
    return Math.min(expiry + config.allowedLateness, sustainedAt(state, group, config) ?? Number.POSITIVE_INFINITY);
  }
  if (group.status !== "open") return Number.POSITIVE_INFINITY;
  return Math.min(resolveAtOf(group, config), group.notify.dueAt ?? Number.POSITIVE_INFINITY);
}

/** When an open incident resolves: `resolveTimeout` after all its alerts are over (cleared, or silent if they never clear). */
function resolveAtOf(group: Group, config: GroupingConfig): number {
  const over = group.overAt ?? group.quietSince;
  return over === undefined ? Number.POSITIVE_INFINITY : over + config.resolveTimeout;
}

/** Processes one group's timers at `now`; returns decisions and the group's next deadline. */
function tickGroup(state: GroupingState, group: Group, now: number, ctx: EngineContext): { decisions: Decision[]; next: number } {
  const { config } = ctx;
  if (group.status === "pending") {
    const sustain = sustainedAt(state, group, config);
    if (sustain !== undefined && now >= sustain) return { decisions: open(state, group, sustain, ctx), next: sustain + config.groupWait };
    const expiry = pendingExpiry(group, config);
    const lateExpiry = expiry + config.allowedLateness;
    if (now >= lateExpiry) return { decisions: discard(state, group, lateExpiry, ctx), next: Number.POSITIVE_INFINITY };
    return { decisions: [], next: Math.min(lateExpiry, sustain ?? Number.POSITIVE_INFINITY) };
  }
  if (group.status !== "open") return { decisions: [], next: Number.POSITIVE_INFINITY };
  const resolveAt = resolveAtOf(group, config);
  if (now >= resolveAt) {
    group.status = "resolved";
    group.resolvedAt = resolveAt;
    closeSilent(state, group, config);
    return { decisions: [{ type: "incident.resolved", incidentId: group.id, at: resolveAt }, ...resolvePage(group, resolveAt)], next: Number.POSITIVE_INFINITY };
  }
  const pages = duePages(group, now, config);
  return { decisions: pages, next: Math.min(resolveAt, group.notify.dueAt ?? Number.POSITIVE_INFINITY) };
}

/** Forgets dedup keys, fingerprints and closed groups older than their windows, so state stays bounded. */
function prune(state: GroupingState, now: number, config: GroupingConfig): void {
  const horizon = now - Math.max(config.fingerprintMemory, config.dedupWindow) - config.allowedLateness;
  for (const [key, [at]] of Object.entries(state.seen)) if (at < now - config.dedupWindow - config.allowedLateness) delete state.seen[key];
  for (const [id, group] of Object.entries(state.groups)) {
    const closed = group.status === "resolved" || group.status === "discarded";
    // Kept a while after it resolved too, so the late clear of an alarm that outlived it (stale) still finds it.
    if (closed && Math.max(group.lastAt, group.resolvedAt ?? 0) < horizon) delete state.groups[id];
  }
  for (const [fp, entry] of Object.entries(state.fingerprints)) if (state.groups[entry.groupId] === undefined && entry.statusAt < horizon) delete state.fingerprints[fp];
  for (const [fp, [at]] of Object.entries(state.launches ?? {})) if (at < now - config.fingerprintMemory - config.allowedLateness) delete state.launches?.[fp];
  for (const [zone, signals] of Object.entries(state.zoneSignals ?? {})) {
    const kept = signals.filter(([t]) => t > now - config.zoneBurstWindow - config.allowedLateness);
    if (kept.length === 0) delete state.zoneSignals?.[zone];
    else if (state.zoneSignals !== undefined) state.zoneSignals[zone] = kept;
  }
  state.prunedAt = now;
}

/**
 * Advances the clock to `now`: opens pending groups whose lone urgent alert stayed firing, discards pending
 * groups that never qualified (their alerts suppressed as transient, flapping, lone or informational),
 * resolves incidents quiet for `resolveTimeout`, and sends the pages that are due. Pending decisions wait
 * `allowedLateness` past their deadline so a late alert can still change them. Cheap when nothing is due.
 *
 * @param state - engine state (taken over and returned)
 * @param now - the clock (ms since epoch)
 * @param ctx - topology and config
 */
export function tick(state: GroupingState, now: number, ctx: EngineContext): Step {
  state.clock = Math.max(state.clock, now);
  const decisions: Decision[] = [];
  if (now >= state.nextDueAt) {
    // Pop only the due groups (O(log n) each). An entry whose group is gone is dropped; one whose deadline moved
    // (a fingerprint left the group) is re-indexed at the group's current deadline, so no timer is ever lost.
    const heap = timersOf(state, ctx.config);
    const done = new Set<Group>();
    while (heap.peek() <= now) {
      const at = heap.peek();
      const group = state.groups[heap.peekId() ?? ""];
      heap.pop();
      if (group === undefined || done.has(group)) continue;
      const deadline = deadlineOf(state, group, ctx.config);
      if (deadline !== at) {
        heap.push(deadline, group.id);
        continue;
      }
      // Each due group is processed once per tick, as a full scan would; its next deadline is indexed afterwards.
      decisions.push(...tickGroup(state, group, now, ctx).decisions);
      done.add(group);
    }
    for (const group of done) if (state.groups[group.id] === group) heap.push(deadlineOf(state, group, ctx.config), group.id);
    // Clear stale entries off the top, so `nextDueAt` is the true next deadline (a scheduler sleeps until it).
    for (;;) {
      const group = state.groups[heap.peekId() ?? ""];
      if (heap.size === 0 || (group !== undefined && deadlineOf(state, group, ctx.config) === heap.peek())) break;
      heap.pop();
      if (group !== undefined) heap.push(deadlineOf(state, group, ctx.config), group.id);
    }
    state.nextDueAt = heap.peek();
  }
  if (now - state.prunedAt >= ctx.config.dedupWindow) prune(state, now, ctx.config);
  return { state, decisions };
}
