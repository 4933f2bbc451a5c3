import { type AlertMove, type AlertRecord, finalGroupOf } from "../core/grouping/alert-record";
import type { GroupingState, SuppressReason } from "../core/grouping/correlate-state";
import { appendRecords, type PageBuffer } from "../core/grouping/scope-step";
import { listAlertPages, listGroupingDeadlines, listGroupingScopes, loadGroupingScopes } from "../core/store/grouping-batch";
import { listIncidentsByStatus } from "../core/store/queries";
import type { Incident, Store } from "../core/store/service";

/** One line of `vigil replay --assignments`: the incident an input event ended up in, or null. */
export interface Assignment {
  eventId: string;
  incidentId: string | null;
}

/** An incident as stored, with the alerts it holds in event-time order. */
export interface IncidentAlerts {
  incident: Incident;
  /** `joinedElsewhere`: it joined another group (or none) that was later merged into this incident, or moved here. */
  alerts: (AlertRecord & { joinedElsewhere?: true })[];
}

/** How a reader finds the grouping scopes: `scan` reads every item of the table (a local store), else Queries only. */
export interface ReadOptions {
  scan?: boolean;
  /** Scopes to read besides those found by Query: those of every account the deployment's topology names (`namedScopes`). */
  scopes?: readonly string[] | undefined;
}

/**
 * The grouping scopes to read. Without `scan`: those the Incident items name, those with a deadline (a pending
 * group, an open incident's next page) and the `scopes` asked for, by Query and BatchGet, so a deployed table is not
 * scanned. Left out: a scope of an account no topology names that never held an incident and has nothing due (only
 * settled noise), and one that only resolved incidents written before items named their scope still point to (an open
 * one such forces the Scan).
 */
async function scopesToRead(store: Store, incidents: readonly Incident[], { scan = true, scopes = [] }: ReadOptions): Promise<{ scopeId: string; state?: string | undefined; pageBuffer?: string | undefined }[]> {
  if (scan || incidents.some((i) => i.status === "open" && i.mergedInto === undefined && i.scopeId === undefined)) return listGroupingScopes(store);
  const ids = new Set([...incidents.flatMap((i) => (i.scopeId === undefined ? [] : [i.scopeId])), ...(await listGroupingDeadlines(store)).keys(), ...scopes]);
  return [...(await loadGroupingScopes(store, [...ids])).values()];
}

/** The store read once: every alert with its final group, the incidents that stand, the verdicts kept, the groups still pending. */
interface Grouped {
  alerts: { record: AlertRecord; group: string }[];
  incidents: Map<string, Incident>;
  suppressed: Map<string, SuppressReason>;
  /** Groups still awaiting a verdict in their scope's state. */
  pending: Set<string>;
}

/**
 * Every stored alert with the group it finally belongs to (the group its alert joined, from the scopes' alert
 * pages, followed through merges and moves: `finalGroupOf`), and the incidents that stand (an Incident item, not
 * merged away). The alerts not yet paged ride in each scope item's page buffer.
 */
async function readGrouped(store: Store, options: ReadOptions = {}): Promise<Grouped> {
  const items = [...(await listIncidentsByStatus(store, "open")), ...(await listIncidentsByStatus(store, "resolved"))];
  // Merges and moves are read across scopes: a scope that took over an earlier one (see scope-adopt.ts) merges its groups.
  const all: PageBuffer = { alerts: [], merges: [] };
  const pending = new Set<string>();
  for (const scope of await scopesToRead(store, items, options)) {
    for (const page of await listAlertPages(store, scope.scopeId)) {
      const moves = page.moves === undefined ? undefined : (JSON.parse(page.moves) as AlertMove[]);
      const suppressed = page.suppressed === undefined ? undefined : (JSON.parse(page.suppressed) as PageBuffer["suppressed"]);
      appendRecords(all, { alerts: JSON.parse(page.alerts) as AlertRecord[], merges: JSON.parse(page.merges) as [string, string][], moves, suppressed });
    }
    if (scope.pageBuffer) appendRecords(all, JSON.parse(scope.pageBuffer) as PageBuffer);
    for (const group of Object.values((scope.state ? (JSON.parse(scope.state) as Pick<GroupingState, "groups">) : { groups: {} }).groups)) {
      if (group.status === "pending") pending.add(group.id);
    }
  }
  const final = finalGroupOf(all.merges, all.moves ?? []);
  const incidents = new Map(items.filter((i) => i.mergedInto === undefined).map((i) => [i.incidentId, i]));
  // An alert that joined no group (null) still follows moves from "" (a launch an alarm on its instance adopted later).
  return { alerts: all.alerts.map((record) => ({ record, group: final(record.groupId ?? "", record.fingerprint) })), incidents, suppressed: new Map(all.suppressed), pending };
}

