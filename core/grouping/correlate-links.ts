import type { Alert } from "./alert";
import { sameInstance } from "./arn";
import type { GroupingConfig } from "./config";
import type { Group, GroupingState, LinkKind } from "./correlate-state";
import { instanceStateFingerprint } from "./normalise-ec2";
import { isSpendSignal } from "./spend";
import type { Topology } from "./topology";

/** A group an alert correlates with, and the strongest reason why. */
export interface Link {
  group: Group;
  kind: LinkKind;
  /** The alert sits upstream of the group's cause (a dependency alerting late): it becomes a cause itself. */
  upstream?: boolean;
  /** The alert is its service failing in a new region of a rollout (`rollsOutTo`): it anchors the group there. */
  rollout?: boolean;
  /** A zone link inferred from where the alert's service runs (the alert names no zone): weaker than any other link. */
  inferred?: boolean;
  /** The alert joined through a failing symptom of the group, this `service@region` (see `FingerprintEntry.via`). */
  via?: string | undefined;
  /**
   * For people reading why it joined: a dependency link's service (the one the alert's service calls, or, `upstream`, the
   * caller failing in the group), a zone link's zone.
   */
  through?: string | undefined;
}

/** Severities that page on their own: a pending group founded by one (a failover completes in a minute) stays a cause though quiet. */
const URGENT: ReadonlySet<string> = new Set(["error", "critical"]);

/** Strength of each link kind: the strongest candidate wins; among equals, `rankedAbove` decides. */
const STRENGTH: Record<LinkKind, number> = { fingerprint: 7, composite: 6, resource: 5, rule: 4, zone: 3, service: 2, dependency: 1, new: 0 };
/**
 * A zone link inferred for an alert naming no zone (5xx, latency) while its region has an impaired zone: below every
 * link to the cause itself, above service and dependency links (in an impairment every service fails at once, and
 * its neighbours' groups are as likely to be symptoms of the zone as causes).
 */
const INFERRED_ZONE_STRENGTH = 2.5;
/** A service's blip right after its slow burn restarted (`restarted`): above its other service links, below a zone. */
const RESTART_STRENGTH = 2.5;
/** A service link into an open incident where that service no longer fails there: below a dependency failing now. */
const BYGONE_SERVICE_STRENGTH = 0.75;
/** A dependency link through a failing symptom of the group: below a direct dependency on its cause. */
const CHAINED_STRENGTH = 0.5;
/** A dependency one hop beyond `dependencyHops` (the service between failing below its alarms' thresholds): the weakest link. */
const FAR_STRENGTH = 0.25;

/** The child alarm fingerprints of a composite alarm alert (`labels.triggeringAlarms`, comma-separated ARNs). */
export function compositeChildren(alert: Alert): string[] {
  const list = alert.labels.triggeringAlarms;
  return list === undefined || list === "" ? [] : list.split(",").map((arn) => `alarm:${arn.trim()}`);
}

/**
 * The resource an alert is about, for resource links; none for an alarm, whose main resource is itself: its own
 * firing again is governed by `fingerprintLink`, and other alarms on the resource it watches join by service.
 */
export function subjectOf(alert: Alert): string | undefined {
  const main = alert.resources[0];
  return main === undefined || alert.fingerprint === `alarm:${main}` ? undefined : main;
}

/** The zone an alert is tied to, as `region/az`, or undefined. */
export function zoneOf(alert: Alert): string | undefined {
  return alert.az === undefined ? undefined : `${alert.region}/${alert.az}`;
}

/**
 * Whether an alert announces an availability-zone impairment: an AWS Health event at warning or above that
 * names a zone. Scheduled maintenance arrives as `info` and announces nothing.
 */
export function announcesImpairment(alert: Alert): boolean {
  return alert.source === "aws.health" && alert.severity !== "info" && alert.az !== undefined;
}

/** Sources of availability symptoms (alarms, instance and database state, Vigil's metric anomalies), unlike findings. */
const ZONE_SOURCES: ReadonlySet<string> = new Set(["aws.cloudwatch", "aws.ec2", "aws.rds", "aws.health", "vigil"]);

/** Whether an alert reports availability (not a compliance or security finding), so its zone can tell a zone's health. */
export function isAvailabilitySignal(alert: Alert): boolean {
  return ZONE_SOURCES.has(alert.source) && !isSpendSignal(alert);
}

/** Metrics that say whether a zone's hosts are reachable and healthy (not how loaded they are). */
const ZONE_HEALTH_METRICS: ReadonlySet<string> = new Set([
  "StatusCheckFailed",
  "StatusCheckFailed_System",
  "StatusCheckFailed_Instance",
  "StatusCheckFailed_AttachedEBS",
  "UnHealthyHostCount",
  "HealthyHostCount",
  "ErrorPortAllocation",
]);

/**
 * Whether an alert tells of a zone's health, not only of a resource that happens to sit in it: an instance
 * status check, per-zone target health, a zonal NAT gateway's errors, a Multi-AZ failover, or an impairment
 * announcement. A database's CPU or a cache's evictions name a zone but say nothing about it.
 */
export function isZoneHealthSignal(alert: Alert): boolean {
  if (zoneOf(alert) === undefined || !isAvailabilitySignal(alert)) return false;
  if (alert.source === "aws.health") return announcesImpairment(alert);
  if (alert.source === "aws.rds") return (alert.labels.rdsCategories ?? "").split(",").includes("failover");
  return alert.labels.metricName !== undefined && ZONE_HEALTH_METRICS.has(alert.labels.metricName);
}

/** Namespaces of regional services, which run across every zone of a region and ride out the loss of one. */
const REGIONAL_NAMESPACE = /^AWS\/(DynamoDB|SQS|SNS|Kinesis|Firehose|S3|Billing|Events|States)$/;

/** Throttling and concurrency metrics: a quota counted across the region's zones, which a lost zone leaves as it was. */
const QUOTA_METRIC = /Throttl|ConcurrentExecutions/;

/**
 * Whether an alert is a regional service's metric (a table's throttles, a queue's age) or a regional quota's (a function's
 * throttles): no zone's impairment shows there.
 */
