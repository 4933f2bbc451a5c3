import { moreSevere } from "./correlate-group";
import type { Group, GroupingState } from "./correlate-state";

/** When a group's own failure began: `failingSince`, else its first alert. */
export function failingSince(group: Group): number {
  return group.failingSince ?? group.firstAt;
}

function union(into: string[], from: readonly string[]): void {
  for (const value of from) if (!into.includes(value)) into.push(value);
}

/**
 * Merges group `from` into group `into` (PagerDuty-style incident merge): facts, fingerprints and dedup
 * keys move to `into`, and `from` is forgotten. Returns the event ids `from` held while pending: they are
 * released when `into` is an open incident, else kept held by `into`.
 *
 * @param state - engine state (updated in place)
 * @param into - the surviving group
 * @param from - the group absorbed
 */
export function mergeGroups(state: GroupingState, into: Group, from: Group): string[] {
  if (into.failingSince !== undefined || from.failingSince !== undefined) into.failingSince = Math.min(failingSince(into), failingSince(from));
  into.firstAt = Math.min(into.firstAt, from.firstAt);
  into.lastAt = Math.max(into.lastAt, from.lastAt);
  into.anchorAt = Math.max(into.anchorAt, from.anchorAt);
  if (from.impairedUntil !== undefined) into.impairedUntil = Math.max(into.impairedUntil ?? 0, from.impairedUntil);
  into.quietSince = into.quietSince === undefined || from.quietSince === undefined ? undefined : Math.max(into.quietSince, from.quietSince);
  into.overAt = into.overAt === undefined || from.overAt === undefined ? undefined : Math.max(into.overAt, from.overAt);
  for (const key of ["fingerprints", "roots", "anchors", "services", "causeServices", "findingServices", "regions", "accounts", "impairedZones", "zones", "resources", "rules"] as const) {
    union(into[key], from[key]);
  }
  if (from.availabilityServices !== undefined) union((into.availabilityServices ??= []), from.availabilityServices);
  for (const [key, at] of Object.entries(from.failing ?? {})) (into.failing ??= {})[key] = Math.max(into.failing?.[key] ?? at, at);
  if (from.burnKeys !== undefined) union((into.burnKeys ??= []), from.burnKeys);
  if (from.queues !== undefined) union((into.queues ??= []), from.queues);
  if (from.idle !== undefined) union((into.idle ??= []), from.idle);
  for (const [key, at] of Object.entries(from.spend ?? {})) (into.spend ??= {})[key] = Math.max(into.spend?.[key] ?? at, at);
  for (const [key, at] of Object.entries(from.restartedAt ?? {})) (into.restartedAt ??= {})[key] = Math.max(into.restartedAt?.[key] ?? at, at);
  into.eventCount += from.eventCount;
  if (moreSevere(from.severity, into.severity)) into.severity = from.severity;
  for (const entry of Object.values(state.fingerprints)) if (entry.groupId === from.id) entry.groupId = into.id;
  for (const seen of Object.values(state.seen)) if (seen[1] === from.id) seen[1] = into.id;
  delete state.groups[from.id];
  const held = from.heldEventIds;
  if (into.status === "pending") {
    into.heldEventIds.push(...held);
    return [];
  }
  return held;
}
