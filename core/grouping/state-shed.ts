import type { Group, GroupingState } from "./correlate-state";

/** What `shedHistory` dropped to make a scope's state fit. */
export interface ShedReport {
  /** Resolved and discarded groups, oldest first, with the fingerprints only they held. */
  groups: number;
  fingerprints: number;
  /** Dedup keys, oldest first. */
  seen: number;
  /**
   * Whether the state fits now. False when it would not fit even with all its history gone (live groups, open and
   * pending, are never dropped): then nothing was dropped, and the grouper stores the whole state over several items.
   */
  fits: boolean;
}

const closedAt = (group: Group) => Math.max(group.lastAt, group.resolvedAt ?? 0);

/**
 * Makes room in a scope's state that no longer fits its item (DynamoDB holds 400 KB), so the grouper keeps
 * grouping instead of failing every batch from then on. Only history goes, oldest first, a quarter at a time
 * until `fits` says it fits: resolved and discarded groups (what aftermaths, late clears and flap memory use)
 * with the fingerprint entries no remaining group holds, then dedup keys (a redelivery older than those kept
 * would be taken anew). Open and pending groups, the incidents people are paged for, are never dropped. When the
 * state would not fit even with all its history gone, nothing is dropped: losing it would gain nothing.
 *
 * @param state - the scope's state (changed in place)
 * @param fits - whether a state fits as the caller stores it
 */
export function shedHistory(state: GroupingState, fits: (state: GroupingState) => boolean): ShedReport {
  const report: ShedReport = { groups: 0, fingerprints: 0, seen: 0, fits: fits(state) };
  if (!report.fits && !fits(liveOnly(state))) return report;
  const closed = Object.values(state.groups)
    .filter((g) => g.status === "resolved" || g.status === "discarded")
    .sort((a, b) => closedAt(a) - closedAt(b));
  while (!report.fits && closed.length > 0) {
    for (const group of closed.splice(0, Math.ceil(closed.length / 4))) {
      delete state.groups[group.id];
      report.groups++;
    }
    for (const [fp, entry] of Object.entries(state.fingerprints)) {
      if (state.groups[entry.groupId] !== undefined) continue;
      delete state.fingerprints[fp];
      report.fingerprints++;
    }
    report.fits = fits(state);
  }
  const seen = Object.entries(state.seen).sort(([, [a]], [, [b]]) => a - b);
  while (!report.fits && seen.length > 0) {
    for (const [key] of seen.splice(0, Math.ceil(seen.length / 4))) {
      delete state.seen[key];
      report.seen++;
    }
    report.fits = fits(state);
  }
  return report;
}

/** The state with all its history gone (what shedding everything would leave), the state itself untouched. */
function liveOnly(state: GroupingState): GroupingState {
  const groups = Object.fromEntries(Object.entries(state.groups).filter(([, g]) => g.status !== "resolved" && g.status !== "discarded"));
  const fingerprints = Object.fromEntries(Object.entries(state.fingerprints).filter(([, entry]) => groups[entry.groupId] !== undefined));
  return { ...state, groups, fingerprints, seen: {} };
}