export function isRegionalServiceSignal(alert: Alert): boolean {
  return REGIONAL_NAMESPACE.test(alert.labels.namespace ?? "") || QUOTA_METRIC.test(alert.labels.metricName ?? "");
}

/** Host saturation metrics (CPU, memory): they tell how busy a service's own hosts are, not what its dependencies do. */
const SATURATION_METRIC = /CPUUtilization|cpu_usage|mem_used_percent|MemoryUtilization|MemoryUsage|FreeableMemory/;

/**
 * Whether an alert tells only of its own service's hosts, so it never follows a failure along calls: CPU or memory
 * saturation, an instance's lifecycle (scale-in, replacement), planned maintenance. A dependency failing makes its
 * callers slow and erroring, not busy, and it neither stops their instances nor schedules maintenance.
 */
export function isHostLocalSignal(alert: Alert): boolean {
  if (alert.kind === "ec2.instance-state-change") return true;
  if (alert.source === "aws.health") return alert.labels.eventTypeCategory === "scheduledChange";
  return alert.labels.metricName !== undefined && SATURATION_METRIC.test(alert.labels.metricName);
}

/**
 * Whether an alert is an informational instance lifecycle change (a launch or a stop the platform reports, not
 * escalated by a failing check on that instance): a scale-out or scale-in. It joins an incident through its own
 * instance (a failing instance's stop) or an impaired zone, never through its service.
 */
export function isLifecycleChange(alert: Alert): boolean {
  return alert.kind === "ec2.instance-state-change" && alert.severity === "info";
}

/** Services within `hops` dependency edges of `service`, in either direction (the service itself excluded). */
export function neighbourhood(topology: Topology, service: string, hops: number): Set<string> {
  const seen = new Set<string>([service]);
  let frontier = [service];
  for (let hop = 0; hop < hops; hop++) {
    const next: string[] = [];
    for (const s of frontier) {
      for (const n of [...topology.dependentsOf(s), ...topology.dependenciesOf(s)]) {
        if (!seen.has(n)) {
          seen.add(n);
          next.push(n);
        }
      }
    }
    frontier = next;
  }
  seen.delete(service);
  return seen;
}

/** Services reachable from `service` within `hops` steps of `next` (the service itself excluded). */
export function reachable(service: string, hops: number, next: (s: string) => readonly string[]): Set<string> {
  const found = new Set<string>();
  let frontier = [service];
  for (let hop = 0; hop < hops; hop++) {
    frontier = frontier.flatMap((s) => next(s)).filter((d) => d !== service && !found.has(d));
    for (const d of frontier) found.add(d);
  }
  return found;
}

/** Per topology, per `service#hops`: the services it depends on and those that call it, so a hot loop walks the graph once. */
const PATHS = new WeakMap<Topology, Map<string, { causes: Set<string>; callers: Set<string> }>>();

function paths(topology: Topology, service: string, hops: number): { causes: Set<string>; callers: Set<string> } {
  let cache = PATHS.get(topology);
  if (cache === undefined) PATHS.set(topology, (cache = new Map()));
  const key = `${service}#${hops}`;
  let found = cache.get(key);
  if (found === undefined) {
    found = { causes: reachable(service, hops, (s) => topology.dependenciesOf(s)), callers: reachable(service, hops, (s) => topology.dependentsOf(s)) };
    cache.set(key, found);
  }
  return found;
}

/**
 * Whether a group is still anchored to a live cause at `time`: one of its anchor alerts fired or cleared
 * within `correlationWindow`, or an anchor still fires (bounded by `fingerprintMemory`, so a stuck alarm
 * does not hold a group open forever). Age alone never closes a group whose cause is still active.
 */
export function isAnchored(state: GroupingState, group: Group, time: number, config: GroupingConfig): boolean {
  if (group.status === "resolved" || group.status === "discarded") return false;
  if (time < group.firstAt - config.allowedLateness) return false;
  if (time <= group.anchorAt + config.correlationWindow) return true;
  // A pending group is not held by a stuck or flapping founder: that is what noise looks like.
  return group.status === "open" && group.anchors.some((fp) => {
    const entry = state.fingerprints[fp];
    return entry !== undefined && entry.groupId === group.id && entry.status === "firing" && time - entry.statusAt <= config.fingerprintMemory;
  });
}

/**
 * Whether an alert tells only how busy or how many a service's own compute hosts are (`isHostLocalSignal`), not that
 * calls fail or where: a busy host fails no call of its service, but a busy database or cache slows every call to it,
 * and its node sits in a zone.
 */
export function tellsOfOwnHostsOnly(alert: Alert): boolean {
  return isHostLocalSignal(alert) && !DATA_STORE_NAMESPACE.test(alert.labels.namespace ?? "");
}

/**
 * The `service@region` an alert tells is failing, for `Group.failing`: a firing availability alert above `info` that is
 * no compute host's load (a service's errors, latency, unhealthy hosts, a database's or cache's saturation), or undefined.
 */
export function failingKeyOf(alert: Alert): string | undefined {
  if (alert.status !== "firing" || alert.severity === "info" || alert.service === undefined || !isAvailabilitySignal(alert)) return undefined;
  if (tellsOfOwnHostsOnly(alert)) return undefined;
  return `${alert.service}@${alert.region}`;
}

/** Whether another alert of `where` (a `service@region`) still fires in the open group: that service has not recovered there. */
function stillFails(state: GroupingState, group: Group, where: string | undefined, fingerprint: string): boolean {
  if (where === undefined || group.status !== "open") return false;
  return group.fingerprints.some((fp) => {
    const entry = state.fingerprints[fp];
    return fp !== fingerprint && entry !== undefined && entry.groupId === group.id && entry.status === "firing" && entry.where === where;
  });
}

/** Compute memory metrics: a leak fills memory, the process is killed and restarts, and the alarm fires again an hour later. */
const SLOW_BURN_METRIC = /^(mem_used_percent|MemoryUtilization|MemoryUsed|memory_utilization)$/;
/** Namespaces whose memory metrics are a cache's or a database's working set, not a process's leak. */
const DATA_STORE_NAMESPACE = /^AWS\/(RDS|ElastiCache|DocDB|Neptune|MemoryDB|DynamoDB)$/;

