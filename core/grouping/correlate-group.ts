import type { Alert, Severity } from "./alert";
import type { GroupingConfig } from "./config";
import { announcesImpairment, burnKeyOf, compositeChildren, failingKeyOf, isAvailabilitySignal, isZoneHealthSignal, subjectOf, tellsOfOwnHostsOnly, watchedQueues, zoneOf } from "./correlate-links";
import type { Group, GroupingState, Priority } from "./correlate-state";
import { isSpendSignal } from "./spend";
import type { Topology } from "./topology";

const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2, critical: 3 };

/** Whether `a` is more severe than `b`. */
export function moreSevere(a: Severity, b: Severity): boolean {
  return SEVERITY_RANK[a] > SEVERITY_RANK[b];
}

/** Whether a severity pages on its own (error or critical). */
export function isUrgent(severity: Severity): boolean {
  return SEVERITY_RANK[severity] >= SEVERITY_RANK.error;
}

function addUnique(list: string[], value: string | undefined): void {
  if (value !== undefined && value !== "" && !list.includes(value)) list.push(value);
}

/** A new, empty pending group for an alert. */
export function newGroup(state: GroupingState, alert: Alert): Group {
  state.seq += 1;
  const id = `inc-${alert.eventTime.toString(36)}-${state.seq.toString(36)}`;
  const group: Group = {
    id,
    status: "pending",
    firstAt: alert.eventTime,
    lastAt: alert.eventTime,
    fingerprints: [],
    roots: [],
    anchors: [],
    anchorAt: alert.eventTime,
    services: [],
    causeServices: [],
    findingServices: [],
    availabilityServices: [],
    regions: [],
    accounts: [],
    impairedZones: [],
    zones: [],
    resources: [],
    rules: [],
    heldEventIds: [],
    eventCount: 0,
    severity: "info",
    priority: "P5",
    notify: { paged: false, dirty: false },
  };
  state.groups[id] = group;
  return group;
}

/** Adds an independent root that is no fingerprint of its own (a slow burn's return, see `ingest`). */
export function addRoot(group: Group, root: string): void {
  addUnique(group.roots, root);
}

/** How an alert relates to the group absorbing it. */
export interface AbsorbOptions {
  /** The alert anchors the group to its cause (see `Group.anchors`). */
  anchor: boolean;
  /** The alert changes its fingerprint's state (new, firing after a clear, or a clear); re-publications do not. */
  transition: boolean;
  /** The alert re-reports a finding with a higher count or severity: evidence even when informational. */
  escalated: boolean;
}

