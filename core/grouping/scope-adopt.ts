import { accountScope, type CorrelationScopes } from "./correlation-scopes";
import { createGroupingState, type GroupingState } from "./correlate-state";

/**
 * The stored scopes a new correlation scope takes over when it is first written: each member account's own
 * scope (`acct#`, what the grouper kept before accounts correlated) and each member's group scope (a group is
 * named after its smallest member, so any earlier id of this group, before a smaller account joined, is one
 * of these). Empty for a scope that is not a group.
 *
 * @param scopeId - the new scope
 * @param scopes - the topology's correlation scopes
 */
export function predecessorScopes(scopeId: string, scopes: CorrelationScopes): string[] {
  const members = scopes.groups.get(scopeId) ?? [];
  return members.flatMap((account) => [accountScope(account), `group#${account}`]).filter((id) => id !== scopeId);
}

/** What `adoptScopeStates` returns: the merged state and which of the given states it took. */
export interface AdoptedState {
  state: GroupingState;
  /** Indexes of the states merged in, in order. */
  taken: number[];
  /** Indexes of the states left out because one of their group ids is already taken (ids are per scope): they must stay where they are. */
  skipped: number[];
}

/**
 * Merges the engine states of several scopes into one, so the open incidents, pending groups, fingerprints and
 * dedup keys of predecessor scopes live on in the scope that replaces them: groups, fingerprints and dedup keys
 * are united (a fingerprint seen in two keeps its latest transition), the clock is the latest, the next
 * deadline the earliest, the id sequence the highest, zone signals are united in time order, remembered launches keep the latest. A state with a
 * group id an earlier one already holds is left out whole (see `skipped`), never half merged.
 *
 * @param states - the predecessors' states (taken over: their groups become the merged state's)
 */
export function adoptScopeStates(states: readonly GroupingState[]): AdoptedState {
  const merged = createGroupingState();
  const taken: number[] = [];
  const skipped: number[] = [];
  let prunedAt = Number.POSITIVE_INFINITY;
  states.forEach((state, index) => {
    if (Object.keys(state.groups).some((id) => id in merged.groups)) {
      skipped.push(index);
      return;
    }
    taken.push(index);
    Object.assign(merged.groups, state.groups);
    for (const [fingerprint, entry] of Object.entries(state.fingerprints)) {
      const known = merged.fingerprints[fingerprint];
      if (known === undefined || entry.statusAt > known.statusAt) merged.fingerprints[fingerprint] = entry;
    }
    Object.assign(merged.seen, state.seen);
    merged.seq = Math.max(merged.seq, state.seq);
    merged.clock = Math.max(merged.clock, state.clock);
    merged.nextDueAt = Math.min(merged.nextDueAt, state.nextDueAt);
    prunedAt = Math.min(prunedAt, state.prunedAt);
    for (const [zone, signals] of Object.entries(state.zoneSignals ?? {})) {
      merged.zoneSignals ??= {};
      merged.zoneSignals[zone] = [...(merged.zoneSignals[zone] ?? []), ...signals].sort((a, b) => a[0] - b[0]);
    }
    for (const [fingerprint, launch] of Object.entries(state.launches ?? {})) {
      const known = merged.launches?.[fingerprint];
      if (known === undefined || launch[0] > known[0]) (merged.launches ??= {})[fingerprint] = launch;
    }
  });
  // The earliest prune of the merged states: the next prune then covers what any of them kept.
  merged.prunedAt = Number.isFinite(prunedAt) ? prunedAt : 0;
  return { state: merged, taken, skipped };
}