/**
 * Whether an alert's firing again hours later is still the same failure: a compute memory alarm, which cycles
 * with a leak's out-of-memory restarts. Other alarms firing again after their cause went quiet report a new failure.
 */
export function isSlowBurnSignal(alert: Alert): boolean {
  const metric = alert.labels.metricName;
  return metric !== undefined && SLOW_BURN_METRIC.test(metric) && !DATA_STORE_NAMESPACE.test(alert.labels.namespace ?? "");
}

/** The `service#metric` key of a slow-burn signal (see `isSlowBurnSignal`), or undefined. */
export function burnKeyOf(alert: Alert): string | undefined {
  return alert.service !== undefined && isSlowBurnSignal(alert) ? `${alert.service}#${alert.labels.metricName ?? ""}` : undefined;
}

/** The most recent group in which the same slow burn (service and memory metric, any instance) fired within `fingerprintMemory`. */
function burnLink(state: GroupingState, alert: Alert, config: GroupingConfig): Link | undefined {
  const key = burnKeyOf(alert);
  if (key === undefined) return undefined;
  const t = alert.eventTime;
  let best: Group | undefined;
  for (const group of Object.values(state.groups)) {
    if (group.status === "discarded" || group.burnKeys?.includes(key) !== true) continue;
    if (t - group.lastAt > config.fingerprintMemory || t < group.firstAt - config.allowedLateness) continue;
    if (best === undefined || group.lastAt > best.lastAt) best = group;
  }
  return best === undefined ? undefined : { group: best, kind: "fingerprint" };
}

/**
 * The group that saw the instance an alarm watches go down (its EC2 stop or termination, within `fingerprintMemory`),
 * for an alarm whose metric vanished (`INSUFFICIENT_DATA` from `OK`): the instance is gone, so its CPU and memory
 * alarms go silent minutes later, often after the incident's cascade window, and belong with what took it down.
 */
function vanishedLink(state: GroupingState, alert: Alert, config: GroupingConfig): Link | undefined {
  if (alert.status !== "firing" || alert.labels.alarmState !== "INSUFFICIENT_DATA") return undefined;
  for (const instance of watchedInstances(alert)) {
    const down = state.fingerprints[instanceStateFingerprint(instance)];
    const group = down === undefined ? undefined : state.groups[down.groupId];
    if (group !== undefined && down?.status === "firing" && alert.eventTime - down.statusAt <= config.fingerprintMemory) return { group, kind: "resource" };
  }
  return undefined;
}

/** The group a fingerprint fired in, when its next firing still belongs there. */
function fingerprintLink(state: GroupingState, alert: Alert, config: GroupingConfig): Link | undefined {
  const own = state.fingerprints[alert.fingerprint];
  const group = own === undefined ? undefined : state.groups[own.groupId];
  if (own === undefined || group === undefined) return undefined;
  const t = alert.eventTime;
  const remembered = t <= own.statusAt + config.fingerprintMemory && t >= group.firstAt - config.allowedLateness;
  // A slow burn is a new cycle each time it fires: its discarded first cycle does not make the next one noise,
  // and a cause that is a slow burn keeps its group across a resolve (the leak's next out-of-memory restart).
  if (group.status === "discarded" && burnKeyOf(alert) !== undefined) return undefined;
  if (group.anchors.includes(alert.fingerprint) && isSlowBurnSignal(alert)) return remembered ? { group, kind: "fingerprint" } : undefined;
  // Long after it cleared, an alarm firing again reports a new failure (or a new bout of noise), whatever its old group does now.
  if (own.status === "resolved" && t - own.statusAt > config.correlationWindow) return undefined;
  // A discarded noise source keeps its group, so its repeats stay suppressed.
  if (group.status === "discarded") return remembered ? { group, kind: "fingerprint" } : undefined;
  // A flapping alarm that is not the group's cause keeps no group alive by its own flaps: it rejoins only while the
  // group's cause is still active (`isAnchored`) or its own service still fails in the open incident (another of its
  // errors still fires: the failure flickers, `stillFails`); otherwise it starts anew (and is held back as flapping).
  const flaps = own.firings.filter((f) => f > t - config.flapWindow).length + 1 >= config.flapCount;
  // Flapping into an open incident where no other alarm fires any more, it is a flapper keeping the incident alive, not the
  // failure flickering: it starts anew (and is held back as flapping), anchor or not.
  if (flaps && group.status === "open" && !otherAlarmFiring(state, group, alert.fingerprint)) return undefined;
  if (flaps && !group.anchors.includes(alert.fingerprint)) return remembered && (isAnchored(state, group, t, config) || stillFails(state, group, failingKeyOf(alert), alert.fingerprint)) ? { group, kind: "fingerprint" } : undefined;
  // Soon after it cleared (a flap within the failure, within `rejoinWindow`), it rejoins its group while that group is still
  // busy; an alarm clear for longer rejoins only while the group's cause is active (anchored), else it is judged anew.
  const flap = own.status !== "resolved" || t - own.statusAt <= config.rejoinWindow;
  const busy = flap && group.status === "open" && t - group.lastAt <= config.correlationWindow;
  return remembered && (busy || isAnchored(state, group, t, config)) ? { group, kind: "fingerprint" } : undefined;
}

/** Whether an alarm of the group other than `fingerprint` is firing. */
function otherAlarmFiring(state: GroupingState, group: Group, fingerprint: string): boolean {
  return group.fingerprints.some((fp) => fp !== fingerprint && fp.startsWith("alarm:") && state.fingerprints[fp]?.groupId === group.id && state.fingerprints[fp]?.status === "firing");
}

