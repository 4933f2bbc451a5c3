import { deterministicId } from "../anomaly/emit";
import type { Alert } from "./alert";
import { alertRecord, type AlertMove, incidentRecord, mergesOf, movesOf, touchedIncidents, type AlertRecord, type IncidentRecord } from "./alert-record";
import { ingest, tick, type EngineContext } from "./correlate";
import type { CorrelationScopes } from "./correlation-scopes";
import type { Decision, GroupingState, SuppressReason } from "./correlate-state";
import { incidentEvents, incidentTitle, type IncidentEvent } from "./incident-event";

/**
 * The correlation scope of an alert: its account's scope in `scopes` (the topology's, `Topology.scopes`).
 * Every alert of an account goes to one scope, so links across its regions (a multi-region service, a
 * failover) form, and accounts the topology links share that scope, so links across them form too.
 *
 * @param alert - a normalised alert
 * @param scopes - the correlation scopes (`topology.scopes`, or `perAccountScopes` for one scope per account)
 */
export function scopeOf(alert: Alert, scopes: CorrelationScopes): string {
  return scopes.scopeOf(alert.account);
}

/** Alert records (and merges and moves) of a scope not yet written as a page: they ride in the scope item until a page is full. */
export interface PageBuffer {
  alerts: AlertRecord[];
  merges: [string, string][];
  /** Absent when there are none (and in buffers stored before moves existed). */
  moves?: AlertMove[] | undefined;
  /**
   * Alerts held back from every incident, and why (`alert.suppressed`): what `vigil replay --held` shows a person asking
   * why an alarm never paged. Absent when there are none.
   */
  suppressed?: [eventId: string, reason: SuppressReason][] | undefined;
}

/** Appends `more` to `into`'s records, merges, moves and suppressions (the last two only when there are any, so buffers without keep their stored form). */
export function appendRecords(into: PageBuffer, more: PageBuffer): PageBuffer {
  into.alerts.push(...more.alerts);
  into.merges.push(...more.merges);
  if ((more.moves?.length ?? 0) > 0) (into.moves ??= []).push(...(more.moves ?? []));
  if ((more.suppressed?.length ?? 0) > 0) (into.suppressed ??= []).push(...(more.suppressed ?? []));
  return into;
}

/** The alerts a step held back from every incident, with why (`PageBuffer.suppressed`). */
function suppressedOf(decisions: readonly Decision[]): PageBuffer["suppressed"] {
  const held = decisions.flatMap((d) => (d.type === "alert.suppressed" ? [[d.eventId, d.reason] as [string, SuppressReason]] : []));
  return held.length > 0 ? held : undefined;
}

/** A step's records: only the fields that hold something, so buffers keep their stored form. */
function stepRecords(alerts: AlertRecord[], decisions: readonly Decision[], merges: [string, string][]): PageBuffer {
  const moves = movesOf(decisions);
  const suppressed = suppressedOf(decisions);
  return { alerts, merges, ...(moves.length > 0 ? { moves } : {}), ...(suppressed === undefined ? {} : { suppressed }) };
}

/** A full page of alert records to write, under a key derived from what it holds. */
export interface AlertPageContent extends PageBuffer {
  pageId: string;
}

/** What the handler must apply after committing a step: a full page of alerts, Incident items, outbound events. */
export interface ScopeOutbox {
  page?: AlertPageContent | undefined;
  incidents: (IncidentRecord & { mergedInto?: string })[];
  events: IncidentEvent[];
}

/** The result of a scope step: the next state (the input, mutated), its decisions, the alerts it recorded and its outbox. */
export interface ScopeStep {
  state: GroupingState;
  decisions: Decision[];
  /** The alerts this step ingested (duplicates excluded) and the merges it made, for the page buffer. */
  records: PageBuffer;
  outbox: ScopeOutbox;
}

/** Alerts per page: a page is written once this many records are buffered, so pages cost ~1/100 write per alert. */
export const PAGE_ALERTS = 100;

/**
 * Adds a step's records to a scope's page buffer; once it holds `pageAlerts` alerts, returns it as a page
 * (its id from its first event time and a hash of its alert keys and merges) and empties the buffer.
 *
 * @param buffer - the scope's buffer as loaded
 * @param records - the step's records
 * @param pageAlerts - page size
 */
