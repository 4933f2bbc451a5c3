import type { Alert } from "./alert";
import { isAvailabilitySignal, zoneOf } from "./correlate-links";
import { mergeGroups } from "./correlate-merge";
import type { Decision, Group, GroupingState } from "./correlate-state";
import type { EngineContext } from "./correlate";

/** Whether a group stands for an impaired zone: everything failing in that zone is its symptom, whatever else fails too. */
function isZoneImpairment(group: Group): boolean {
  return group.impairedZones.length > 0;
}

/**
 * A service failing on its own in a second region is a rollout (a release, a config or flag change reaching region after
 * region), and its failure in the first region was the same failure, even where it was first taken as a symptom of a
 * regional failure it depends on (a bad deployment of `api` overlapping a database failover under it). When `alert`, a
 * service-wide availability alarm (no zone: not one host's or zone's trouble), makes `group` an open incident caused by
 * its service X, the alarms of X in other regions that sit as symptoms in another open incident (X is not among its
 * causes, and it is no zone impairment), still fire there, and began within `rolloutWindow`, move to `group`: their
 * events so far and to come (`alerts.moved`). Those that already cleared stay: they recovered with that incident. A regional cause cannot explain the same service failing in a region it
 * does not reach; an incident whose cause fails in the alert's region too (a dependency's own rollout) does, and keeps them.
 *
 * Alarms that joined that incident through X failing there (`FingerprintEntry.via`: X's callers) and still fire move
 * with them: X's failure there is their cause, even when X's own alarms there flicker to OK.
 *
 * The groups its callers then opened in those regions, each caused only by callers of X and begun within
 * `cascadeWindow` after X began failing there, were X's symptoms (they had no live group of X to join by dependency,
 * since X's alarms sat in the other incident) and merge into `group`.
 *
 * A group that opens on a symptom's alarm (a caller of X in that region giving it its second root) claims the same way
 * for each of its causes failing calls in one of its regions: X's own alarm there founded it.
 *
 * @param state - engine state (updated in place)
 * @param group - the group `alert` was just placed in
 * @param alert - the alert just placed
 * @param ctx - topology and config
 * @param opened - whether placing `alert` opened `group`
 * @returns `alerts.moved` and `incident.merged` decisions, empty when nothing moved
 */
export function claimRollout(state: GroupingState, group: Group, alert: Alert, ctx: EngineContext, opened = false): Decision[] {
  if (alert.status !== "firing" || group.status !== "open" || isZoneImpairment(group)) return [];
  // A failure of hosts (tied to a zone) or a slow burn (a leak restarting) does not roll out from region to region.
  if (group.zones.length > 0 || (group.burnKeys?.length ?? 0) > 0) return [];
  const service = alert.service;
  if (service !== undefined && group.causeServices.includes(service) && isAvailabilitySignal(alert) && zoneOf(alert) === undefined) {
    return claimFor(state, group, service, alert.region, alert.eventTime, ctx);
  }
  if (!opened) return [];
  // The group just opened on a symptom's alarm: each of its causes failing calls in one of its regions claims as its own alarm would.
  const decisions: Decision[] = [];
  for (const cause of group.causeServices) {
    for (const region of group.regions) if (group.failing?.[`${cause}@${region}`] !== undefined) decisions.push(...claimFor(state, group, cause, region, alert.eventTime, ctx));
  }
  return decisions;
}

function claimFor(state: GroupingState, group: Group, service: string, region: string, t: number, ctx: EngineContext): Decision[] {
  const decisions: Decision[] = [];
  for (const id in state.groups) {
    const other = state.groups[id] as Group;
    // Every fingerprint that fails somewhere put its service in its group's services: a cheap test before the fingerprints.
    if (other === group || other.status !== "open" || !other.services.includes(service) || other.causeServices.includes(service) || isZoneImpairment(other)) continue;
    // An incident whose cause fails in this region too reaches it: it explains X failing here as well, so this is no rollout of X.
    if (other.causeServices.some((cause) => other.failing?.[`${cause}@${region}`] !== undefined)) continue;
    // Only the alarms still firing: one that already cleared recovered with the incident it sits in, so it was that one's symptom.
    // X's own alarms there, and those that joined through X failing there (its callers), belong to the rollout.
    const ofService = (where: string | undefined) => where !== undefined && where.startsWith(`${service}@`) && where !== `${service}@${region}`;
    const through = (fp: string) => {
      const entry = state.fingerprints[fp];
      if (entry?.groupId !== other.id || entry.status !== "firing") return undefined;
      return ofService(entry.where) ? entry.where : ofService(entry.via) ? entry.via : undefined;
    };
    const elsewhere = other.fingerprints.filter((fp) => through(fp) !== undefined);
    if (elsewhere.length === 0) continue;
    const began = Math.min(...elsewhere.map((fp) => state.fingerprints[fp]?.statusAt ?? t));
    if (t - began > ctx.config.rolloutWindow) continue;
    const regions = new Set(elsewhere.map((fp) => regionOf(through(fp)) ?? region));
    decisions.push(...moveFingerprints(state, other, group, elsewhere, t));
    decisions.push(...gatherCallers(state, group, service, regions, began, t, ctx));
  }
  return decisions;
}

function regionOf(where: string | undefined): string | undefined {
  return where?.slice(where.indexOf("@") + 1);
}

/**
 * Moves fingerprints (their events so far and their next ones) from `from` to `into`, with the regions they fail in and
 * their event counts; `into` now began when the earliest of them began firing.
 */
function moveFingerprints(state: GroupingState, from: Group, into: Group, fingerprints: string[], at: number): Decision[] {
  for (const fp of fingerprints) {
    const entry = state.fingerprints[fp];
    if (entry === undefined) continue;
    entry.groupId = into.id;
    into.firstAt = Math.min(into.firstAt, entry.firings[0] ?? entry.statusAt);
    from.eventCount -= entry.events ?? 0;
    into.eventCount += entry.events ?? 0;
    if (!into.fingerprints.includes(fp)) into.fingerprints.push(fp);
    const region = regionOf(entry.where);
    if (region !== undefined && !into.regions.includes(region)) into.regions.push(region);
    if (entry.where !== undefined && entry.status === "firing") (into.failing ??= {})[entry.where] = Math.max(into.failing?.[entry.where] ?? entry.statusAt, entry.statusAt);
  }
  from.fingerprints = from.fingerprints.filter((fp) => !fingerprints.includes(fp));
  from.eventCount = Math.max(0, from.eventCount);
  return [{ type: "alerts.moved", incidentId: into.id, from: from.id, at, fingerprints }];
}

/** Merges into `group` the groups that only callers of `service` opened in `regions` within the cascade window after `began`. */
function gatherCallers(state: GroupingState, group: Group, service: string, regions: Set<string>, began: number, at: number, ctx: EngineContext): Decision[] {
  const callers = new Set(ctx.topology.dependentsOf(service));
  const decisions: Decision[] = [];
  for (const other of Object.values(state.groups)) {
    if (other === group || (other.status !== "open" && other.status !== "pending") || isZoneImpairment(other)) continue;
    if (other.causeServices.length === 0 || !other.causeServices.every((s) => callers.has(s))) continue;
    if (!other.regions.every((r) => regions.has(r) || group.regions.includes(r))) continue;
    if (other.firstAt < began || other.firstAt > began + ctx.config.cascadeWindow) continue;
    const eventIds = mergeGroups(state, group, other);
    decisions.push({ type: "incident.merged", incidentId: group.id, from: other.id, at, eventIds });
  }
  return decisions;
}
