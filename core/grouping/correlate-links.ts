import type { Alert } from "./alert";
import type { GroupingConfig } from "./config";
import type { Group, GroupingState, LinkKind } from "./correlate-state";
import type { Topology } from "./topology";

/** A group an alert correlates with, and the strongest reason why. */
export interface Link {
  group: Group;
  kind: LinkKind;
  /** The alert sits upstream of the group's cause (a dependency alerting late): it becomes a cause itself. */
  upstream?: boolean;
  /** A zone link inferred from where the alert's service runs (the alert names no zone): weaker than any other link. */
  inferred?: boolean;
}

/** Strength of each link kind: the strongest candidate wins; among equals, the most recently active group. */
const STRENGTH: Record<LinkKind, number> = { fingerprint: 7, composite: 6, resource: 5, rule: 4, zone: 3, service: 2, dependency: 1, new: 0 };
/** A zone link inferred from the service's placement loses to every direct link. */
const INFERRED_ZONE_STRENGTH = 0.5;

/** The child alarm fingerprints of a composite alarm alert (`labels.triggeringAlarms`, comma-separated ARNs). */
export function compositeChildren(alert: Alert): string[] {
  const list = alert.labels.triggeringAlarms;
  return list === undefined || list === "" ? [] : list.split(",").map((arn) => `alarm:${arn.trim()}`);
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
  return ZONE_SOURCES.has(alert.source);
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

/** The group a fingerprint fired in, when its next firing still belongs there. */
function fingerprintLink(state: GroupingState, alert: Alert, config: GroupingConfig): Link | undefined {
  const own = state.fingerprints[alert.fingerprint];
  const group = own === undefined ? undefined : state.groups[own.groupId];
  if (own === undefined || group === undefined) return undefined;
  const t = alert.eventTime;
  // A cause (anchor) or a discarded noise source keeps its group for a slow burn, even across a resolve;
  // a symptom that joined by service only rejoins while the cause is live.
  const remembered = t <= own.statusAt + config.fingerprintMemory && t >= group.firstAt - config.allowedLateness;
  if (group.status === "discarded" || group.anchors.includes(alert.fingerprint)) return remembered ? { group, kind: "fingerprint" } : undefined;
  return remembered && isAnchored(state, group, t, config) ? { group, kind: "fingerprint" } : undefined;
}

/**
 * Finds the group an alert belongs to, strongest link first: a composite's children, the same fingerprint
 * (within `fingerprintMemory` of its last transition), the same resource, the same compliance
 * rule, an AZ the group announced as impaired, the same service, or a service within `dependencyHops` of one
 * of the group's. Only groups anchored to a live cause (`isAnchored`) accept non-fingerprint links; a finding
 * (compliance, security, cost) joins by service only a group caused by findings on that service, never by dependency.
 * Returns undefined when nothing correlates (the alert starts a group of its own).
 *
 * @param state - engine state (read only)
 * @param alert - the alert to place
 * @param topology - for dependency paths
 * @param config - windows and hops
 */
export function findLink(state: GroupingState, alert: Alert, topology: Topology, config: GroupingConfig): Link | undefined {
  const t = alert.eventTime;
  // A composite aggregates many alarms: each time it fires, the children that triggered it say where it belongs.
  for (const child of compositeChildren(alert)) {
    const entry = state.fingerprints[child];
    const group = entry === undefined ? undefined : state.groups[entry.groupId];
    if (group !== undefined && group.status !== "resolved") return { group, kind: "composite" };
  }
  const byFingerprint = fingerprintLink(state, alert, config);
  if (byFingerprint !== undefined) return byFingerprint;
  const own = state.fingerprints[alert.fingerprint];
  const zone = zoneOf(alert);
  const service = alert.service;
  const causes = service === undefined ? undefined : reachable(service, config.dependencyHops, (s) => topology.dependenciesOf(s));
  const callers = service === undefined ? undefined : reachable(service, config.dependencyHops, (s) => topology.dependentsOf(s));
  const resource = alert.resources[0];
  const rule = alert.labels.configRule;
  // A flapping alarm joins only its own group: its behaviour, not its service, says what it belongs to.
  const flapping = own !== undefined && own.firings.filter((f) => f > t - config.flapWindow).length + 1 >= config.flapCount;
  // An impairment announcement gathers its own incident (see `gatherZone`): it joins only a group announcing the same zone.
  const announces = announcesImpairment(alert);
  let best: (Link & { strength: number }) | undefined;
  // Topologies rarely place containers and functions in zones, so any service of the impaired region may be hit.
  const inRegion = (z: string) => z.startsWith(`${alert.region}/`);
  for (const group of Object.values(state.groups)) {
    if (group.status === "resolved" || group.status === "discarded" || !isAnchored(state, group, t, config)) continue;
    // A group that has been silent for a whole correlation window takes new alerts only by fingerprint.
    if (t - group.lastAt > config.correlationWindow) continue;
    // A pending group that already went quiet was transient: it anchors nothing new.
    // Service and dependency links hold within the cascade window of the cause's latest transition.
    // A pending group is unproven (its founder may be noise): symptoms join it only soon after it was founded.
    const live = group.status === "open" ? t - group.anchorAt <= config.cascadeWindow : group.quietSince === undefined && t - group.firstAt <= config.onsetWindow;
    const weak = !flapping && live;
    let kind = announces ? (zone !== undefined && group.impairedZones.includes(zone) ? "zone" : undefined) : linkKind(group, alert, { zone, causes, resource, rule, impaired: isImpaired(group, t) }, weak);
    // An impaired zone reaches the services running there, even through alerts that name no zone (5xx, latency).
    const inferred = kind === undefined && weak && zone === undefined && isAvailabilitySignal(alert) && isImpaired(group, t) && group.impairedZones.some(inRegion);
    if (inferred) kind = "zone";
    // A failing dependency often alerts a little after its callers: while the group is young it is adopted as the cause (findings never are).
    const upstream = kind === undefined && weak && isAvailabilitySignal(alert) && t - group.firstAt <= config.causeLead && group.causeServices.some((s) => callers?.has(s) === true);
    if (upstream) kind = "dependency";
    if (kind === undefined) continue;
    const strength = inferred ? INFERRED_ZONE_STRENGTH : STRENGTH[kind];
    if (best === undefined || strength > best.strength || (strength === best.strength && group.anchorAt > best.group.anchorAt)) {
      best = { group, kind, upstream, inferred, strength };
    }
  }
  return best === undefined ? undefined : { group: best.group, kind: best.kind, upstream: best.upstream, inferred: best.inferred };
}

interface AlertKeys {
  zone: string | undefined;
  causes: Set<string> | undefined;
  resource: string | undefined;
  rule: string | undefined;
  impaired: boolean;
}

/** Whether a group's announced or detected zone impairment still draws alerts at `time`. */
export function isImpaired(group: Group, time: number): boolean {
  return group.impairedZones.length > 0 && time <= (group.impairedUntil ?? Number.POSITIVE_INFINITY);
}

/** Service and dependency links (`weak`) are refused to flapping alarms and to pending groups that went quiet. */
function linkKind(group: Group, alert: Alert, keys: AlertKeys, weak: boolean): LinkKind | undefined {
  if (keys.resource !== undefined && group.resources.includes(keys.resource)) return "resource";
  if (keys.rule !== undefined && group.rules.includes(keys.rule)) return "rule";
  if (keys.impaired && keys.zone !== undefined && group.impairedZones.includes(keys.zone) && isAvailabilitySignal(alert)) return "zone";
  if (!weak) return undefined;
  // Findings (compliance, security, cost) do not propagate along calls: one joins by service only a group caused by findings on that service.
  if (!isAvailabilitySignal(alert)) return alert.service !== undefined && group.findingServices.includes(alert.service) ? "service" : undefined;
  // Failures propagate to callers: an alert joins by service only a group whose cause is its service or one it depends on.
  if (alert.service !== undefined && group.causeServices.includes(alert.service)) return "service";
  if (keys.causes !== undefined && group.causeServices.some((s) => keys.causes?.has(s) === true)) return "dependency";
  return undefined;
}