/**
 * Finds the group an alert belongs to, strongest link first: a composite's children, the same fingerprint
 * (a flap within `correlationWindow` of its clear, or a slow burn's next cycle within `fingerprintMemory`, also
 * from a sibling instance), the instance whose stop silenced the alarm (`vanishedLink`), the same resource (never an
 * alarm's own ARN; a host-local alarm's instance only into an open incident caused by findings), the same compliance
 * rule, an AZ the
 * group announced or detected as impaired (zone-less symptoms of the region included, ahead of service links),
 * the same service, a service within `dependencyHops` of one of the group's, a service failing in an open incident as a
 * symptom (`failingSymptom`), or (weakest) an open incident's cause one hop further (`causesBeyond`). Only groups anchored to a live
 * cause (`isAnchored`) accept non-fingerprint links; a zone-health signal joins by service or dependency only a
 * group tied to its zone; a finding (compliance, security, cost) joins by service only a group caused by findings
 * on that service, never by dependency, and an availability alert never joins through a service whose cause is known
 * only from findings; a flapping alarm that is no cause rejoins its group only while that group is anchored; host-local
 * signals (`isHostLocalSignal`) never join by dependency, and dependency links (and service links into a pending group)
 * stay within the group's regions, as all of a zone impairment's do. With no other link, an informational event about
 * a resolved findings incident's resource is its aftermath (`isAftermath`). Returns undefined when nothing correlates
 * (the alert starts a group of its own).
 *
 * @param state - engine state (read only)
 * @param alert - the alert to place
 * @param topology - for dependency paths
 * @param config - windows and hops
 * @param onCandidate - diagnostics only: told of every group that passed the checks, before the strongest is picked
 */