export function bufferAlerts(buffer: PageBuffer, records: PageBuffer, pageAlerts = PAGE_ALERTS): { buffer: PageBuffer; page?: AlertPageContent } {
  const next = appendRecords(appendRecords({ alerts: [], merges: [] }, buffer), records);
  if (next.alerts.length < pageAlerts) return { buffer: next };
  const first = next.alerts[0]!.eventTime;
  const moves = (next.moves ?? []).map(([from, into, fps]) => `${from}>${into}:${fps.join(",")}`);
  const held = (next.suppressed ?? []).map(([eventId, reason]) => `${eventId}~${reason}`);
  const pageId = `${first}#${deterministicId(...next.alerts.map((r) => `${r.eventId}#${r.fingerprint}`), ...next.merges.flat(), ...moves, ...held).slice(0, 18)}`;
  return { buffer: { alerts: [], merges: [] }, page: { pageId, ...next } };
}

/** Incident ids that were incidents (open or resolved) before a step, so merged-away incidents are closed in the store. */
function incidentIds(state: GroupingState): Set<string> {
  return new Set(Object.values(state.groups).filter((g) => g.status === "open" || g.status === "resolved").map((g) => g.id));
}

function outboxOf(state: GroupingState, before: Set<string>, decisions: Decision[], merges: [string, string][]): ScopeOutbox {
  const incidents: ScopeOutbox["incidents"] = [];
  for (const id of touchedIncidents(decisions)) {
    const group = state.groups[id];
    const record = group === undefined ? undefined : incidentRecord(group, incidentTitle(group));
    if (record !== undefined) incidents.push(record);
  }
  // An incident merged into another is closed in the store and points at the survivor.
  for (const [from, into] of merges) {
    const survivor = state.groups[into];
    if (!before.has(from) || survivor === undefined) continue;
    const record = incidentRecord({ ...survivor, id: from, status: "resolved", resolvedAt: survivor.lastAt }, `merged into ${into}`);
    if (record !== undefined) incidents.push({ ...record, mergedInto: into });
  }
  return { incidents, events: incidentEvents(decisions, (id) => state.groups[id]) };
}

/**
 * Ingests a batch of one scope's alerts in event-time order (delivery order on ties). Before each alert
 * the clock moves to its event time (`tick`), so timing decisions (pending verdicts, resolves, pages) are
 * taken in event time as the offline engine takes them; after the batch the clock settles at its latest
 * event time, so `nextDueAt` is the true next deadline. Duplicates (seen event id + fingerprint) change
 * nothing and are not recorded again.
 *
 * @param state - the scope's state (taken over and returned)
 * @param alerts - the batch's alerts of this scope, any order
 * @param ctx - topology and grouping config
 */
export function ingestScopeBatch(state: GroupingState, alerts: readonly Alert[], ctx: EngineContext): ScopeStep {
  const before = incidentIds(state);
  const decisions: Decision[] = [];
  const records: AlertRecord[] = [];
  const ordered = alerts.map((alert, i) => ({ alert, i })).sort((a, b) => a.alert.eventTime - b.alert.eventTime || a.i - b.i);
  let latest = Number.NEGATIVE_INFINITY;
  for (const { alert } of ordered) {
    decisions.push(...tick(state, alert.eventTime, ctx).decisions);
    const step = ingest(state, alert, alert.eventTime, ctx);
    decisions.push(...step.decisions);
    latest = Math.max(latest, alert.eventTime);
    if (step.decisions[0]?.type === "alert.duplicate") continue;
    const placed = step.decisions.find((d) => (d.type === "alert.attached" || d.type === "alert.held") && d.eventId === alert.eventId);
    const how = placed?.type === "alert.attached" || placed?.type === "alert.held" ? placed : undefined;
    records.push(alertRecord(alert, state.seen[`${alert.eventId}#${alert.fingerprint}`]?.[1] ?? "", how?.link, { through: how?.through, upstream: how?.upstream }));
  }
  if (Number.isFinite(latest)) decisions.push(...tick(state, latest, ctx).decisions);
  const merges = mergesOf(decisions);
  return { state, decisions, records: stepRecords(records, decisions, merges), outbox: outboxOf(state, before, decisions, merges) };
}

/**
 * Moves a scope's clock to `now` (the incident timer): pending verdicts, resolves and due pages.
 *
 * @param state - the scope's state (taken over and returned)
 * @param now - the timer's time (ms since epoch)
 * @param ctx - topology and grouping config
 */
export function tickScope(state: GroupingState, now: number, ctx: EngineContext): ScopeStep {
  const before = incidentIds(state);
  const { decisions } = tick(state, now, ctx);
  const merges = mergesOf(decisions);
  return { state, decisions, records: stepRecords([], decisions, merges), outbox: outboxOf(state, before, decisions, merges) };
}

/** Whether an outbox has anything to apply. */
export function outboxIsEmpty(outbox: ScopeOutbox): boolean {
  return outbox.page === undefined && outbox.incidents.length === 0 && outbox.events.length === 0;
}