/**
 * Reads back, from the store the grouper wrote, which incident each event joined (see `readGrouped`), counted only
 * when that group became an incident. An event that produced no alert, or only alerts held in groups that were
 * discarded or are still pending, gets null. With several alerts (a Security Hub batch), the first alert that is in
 * an incident decides.
 *
 * @param store - the runtime's store
 * @param eventIds - the input events, in input order
 * @returns one assignment per input event, and how many alerts the pages hold
 */
export async function readAssignments(store: Store, eventIds: readonly string[]): Promise<{ assignments: Assignment[]; alerts: number }> {
  const { alerts, incidents } = await readGrouped(store);
  const joined = new Map<string, string[]>();
  for (const { record, group } of alerts) joined.set(record.eventId, [...(joined.get(record.eventId) ?? []), group]);
  const assignments = eventIds.map((eventId) => ({ eventId, incidentId: (joined.get(eventId) ?? []).find((g) => incidents.has(g)) ?? null }));
  return { assignments, alerts: alerts.length };
}

/**
 * Every incident in the store with the alerts it finally holds, oldest incident first, each incident's alerts in
 * event-time order: what a person reads to see what an incident is made of and why (`AlertRecord.link`).
 *
 * @param store - the runtime's store
 */
export async function readIncidentAlerts(store: Store): Promise<IncidentAlerts[]> {
  return incidentAlertsOf(await readGrouped(store));
}

function incidentAlertsOf({ alerts, incidents }: Grouped): IncidentAlerts[] {
  const byIncident = new Map<string, IncidentAlerts["alerts"]>();
  for (const { record, group } of alerts) {
    if (!incidents.has(group)) continue;
    const list = byIncident.get(group) ?? byIncident.set(group, []).get(group)!;
    list.push(record.groupId === group ? record : { ...record, joinedElsewhere: true });
  }
  return [...incidents.values()]
    .sort((a, b) => a.openedAt.localeCompare(b.openedAt) || a.incidentId.localeCompare(b.incidentId))
    .map((incident) => ({ incident, alerts: (byIncident.get(incident.incidentId) ?? []).sort((a, b) => a.eventTime.localeCompare(b.eventTime)) }));
}

/**
 * Why a held-back group never paged: the engine's verdict, "pending" while it still awaits one, or "unrecorded" when its
 * verdict is not stored (pages written before verdicts were kept).
 */
export type HeldReason = SuppressReason | "pending" | "unrecorded";

/** Alerts that ended in no incident, gathered by the group they were held in, with why they never paged. */
export interface HeldBack {
  reason: HeldReason;
  /** In event-time order. */
  alerts: AlertRecord[];
}

/**
 * Every alert that ended in no incident, by the group it was held in (alerts of no group by service, kind and minute),
 * oldest first: what a person reads to see what Vigil kept from paging and why (`alert.suppressed`).
 * A group its scope's state still holds pending is "pending"; one whose verdict was never stored, "unrecorded".
 *
 * @param store - the runtime's store
 */
export async function readHeldBack(store: Store): Promise<HeldBack[]> {
  return heldBackOf(await readGrouped(store));
}

/** Both readings of one pass over the store (`readIncidentAlerts`, `readHeldBack`): a deployed table is scanned once. */
export async function readDecided(store: Store, options: ReadOptions = {}): Promise<{ incidents: IncidentAlerts[]; held: HeldBack[] }> {
  const grouped = await readGrouped(store, options);
  return { incidents: incidentAlertsOf(grouped), held: heldBackOf(grouped) };
}

function heldBackOf({ alerts, incidents, suppressed, pending }: Grouped): HeldBack[] {
  const byGroup = new Map<string, AlertRecord[]>();
  for (const { record, group } of alerts) {
    if (incidents.has(group)) continue;
    // Alerts of no group (information, a clear of nothing seen) are listed by service, kind and minute: a fleet's launches are one line.
    const key = group === "" ? `#${record.service ?? ""}#${record.kind}#${record.eventTime.slice(0, 16)}` : group;
    (byGroup.get(key) ?? byGroup.set(key, []).get(key)!).push(record);
  }
  // A group's verdict is the one its latest suppressed alert got (alerts joining a discarded group get its reason).
  const reasonOf = (group: string, list: AlertRecord[]): HeldReason =>
    list.map((a) => suppressed.get(a.eventId)).findLast((r) => r !== undefined) ?? (pending.has(group) ? "pending" : "unrecorded");
  return [...byGroup]
    .map(([group, list]) => ({ reason: reasonOf(group, list), alerts: list.sort((a, b) => a.eventTime.localeCompare(b.eventTime)) }))
    .sort((a, b) => a.alerts[0]!.eventTime.localeCompare(b.alerts[0]!.eventTime));
}