export function findLink(state: GroupingState, alert: Alert, topology: Topology, config: GroupingConfig, onCandidate?: (alert: Alert, groupId: string, kind: LinkKind) => void): Link | undefined {
  const t = alert.eventTime;
  // A composite aggregates many alarms: each time it fires, the children that triggered it say where it belongs.
  for (const child of compositeChildren(alert)) {
    const entry = state.fingerprints[child];
    const group = entry === undefined ? undefined : state.groups[entry.groupId];
    if (group !== undefined && group.status !== "resolved") return { group, kind: "composite", via: entry?.via };
  }
  const byFingerprint = fingerprintLink(state, alert, config) ?? burnLink(state, alert, config) ?? vanishedLink(state, alert, config);
  if (byFingerprint !== undefined) return byFingerprint;
  // Spend joins spend only: an idle fleet, its bill and its cost anomaly hours later are one story, and no failure's.
  if (isSpendSignal(alert)) return spendLink(state, alert, config);
  // An idle fleet's termination ends its waste (its launches are adopted by its idle alarms, `adoptLaunches`).
  const fleet = isLifecycleChange(alert) && alert.status === "firing" ? spendLink(state, alert, config) : undefined;
  if (fleet !== undefined) return fleet;
  const own = state.fingerprints[alert.fingerprint];
  const zone = zoneOf(alert);
  const service = alert.service;
  const causes = service === undefined ? undefined : paths(topology, service, config.dependencyHops).causes;
  const callers = service === undefined ? undefined : paths(topology, service, config.dependencyHops).callers;
  const beyond = service === undefined ? undefined : paths(topology, service, config.dependencyHops + 1).causes;
  const resource = subjectOf(alert);
  const aboutResource = !alert.fingerprint.startsWith("alarm:");
  // Asked of the alert for every group below: once.
  const availability = isAvailabilitySignal(alert);
  // A resource failing anew (a database failing over again) is a new failure, not news about an old one.
  const reportsFailure = availability && alert.severity !== "info";
  const rule = alert.labels.configRule;
  const host = isHostLocalSignal(alert) ? watchedInstances(alert) : [];
  const queues = watchedQueues(alert);
  // A flapping alarm joins only its own group: its behaviour, not its service, says what it belongs to. One that stayed
  // clear for longer than a flap (`rejoinWindow`) before firing again has stopped flapping: a new failure may have fired it.
  const calmed = own !== undefined && own.status === "resolved" && t - own.statusAt > config.rejoinWindow;
  const flapping = own !== undefined && !calmed && own.firings.filter((f) => f > t - config.flapWindow).length + 1 >= config.flapCount;
  // An impairment announcement gathers its own incident (see `gatherZone`): it joins only a group announcing the same zone.
  const announces = announcesImpairment(alert);
  let best: (Link & { strength: number; failingNow?: boolean | undefined; onset?: number | undefined; calls?: Set<string> | undefined }) | undefined;
  let aftermath: Group | undefined;
  // Topologies rarely place containers and functions in zones, so any service of the impaired region may be hit.
  const inRegion = (z: string) => z.startsWith(`${alert.region}/`);
  const zonal = isZoneHealthSignal(alert);
  const local = isHostLocalSignal(alert);
  for (const id in state.groups) {
    const group = state.groups[id] as Group;
    if (group.status === "resolved" && isAftermath(group, alert, resource, host, config)) aftermath ??= group;
    if (group.status === "resolved" || group.status === "discarded") continue;
    // A group that has been silent for a whole correlation window takes new alerts only by fingerprint, except that an open
    // incident keeps taking information and findings about its own resources while it is open (a compromised instance
    // stopped an hour after the findings that named it); an alarm's later firing is judged by its anchors, never by this.
    const stale = t - group.lastAt > config.correlationWindow;
    // The same goes for the compromise showing on an instance it holds (see `linkKind`): findings are re-published only every 15 minutes.
    // So does an alarm on a queue its alarms watch: a backlog's depth crosses its threshold long after its age did.
    // A compromised instance's CPU shows the compromise however long after the findings, even while they are low-severity
    // and the group still pending (not its memory: a leak's cycle is no compromise).
    const compromise = host.length > 0 && !isSlowBurnSignal(alert) && showsCompromise(group, host);
    const keepsTaking = compromise || (group.status === "open" && ((aboutResource && !reportsFailure && resource !== undefined && holdsResource(group, resource, alert)) || showsCompromise(group, host) || queues.some((q) => group.queues?.includes(q) === true)));
    if (stale && !keepsTaking) continue;
    // A slow burn's out-of-memory restart fails its own service for a moment: the blip right after it is the leak's.
    const restart = !flapping && !local && restarted(group, alert, config);
    // A release reaching a second region once the first region's cascade window is over (its alarms may still fire or have
    // recovered): the same service failing on its own there soon after. Within the cascade window a service link takes it.
    const rollsOut = !restart && !flapping && !local && zone === undefined && rollsOutTo(group, alert, config) && t - group.anchorAt > config.cascadeWindow;
    // A compromised instance's stop is the containment of the findings incident holding it, however long after its findings.
    const contains = keepsTaking && alert.kind === "ec2.instance-state-change" && group.findingServices.length > 0 && group.impairedZones.length === 0;
    if (!restart && !rollsOut && !contains && !compromise && !isAnchored(state, group, t, config)) continue;
    // A pending group that already went quiet was transient: it anchors nothing new.
    // Service and dependency links hold within the cascade window of the cause's latest transition.
    // A pending group is unproven (its founder may be noise): symptoms join it only soon after it was founded, and only
    // once it holds evidence for availability alerts (a group founded by a scale-out or a scheduled maintenance alone is
    // no failure to join; quiet findings still gather by service, as they may escalate together).
    const live = group.status === "open" ? t - group.anchorAt <= config.cascadeWindow : (group.roots.length > 0 || !availability) && (group.quietSince === undefined || URGENT.has(group.severity)) && t - onsetOf(group) <= config.onsetWindow;
    const weak = !flapping && live;
    let kind = announces ? (zone !== undefined && group.impairedZones.includes(zone) ? "zone" : undefined) : linkKind(group, alert, { zone, causes, resource, rule: rule !== undefined && group.rules.includes(rule) && changedRuleLately(state, group, rule, t, config) ? rule : undefined, host, impaired: isImpaired(group, t) }, weak);
    // An impaired zone reaches the services running there, even through alerts that name no zone (5xx, latency); it makes
    // hosts unreachable, not busy, so a zone-less CPU or memory alarm is no sign of it.
    const inferred = kind === undefined && weak && zone === undefined && availability && !isRegionalServiceSignal(alert) && !local && isImpaired(group, t) && group.impairedZones.some(inRegion);
    if (inferred) kind = "zone";
    // A failing dependency often alerts a little after its callers: while the group is young it is adopted as the cause (findings never
    // are), if those callers fail there (their errors or latency fired in it): a caller's busy host (CPU) shows no call failing.
    const upstream = kind === undefined && weak && availability && !local && t - group.firstAt <= config.causeLead && group.causeServices.some((s) => callers?.has(s) === true && failsAvailability(group, s) && failsCalls(group, s, alert.region));
    if (upstream) kind = "dependency";
    // A failure reaches its callers' callers through the services it fails: an open incident where a service this alert's
    // service depends on is failing (its own availability alarms fired there within the cascade window) takes the alert.
    const via = kind === undefined && weak && group.status === "open" && availability && !local ? failingSymptom(group, causes, alert.region, t, config) : undefined;
    if (via !== undefined) kind = "dependency";
    // A service between the alert's and a cause may fail below its own alarms' thresholds: with no other link, an open
    // incident whose cause is one hop beyond `dependencyHops` and fails calls in the alert's region takes the alert.
    const far = kind === undefined && weak && group.status === "open" && availability && !local ? causesBeyond(group, beyond, causes, alert.region) : undefined;
    if (far !== undefined) kind = "dependency";
    if (restart || rollsOut) kind ??= "service";
    if (kind === undefined || (stale && kind !== "resource")) continue;
    // A zone's health failing is explained by something in that zone: it joins by service or dependency only a group tied to its zone.
    if (zonal && (kind === "service" || kind === "dependency") && zone !== undefined && !group.zones.includes(zone)) continue;
    // Signals of a service's own hosts do not travel along calls: they never join by dependency.
    if (local && kind === "dependency") continue;
    // An instance launched or stopped as plain information is the platform resizing the service, no symptom of its failure
    // (a replacement's launch, reported as a clear, is judged in `placeResolved`).
    if (kind === "service" && alert.status === "firing" && isLifecycleChange(alert)) continue;
    // Regions are isolated: a failure reaches callers only in a region where the group already fails, and only a proven
    // failure (an open incident) is taken to have rolled out to the same service in another region.
    if ((kind === "dependency" || (kind === "service" && group.status === "pending")) && !group.regions.includes(alert.region)) continue;
    // A database or cache serves its own region: its alarm elsewhere is that region's store failing, which no release rolls out to.
    if (kind === "service" && !group.regions.includes(alert.region) && DATA_STORE_NAMESPACE.test(alert.labels.namespace ?? "")) continue;
    // What fails hosts (an instance's status checks, a zone's unhealthy hosts: the group's availability alerts name a zone) stays
    // in that region: only a group with no zone tie is taken to have rolled out to the same service elsewhere.
    if (kind === "service" && availability && group.zones.length > 0 && !group.regions.includes(alert.region)) continue;
    // A zone impairment fails its own region only: an alert of another region never joins it through a service or dependency.
    if ((kind === "service" || kind === "dependency") && group.impairedZones.length > 0 && !group.impairedZones.some(inRegion)) continue;
    // A table throttling or a queue backing up during an impairment is a failure of its own: the impairment reaches neither.
    if ((kind === "service" || kind === "dependency") && group.impairedZones.length > 0 && isRegionalServiceSignal(alert)) continue;
    // Once the zone recovered (AWS Health's all-clear, or the cascade window after its last sign), its services' and callers' new
    // alarms are failures of their own.
    if ((kind === "service" || kind === "dependency") && group.impairedZones.length > 0 && !isImpaired(group, t)) continue;
    // An impairment holds the instances whose status checks failed in its zone; a finding about one of them (a compromise) is no zone's doing.
    if (kind === "resource" && group.impairedZones.length > 0 && !availability) continue;
    // An open incident where the alert's service no longer fails in its region (a host failure whose alarms all cleared) explains
    // a new alarm of that service less well than a dependency failing now; not a slow burn's, whose service fails only in blips,
    // nor an impaired zone's, which keeps failing its services after their first alarms cleared.
    const bygone = kind === "service" && !restart && !rollsOut && (group.burnKeys?.length ?? 0) === 0 && group.status === "open" && !isImpaired(group, t) && !stillFails(state, group, `${service}@${alert.region}`, alert.fingerprint);
    const strength = far !== undefined ? FAR_STRENGTH : bygone ? BYGONE_SERVICE_STRENGTH : Math.max(restart ? RESTART_STRENGTH : 0, inferred ? INFERRED_ZONE_STRENGTH : via !== undefined ? CHAINED_STRENGTH : STRENGTH[kind]);
    // Between dependency links, whether the dependency still fails there (one of its alarms in the group fires); a dependency
    // that recovered there more than `symptomLag` ago explains no new caller alarm, and one failing there for longer than
    // `symptomOnset` explains none that only begins now. The same onset holds for a chain's failing symptom.
    const calls = kind !== "dependency" || upstream ? undefined : via !== undefined ? new Set([via]) : (far ?? causesIn(group, causes, alert.region));
    const dependency = calls === undefined ? undefined : failureState(state, group, calls);
    if (dependency !== undefined && via === undefined && !dependency.firing && dependency.changedAt < t - config.symptomLag) continue;
    if (dependency?.firing && t - dependency.firingSince > config.symptomOnset) continue;
    const failingNow = via === undefined ? dependency?.firing : undefined;
    // Between open incidents reached by dependency, a dependency that began failing `onsetGap` later wins whatever the strength;
    // so it does over an open incident where the alert's own service has been failing since long before (by service link).
    const own = kind === "service" && !restart && !rollsOut && group.status === "open" ? failureState(state, group, new Set([`${service}@${alert.region}`])) : undefined;
    const onset = dependency?.firing === true && group.status === "open" ? dependency.firingSince : own?.firing === true ? own.firingSince : undefined;
    onCandidate?.(alert, group.id, kind);
    if (best === undefined || beganLater(onset, best.onset, config) || (!beganLater(best.onset, onset, config) && (strength > best.strength || (strength === best.strength && rankedAbove(group, best.group, failingNow, best.failingNow))))) {
      best = { group, kind, upstream, rollout: rollsOut, inferred, via, strength, failingNow, onset, calls };
    }
  }
  // A service failing in a second region while it sits in the first as a symptom of a failure that does not reach here is
  // rolling out itself: it founds its own group (which then claims its first region's alarms, see `claimRollout`) rather
  // than joining an unproven pending group by dependency, unless that group's cause fails in another region too.
  const pendingDependency = best?.kind === "dependency" && best.group.status === "pending" ? best.group : undefined;
  if (pendingDependency !== undefined && service !== undefined && symptomElsewhere(state, service, alert.region, t, config)) {
    if (!pendingDependency.causeServices.some((cause) => failsInAnotherRegion(state, cause, alert.region, t, config))) return undefined;
  }
  if (best === undefined) return aftermath === undefined ? undefined : { group: aftermath, kind: "resource" };
  const through =
    best.kind === "zone"
      ? (zone ?? best.group.impairedZones.find(inRegion))
      : best.kind !== "dependency"
        ? undefined
        : best.upstream
          ? best.group.causeServices.find((s) => callers?.has(s) === true)
          : [...(best.calls ?? [])][0]?.split("@")[0];
  return { group: best.group, kind: best.kind, upstream: best.upstream, rollout: best.rollout, inferred: best.inferred, via: best.via, through };
}

