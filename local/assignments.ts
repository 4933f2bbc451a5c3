import { type AlertMove, type AlertRecord, finalGroupOf } from "../core/grouping/alert-record";
import { appendRecords, type PageBuffer } from "../core/grouping/scope-step";
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
 * joined (from the scopes' alert pages), followed through merges and moves (`finalGroupOf`), counted only
 * when that group became an incident (an Incident item exists). The alerts not yet paged ride in each scope
 * item's page buffer. An event that produced no alert, or only alerts held in groups that were discarded or
 * are still pending, gets null. With several alerts (a Security Hub batch), the first
 * alert that is in an incident decides.
 *
 * @param store - the runtime's store
 * @param eventIds - the input events, in input order
 * @returns one assignment per input event, and how many alerts the pages hold
 */
export async function readAssignments(store: Store, eventIds: readonly string[]): Promise<{ assignments: Assignment[]; alerts: number }> {
  // Merges and moves are read across scopes: a scope that took over an earlier one (see scope-adopt.ts) merges its groups.
  const all: PageBuffer = { alerts: [], merges: [] };
  for (const scope of await listGroupingScopes(store)) {
    for (const page of await listAlertPages(store, scope.scopeId)) {
      const moves = page.moves === undefined ? undefined : (JSON.parse(page.moves) as AlertMove[]);
      appendRecords(all, { alerts: JSON.parse(page.alerts) as AlertRecord[], merges: JSON.parse(page.merges) as [string, string][], moves });
    }
    if (scope.pageBuffer) appendRecords(all, JSON.parse(scope.pageBuffer) as PageBuffer);
  }
  const final = finalGroupOf(all.merges, all.moves ?? []);
  const joined = new Map<string, string[]>();
  // An alert that joined no group (null) still follows moves from "" (a launch an alarm on its instance adopted later).
  for (const record of all.alerts) joined.set(record.eventId, [...(joined.get(record.eventId) ?? []), final(record.groupId ?? "", record.fingerprint)]);
  const incidents = new Set<string>();
  for (const status of ["open", "resolved"] as const) {
    for (const incident of await listIncidentsByStatus(store, status)) {
      if (incident.mergedInto === undefined) incidents.add(incident.incidentId);
    }
  }
  const assignments = eventIds.map((eventId) => ({ eventId, incidentId: (joined.get(eventId) ?? []).find((g) => incidents.has(g)) ?? null }));
  return { assignments, alerts: all.alerts.length };
}