/** Adds an alert's facts (fingerprint, roots, anchors, service, zone, resource, rule, severity) to a group. */
export function absorb(group: Group, alert: Alert, options: AbsorbOptions): void {
  group.eventCount += 1;
  group.firstAt = Math.min(group.firstAt, alert.eventTime);
  group.lastAt = Math.max(group.lastAt, alert.eventTime);
  addUnique(group.fingerprints, alert.fingerprint);
  if (options.anchor) {
    addUnique(group.anchors, alert.fingerprint);
    if (alert.status === "firing") addUnique(group.causeServices, alert.service);
    if (alert.status === "firing" && !isAvailabilitySignal(alert)) addUnique(group.findingServices, alert.service);
    if (alert.status === "firing" && isAvailabilitySignal(alert)) addUnique((group.availabilityServices ??= []), alert.service);
    // Only the cause firing anew restarts the cascade window: a finding re-published every 15 minutes does not, and
    // neither does a clear (symptoms follow a failure, not its recovery).
    if (options.transition && alert.status === "firing") group.anchorAt = Math.max(group.anchorAt, alert.eventTime);
  }
  // A slow burn that is the group's cause clearing (on any instance) is its process restarted, killed out of memory: the service blips right after.
  const burn = burnKeyOf(alert);
  if (alert.status === "resolved" && burn !== undefined && group.burnKeys?.includes(burn) === true) {
    const key = `${alert.service ?? ""}@${alert.region}`;
    (group.restartedAt ??= {})[key] = Math.max(group.restartedAt[key] ?? alert.eventTime, alert.eventTime);
  }
  if (alert.status === "firing") {
    // Informational alerts are evidence only when they escalate; a composite is evidence only through its children.
    if (alert.severity !== "info" || options.escalated) {
      const children = compositeChildren(alert);
      for (const root of children.length > 0 ? children : [alert.fingerprint]) addUnique(group.roots, root);
    }
    if (moreSevere(alert.severity, group.severity)) group.severity = alert.severity;
    // Only a slow burn that is a cause: a memory alarm that joined another failure as its symptom makes no leak of it.
    if (burn !== undefined && options.anchor) addUnique((group.burnKeys ??= []), burn);
    // A service whose own errors or latency fire in the group is failing there: its callers may fail in turn.
    const key = failingKeyOf(alert);
    if (options.transition && key !== undefined) {
      (group.failing ??= {})[key] = Math.max(group.failing[key] ?? alert.eventTime, alert.eventTime);
    }
  }
  // An informational alert that does not escalate is no evidence, so it lends the group no service or resource to link by.
  if (alert.status === "firing" && (alert.severity !== "info" || options.escalated || options.anchor)) {
    addUnique(group.services, alert.service);
    addUnique(group.regions, alert.region);
    addUnique(group.accounts, alert.account);
    addUnique(group.resources, subjectOf(alert));
    // A failing status check is about its instance: that instance's stop or replacement joins this group by resource.
    if (alert.fingerprint.startsWith("alarm:") && isZoneHealthSignal(alert)) for (const r of alert.resources.slice(1)) if (r.includes(":instance/")) addUnique(group.resources, r);
    if (isSpendSignal(alert)) {
      (group.spend ??= {})[alert.account] = Math.max(group.spend[alert.account] ?? alert.eventTime, alert.eventTime);
      // An idle alarm's instance is the waste: its stop ends it (see `spendLink`).
      if (alert.fingerprint.startsWith("alarm:")) for (const r of alert.resources.slice(1)) if (r.includes(":instance/")) addUnique((group.idle ??= []), r);
    }
    for (const queue of watchedQueues(alert)) addUnique((group.queues ??= []), queue);
    addUnique(group.rules, alert.labels.configRule);
    if (announcesImpairment(alert)) addUnique(group.impairedZones, zoneOf(alert));
    // Availability symptoms only: a compliance or security finding on a resource in the zone says nothing of the zone's health,
    // and neither does one compute host there being busy (its CPU or memory: noise, a leak, a miner); a cache or database node's does.
    if (isAvailabilitySignal(alert) && !tellsOfOwnHostsOnly(alert)) addUnique(group.zones, zoneOf(alert));
  }
}

/**
 * Priority of an incident: its highest severity (critical P1, error P2, warning P3, info P4), one step more
 * urgent when it spans three services or more, or more than one region.
 */
export function priorityOf(group: Group): Priority {
  const base = 4 - SEVERITY_RANK[group.severity];
  const wide = group.services.length >= 3 || group.regions.length > 1 || group.impairedZones.length > 0;
  const level = Math.max(1, base - (wide ? 1 : 0));
  return `P${level}` as Priority;
}

/**
 * The probable root-cause service: AWS itself when the group announces a zone impairment; otherwise the
 * group's service that depends on none of the others and has the most dependents among them (the bottom of
 * the cascade); ties go to the service that alerted first.
 */
export function rootServiceOf(group: Group, topology: Topology): string | undefined {
  if (group.impairedZones.length > 0) return "aws";
  let best: { service: string; score: number } | undefined;
  for (const service of group.services) {
    const deps = topology.dependenciesOf(service).filter((d) => group.services.includes(d)).length;
    const dependents = topology.dependentsOf(service).filter((d) => group.services.includes(d)).length;
    const score = dependents - deps * 10;
    if (best === undefined || score > best.score) best = { service, score };
  }
  return best?.service;
}

/** Refreshes priority and root service after the group changed. */
export function refresh(group: Group, topology: Topology): void {
  group.priority = priorityOf(group);
  group.rootService = rootServiceOf(group, topology);
}

/** Whether a pending group shows enough independent evidence to open an incident now. */
export function hasEnoughRoots(group: Group, config: GroupingConfig): boolean {
  return group.roots.length >= config.minRoots;
}