/**
 * Whether `service` fires, within `rolloutWindow`, in a region other than `region` as a symptom of an open incident (no
 * zone impairment) whose causes do not fail in `region`: that incident does not explain it failing here.
 */
function symptomElsewhere(state: GroupingState, service: string, region: string, t: number, config: GroupingConfig): boolean {
  for (const id in state.groups) {
    const other = state.groups[id] as Group;
    if (other.status !== "open" || !other.services.includes(service) || other.causeServices.includes(service) || other.impairedZones.length > 0) continue;
    if (other.causeServices.some((cause) => other.failing?.[`${cause}@${region}`] !== undefined)) continue;
    for (const fp of other.fingerprints) {
      const entry = state.fingerprints[fp];
      if (entry?.groupId !== other.id || entry.status !== "firing" || entry.where === undefined || t - entry.statusAt > config.rolloutWindow) continue;
      if (entry.where.startsWith(`${service}@`) && entry.where !== `${service}@${region}`) return true;
    }
  }
  return false;
}

/** Whether `service` went to failing, within `rolloutWindow`, in a live group of a region other than `region`. */
function failsInAnotherRegion(state: GroupingState, service: string, region: string, t: number, config: GroupingConfig): boolean {
  for (const id in state.groups) {
    const group = state.groups[id] as Group;
    if (group.status !== "open" && group.status !== "pending") continue;
    for (const where in group.failing ?? {}) {
      if (where.startsWith(`${service}@`) && where !== `${service}@${region}` && t - (group.failing?.[where] ?? 0) <= config.rolloutWindow) return true;
    }
  }
  return false;
}

/**
 * The live group (open or pending) a spend signal belongs to: the one whose spend signals of the alert's account fired
 * latest, within `spendWindow`. For an instance's stop or termination, the live spend group whose idle alarms watch it (the
 * idle fleet being terminated), however long ago they fired.
 */
function spendLink(state: GroupingState, alert: Alert, config: GroupingConfig): Link | undefined {
  // An idle alarm or an instance's stop joins a group holding one of its instances, an idle alarm also one whose instances
  // of its service went idle within a correlation window (a fleet idles together): an instance of the regular fleet idling
  // now and then is no part of a forgotten fleet's waste. A bill, a cost anomaly or a Trusted Advisor cost item covers the
  // account.
  const instances = alert.kind === "cost.anomaly-detected" || alert.labels.namespace === "AWS/Billing" ? undefined : alert.resources.filter((r) => r.includes(":instance/"));
  const idleAlarm = instances !== undefined && alert.fingerprint.startsWith("alarm:");
  let best: Group | undefined;
  let bestAt = Number.NEGATIVE_INFINITY;
  for (const id in state.groups) {
    const group = state.groups[id] as Group;
    if (group.spend === undefined || (group.status !== "open" && group.status !== "pending")) continue;
    const at = instances === undefined ? group.spend[alert.account] : Math.max(...Object.values(group.spend));
    if (at === undefined || alert.eventTime - at > config.spendWindow || at <= bestAt) continue;
    const together = idleAlarm && alert.service !== undefined && group.services.includes(alert.service) && alert.eventTime - at <= config.correlationWindow;
    if (instances !== undefined && !together && !instances.some((r) => holdsInstance(state, group, r)) && !(alert.source === "aws.trustedadvisor" && group.spend[alert.account] !== undefined)) continue;
    best = group;
    bestAt = at;
  }
  return best === undefined ? undefined : { group: best, kind: isSpendSignal(alert) ? "service" : "resource" };
}

