import { createHash } from "node:crypto";
import type { GroupingState, ScopeOutbox } from "../../core/grouping";

/** Incident id → digest of the Incident item content last put in an outbox for it. */
export type IncidentDigests = Record<string, string>;

/** A short digest of an Incident item's content (the record's JSON, whose key order is fixed). */
function digestOf(incident: ScopeOutbox["incidents"][number]): string {
  return createHash("sha256").update(JSON.stringify(incident)).digest("base64url").slice(0, 16);
}

/**
 * Drops from `outbox` the Incident items whose content is what was last written for them: a page or a
 * repeat touches an incident whose projection did not change (most of the writes on dense storms), and
 * rewriting it would store the same item. Returns the outbox to commit and the digests to commit with it;
 * both go into the scope item in one conditional put, so a digest never names a write that was lost.
 * Digests of incidents no longer in the state are dropped, so the map stays as small as the state.
 *
 * @param outbox - the step's outbox
 * @param stored - the digests committed with the scope as loaded
 * @param state - the state after the step
 */
export function withoutUnchangedIncidents(outbox: ScopeOutbox, stored: IncidentDigests, state: GroupingState): { outbox: ScopeOutbox; digests: IncidentDigests } {
  const digests: IncidentDigests = {};
  for (const [id, digest] of Object.entries(stored)) if (state.groups[id] !== undefined) digests[id] = digest;
  const incidents = outbox.incidents.filter((incident) => {
    const digest = digestOf(incident);
    if (digests[incident.incidentId] === digest) return false;
    if (state.groups[incident.incidentId] !== undefined) digests[incident.incidentId] = digest;
    return true;
  });
  return { outbox: { ...outbox, incidents }, digests };
}
