import type { AlertRecord } from "../core/grouping/alert-record";
import type { PageBuffer } from "../core/grouping/scope-step";
import { listAlertPages, listGroupingScopes } from "../core/store/grouping-batch";
import { listIncidentsByStatus } from "../core/store/queries";
import type { Store } from "../core/store/service";

/** One line of `vigil replay --assignments`: the incident an input event ended up in, or null. */
export interface Assignment {
  eventId: string;
  incidentId: string | null;
}

/**
 * Reads back, from the store the grouper wrote, which incident each event joined: the group its alerts
 * joined (from the scopes' alert pages), followed through merges, counted only when that group became an
 * incident (an Incident item exists). The alerts not yet paged ride in each scope item's page buffer. An event that produced no alert, or only alerts held in groups that
 * were discarded or are still pending, gets null. With several alerts (a Security Hub batch), the first
 * alert that is in an incident decides.
 *
 * @param store - the runtime's store
 * @param eventIds - the input events, in input order
 * @returns one assignment per input event, and how many alerts the pages hold
 */
export async function readAssignments(store: Store, eventIds: readonly string[]): Promise<{ assignments: Assignment[]; alerts: number }> {
  let alerts = 0;
  const groupsOf = new Map<string, string[]>();
  const mergedInto = new Map<string, string>();
  for (const scope of await listGroupingScopes(store)) {
    const pages: PageBuffer[] = (await listAlertPages(store, scope.scopeId)).map((p) => ({ alerts: JSON.parse(p.alerts) as AlertRecord[], merges: JSON.parse(p.merges) as [string, string][] }));
    if (scope.pageBuffer) pages.push(JSON.parse(scope.pageBuffer) as PageBuffer);
    for (const page of pages) {
      alerts += page.alerts.length;
      for (const record of page.alerts) {
        if (record.groupId === null) continue;
        const list = groupsOf.get(record.eventId);
        if (list) list.push(record.groupId);
        else groupsOf.set(record.eventId, [record.groupId]);
      }
      for (const [from, into] of page.merges) mergedInto.set(from, into);
    }
  }
  const incidents = new Set<string>();
  for (const status of ["open", "resolved"] as const) {
    for (const incident of await listIncidentsByStatus(store, status)) {
      if (incident.mergedInto === undefined) incidents.add(incident.incidentId);
    }
  }
  const final = (id: string): string => {
    const seen = new Set<string>();
    let current = id;
    while (mergedInto.has(current) && !seen.has(current)) {
      seen.add(current);
      current = mergedInto.get(current)!;
    }
    return current;
  };
  const assignments = eventIds.map((eventId) => {
    const group = (groupsOf.get(eventId) ?? []).map(final).find((g) => incidents.has(g));
    return { eventId, incidentId: group ?? null };
  });
  return { assignments, alerts };
}