/** Whether a spend group holds an instance: an idle alarm of it watches it, or its launch or stop joined it. */
function holdsInstance(state: GroupingState, group: Group, instance: string): boolean {
  return group.idle?.includes(instance) === true || state.fingerprints[instanceStateFingerprint(instance)]?.groupId === group.id;
}

/**
 * Whether an informational event (an instance stopped, its metrics gone) about a resource of an incident caused by
 * findings, resolved within `fingerprintMemory`, is that incident's aftermath: the compromised instance stopped after
 * the findings went quiet. It attaches without reopening the incident, and only when nothing live takes it.
 */
function isAftermath(group: Group, alert: Alert, resource: string | undefined, host: readonly string[], config: GroupingConfig): boolean {
  if (alert.severity !== "info" || group.findingServices.length === 0 || alert.eventTime - (group.resolvedAt ?? group.lastAt) > config.fingerprintMemory) return false;
  return (resource !== undefined && group.resources.includes(resource)) || host.some((r) => group.resources.includes(r));
}

/**
 * Whether an alert is its service failing anew in another region within `rolloutWindow` of an open incident caused by that
 * service, one tied to no zone (see "Failed hosts do not roll out"), which failed calls: a release rolling on. It then joins
 * though that incident's cause has recovered and gone past its correlation window, and anchors it in the new region.
 */
function rollsOutTo(group: Group, alert: Alert, config: GroupingConfig): boolean {
  const service = alert.service;
  if (service === undefined || group.status !== "open" || alert.severity === "info" || !isAvailabilitySignal(alert)) return false;
  if (!group.causeServices.includes(service) || group.zones.length > 0 || group.impairedZones.length > 0 || group.regions.includes(alert.region)) return false;
  return alert.eventTime - group.firstAt <= config.rolloutWindow && Object.keys(group.failing ?? {}).some((where) => where.startsWith(`${service}@`));
}

/** Whether an availability alert above `info` fires within `restartWindow` of a slow burn of its own service restarting in `group` (late deliveries a little before it too). */
function restarted(group: Group, alert: Alert, config: GroupingConfig): boolean {
  const at = alert.service === undefined ? undefined : group.restartedAt?.[`${alert.service}@${alert.region}`];
  return at !== undefined && alert.severity !== "info" && isAvailabilitySignal(alert) && Math.abs(alert.eventTime - at) <= config.restartWindow;
}

/** The `service@region` of a service in `causes` (what the alert's service depends on) failing as a symptom in `group` within the cascade window. */
function failingSymptom(group: Group, causes: Set<string> | undefined, region: string, t: number, config: GroupingConfig): string | undefined {
  for (const service of causes ?? []) {
    const where = `${service}@${region}`;
    if (!group.causeServices.includes(service) && (group.failing?.[where] ?? Number.NEGATIVE_INFINITY) >= t - config.cascadeWindow) return where;
  }
  return undefined;
}

/** Whether a dependency's failure that began at `a` began more than `onsetGap` after one that began at `b` (both known). */
function beganLater(a: number | undefined, b: number | undefined, config: GroupingConfig): boolean {
  return a !== undefined && b !== undefined && a - b > config.onsetGap;
}

/**
 * Between two groups an alert links to equally strongly: a proven failure (an open incident) before an unproven pending
 * group (its founder may be noise, and a failure that already shows is the likelier cause of what fires next to it);
 * between two dependency links, one through a dependency still failing before one through a dependency that recovered
 * (`aLive`, `bLive`: see `failureState`); then the group whose cause changed last.
 */
function rankedAbove(a: Group, b: Group, aLive?: boolean, bLive?: boolean): boolean {
  if ((a.status === "open") !== (b.status === "open")) return a.status === "open";
  if (aLive !== undefined && bLive !== undefined && aLive !== bLive) return aLive;
  return a.anchorAt > b.anchorAt;
}

/** `service@region` of the group's causes in `beyond` but not in `near` that fail calls in `region`, or undefined when none does. */
function causesBeyond(group: Group, beyond: Set<string> | undefined, near: Set<string> | undefined, region: string): Set<string> | undefined {
  const found = group.causeServices.filter((s) => beyond?.has(s) === true && near?.has(s) !== true && failsAvailability(group, s) && failsCalls(group, s, region));
  return found.length === 0 ? undefined : new Set(found.map((s) => `${s}@${region}`));
}

/** `service@region` of the group's causes that the alert's service depends on (`causes`). */
function causesIn(group: Group, causes: Set<string> | undefined, region: string): Set<string> {
  return new Set(group.causeServices.filter((s) => causes?.has(s) === true).map((s) => `${s}@${region}`));
}

/**
 * The alarms in `group` of the services at `where` (`service@region`): whether one fires, since when the earliest of those
 * firing has fired, and when the latest of them last changed state (fired or cleared).
 */
function failureState(state: GroupingState, group: Group, where: ReadonlySet<string>): { firing: boolean; firingSince: number; changedAt: number } {
  let firing = false;
  let firingSince = Number.POSITIVE_INFINITY;
  let changedAt = Number.NEGATIVE_INFINITY;
  for (const fp of group.fingerprints) {
    const entry = state.fingerprints[fp];
    if (entry?.groupId !== group.id || entry.where === undefined || !where.has(entry.where)) continue;
    if (entry.status === "firing") {
      firing = true;
      firingSince = Math.min(firingSince, entry.statusAt);
    }
    changedAt = Math.max(changedAt, entry.statusAt);
  }
  return { firing, firingSince, changedAt };
}

interface AlertKeys {
  zone: string | undefined;
  causes: Set<string> | undefined;
  resource: string | undefined;
  /** Its Config rule, when that rule changed in the group within a correlation window (`changedRuleLately`). */
  rule: string | undefined;
  /** The instances a host-local alarm watches (its CPU, memory). */
  host: readonly string[];
  impaired: boolean;
}

/** The instances an alarm watches (its monitored resource and dimensions), never the alarm itself. */
function watchedInstances(alert: Alert): string[] {
  return alert.resources.filter((r) => r.includes(":instance/") && alert.fingerprint !== `alarm:${r}`);
}

/**
 * The SQS queues an alarm watches. A queue fills over tens of minutes: its age, then its depth, cross their thresholds
 * well apart, so an alarm on a queue joins the group holding another alarm on it by resource, past the cascade window.
 */
export function watchedQueues(alert: Alert): string[] {
  return alert.fingerprint.startsWith("alarm:") ? alert.resources.filter((r) => r.startsWith("arn:aws:sqs:")) : [];
}

/** Whether a group's announced or detected zone impairment still draws alerts at `time`. */
export function isImpaired(group: Group, time: number): boolean {
  return group.impairedZones.length > 0 && time <= (group.impairedUntil ?? Number.POSITIVE_INFINITY);
}

/**
 * Whether a group's cause on `service` is an availability failure: a cause known only from findings (a compliance
 * rule, a security finding) makes no service slow or failing, so availability alerts do not join it through that service.
 */
function failsAvailability(group: Group, service: string): boolean {
  return !group.findingServices.includes(service) || (group.availabilityServices?.includes(service) ?? true);
}

/** When a pending group's current bout began: its first alert, or for a slow burn its latest cycle (each cycle brings its own blips). */
function onsetOf(group: Group): number {
  return (group.burnKeys?.length ?? 0) > 0 ? group.anchorAt : group.firstAt;
}

/**
 * Whether `service` fails calls in `group` in `region`: its errors, latency or unhealthy hosts fired there, or its
 * database's or cache's saturation (`Group.failing`, see `failingKeyOf`). A busy compute host fails no call, and neither
 * does a slow burn (a leak's memory alarm) before the service itself errs (an out-of-memory restart).
 */
function failsCalls(group: Group, service: string, region: string): boolean {
  return group.failing?.[`${service}@${region}`] !== undefined;
}

/**
 * Whether a group whose cause is `service` takes the alert, another signal of that service, by service: an availability
 * alert only once the service fails calls there (a CPU alarm founding a group explains no error of its service, and a slow
 * burn only the blips right after its restarts, `restarted`); a host-local one (its CPU, memory) also where no slow burn
 * is the cause (a slow burn's other instances join it through `burnLink`).
 */
function takesOwnSymptom(group: Group, alert: Alert, service: string): boolean {
  // In any of the group's regions: the same service failing in another region joins an open incident as a rollout.
  const failing = Object.keys(group.failing ?? {}).some((where) => where.startsWith(`${service}@`));
  return failing || (isHostLocalSignal(alert) && (group.burnKeys?.length ?? 0) === 0);
}

/**
 * Whether a host-local alarm watching `host` (its instances) is the load of an instance a live group caused by findings
 * holds: an open incident, or one still pending on low-severity findings (port probes before the miner's own finding).
 */
function showsCompromise(group: Group, host: readonly string[]): boolean {
  return (group.status === "open" || group.status === "pending") && group.findingServices.length > 0 && host.some((r) => group.resources.includes(r));
}

/**
 * Whether the group holds the alert's resource. A finding's instance may name the region its stolen credentials were used
 * from (GuardDuty reports them there): it is the same instance as that of a group caused by findings in its home region.
 */
function holdsResource(group: Group, resource: string, alert: Alert): boolean {
  if (group.resources.includes(resource)) return true;
  if (isAvailabilitySignal(alert) || group.findingServices.length === 0 || !resource.includes(":instance/")) return false;
  return group.resources.some((r) => sameInstance(r, resource));
}

/**
 * Whether a Config rule's evaluation changed in the group within `correlationWindow` before `t`: a drift changes its
 * resources within minutes, while the same rule failing on another resource hours later (another security group opened)
 * is a change of its own, though the group is still busy with something else (the attack that came through the first).
 */
function changedRuleLately(state: GroupingState, group: Group, rule: string, t: number, config: GroupingConfig): boolean {
  for (const fp of group.fingerprints) {
    if (!fp.startsWith("config:") || !fp.includes(`:${rule}:`)) continue;
    const entry = state.fingerprints[fp];
    if (entry !== undefined && entry.groupId === group.id && t - entry.statusAt <= config.correlationWindow) return true;
  }
  return false;
}

/** Service and dependency links (`weak`) are refused to flapping alarms and to pending groups that went quiet. */
function linkKind(group: Group, alert: Alert, keys: AlertKeys, weak: boolean): LinkKind | undefined {
  if (keys.resource !== undefined && holdsResource(group, keys.resource, alert)) return "resource";
  if (watchedQueues(alert).some((q) => group.queues?.includes(q) === true)) return "resource";
  if (keys.rule !== undefined && group.rules.includes(keys.rule)) return "rule";
  // A compromised instance's own load (a miner's CPU) is the compromise showing: a host-local alarm on an instance that a
  // live group caused by findings holds joins it. Only that: a zone's or service's failure on the instance stays apart.
  if (showsCompromise(group, keys.host)) return "resource";
  if (keys.impaired && keys.zone !== undefined && group.impairedZones.includes(keys.zone) && isAvailabilitySignal(alert)) return "zone";
  if (!weak) return undefined;
  // Findings (compliance, security, cost) do not propagate along calls: one joins by service only a group caused by findings on that service.
  if (!isAvailabilitySignal(alert)) return alert.service !== undefined && group.findingServices.includes(alert.service) ? "service" : undefined;
  // Failures propagate to callers: an alert joins by service only a group whose cause is its service, or by dependency one
  // whose cause it depends on, and only where that service fails calls (`failsCalls`; see `takesOwnSymptom`).
  if (alert.service !== undefined && group.causeServices.includes(alert.service) && failsAvailability(group, alert.service) && takesOwnSymptom(group, alert, alert.service)) return "service";
  if (keys.causes !== undefined && group.causeServices.some((s) => keys.causes?.has(s) === true && failsAvailability(group, s) && failsCalls(group, s, alert.region))) return "dependency";
  return undefined;
}
