import type { PutEventsRequestEntry } from "@aws-sdk/client-eventbridge";
import { adoptScopeStates, appendRecords, bufferAlerts, createGroupingState, type Alert, type EngineContext, type GroupingState, type PageBuffer, predecessorScopes, type ScopeOutbox, type ScopeStep, outboxIsEmpty, scopeOf, tickScope } from "../../core/grouping";
import { ingestScopeBatchOnSchedule } from "../../core/grouping/scope-step-scheduled";
import { ConcurrencyConflictError } from "../../core/store/errors";
import { clearGroupingOutbox, commitGroupingScope, listDueGroupingScopes, loadGroupingScopes, loadGroupingScopeVersions, ScopeTooLargeError, type LoadedScope, writeAlertPages, writeIncidents } from "../../core/store/grouping-batch";
import { encodeScopeText } from "../../core/store/scope-codec";
import { partSetOf, type PartSetRef } from "../../core/store/scope-parts";
import { shedHistory, type ShedReport } from "../../core/grouping/state-shed";
import type { Store } from "../../core/store/service";
import { incidentEntry } from "../../events/outbound/incident";
import { withoutUnchangedIncidents, type IncidentDigests } from "./grouping-digests";

/** A scope still written concurrently after every reload: the invocation fails and Lambda retries it. */
export class GroupingContentionError extends Error {
  override readonly name = "GroupingContentionError";
  readonly code = "grouping.scope_contention";
}

/** A stored scope whose state or outbox is not the engine's JSON: never silently reset. */
export class CorruptGroupingStateError extends Error {
  override readonly name = "CorruptGroupingStateError";
  readonly code = "grouping.corrupt_state";
}

/** What the grouper and the timer need besides the engine: the store and a publisher to the ops bus. */
export interface GroupingDeps {
  store: Store;
  publish: (entries: PutEventsRequestEntry[]) => Promise<unknown>;
  /** Room for a scope item's encoded attributes (`MAX_SCOPE_BYTES` by default; tests make it small). */
  maxScopeBytes?: number | undefined;
}

/** What one run did, for metrics and tests. */
export interface GroupingReport {
  scopes: number;
  alerts: number;
  duplicates: number;
  conflicts: number;
  published: number;
  /** Predecessor scopes whose state a new correlation scope took over (see `adoptPredecessors`). */
  adopted: number;
  /** What `shedHistory` dropped from states that outgrew their item, by scope (absent when nothing was). */
  shed?: Record<string, ShedReport>;
  /** Scopes stored over several items because even without history they outgrew one: parts written, by scope. */
  spilled?: Record<string, number>;
}

const ATTEMPTS = 3;
/** Alert pages expire with the data they describe (DynamoDB TTL, seconds). */
const PAGE_TTL_SECONDS = 90 * 86_400;

function parseJson<T>(text: string, scopeId: string, what: string): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new CorruptGroupingStateError(`groupingScope "${scopeId}": stored ${what} is not JSON`);
  }
}

function stateOf(item: LoadedScope | undefined): GroupingState {
  if (item === undefined) return createGroupingState();
  const state = parseJson<GroupingState>(item.state, item.scopeId, "state");
  if (typeof state !== "object" || state === null || typeof state.groups !== "object" || typeof state.seen !== "object") {
    throw new CorruptGroupingStateError(`groupingScope "${item.scopeId}": stored state is not a GroupingState`);
  }
  // JSON has no Infinity: a scope with nothing due was stored with null.
  state.nextDueAt = typeof state.nextDueAt === "number" ? state.nextDueAt : Number.POSITIVE_INFINITY;
  return state;
}

/**
 * Outboxes this instance applied, by scope: the version applied. A warm instance (Lambda keeps one per
 * shard busy) then skips re-applying an outbox it already applied, so only outboxes with pages to people
 * need the extra write that empties them; a cold instance re-applies Incident items (version-guarded, so
 * harmless) but never republishes, because an outbox with events is emptied once they are out.
 */
const applied = new Map<string, number>();

/** What this instance last committed for a scope: enough to step it again without reading and parsing the item. */
interface WarmScope {
  version: number;
  state: GroupingState;
  pageBuffer: PageBuffer;
  digests: IncidentDigests;
  /** The parts the committed item names (core/store/scope-parts.ts), if it spilled. */
  parts: PartSetRef | undefined;
}

/**
 * Scopes this instance committed, by id. While the stored version is still the one committed here (one
 * small read of the version tells), the next step starts from these objects instead of reading, inflating
 * and parsing the item again: the state is the very object whose JSON was committed. An entry is taken out
 * while its scope is being stepped and put back only once the commit succeeded.
 */
const warm = new Map<string, WarmScope>();

/** Applies a committed outbox: alert page and Incident items, then the pages to people (after which it is emptied). */
async function applyOutbox(deps: GroupingDeps, scopeId: string, version: number, outbox: ScopeOutbox): Promise<number> {
  const writes: Promise<void>[] = [];
  if (outbox.page !== undefined) {
    const { pageId, alerts, merges, moves, suppressed } = outbox.page;
    const expiresAt = Math.floor(Date.now() / 1000) + PAGE_TTL_SECONDS;
    const moved = moves === undefined || moves.length === 0 ? {} : { moves: JSON.stringify(moves) };
    const held = suppressed === undefined || suppressed.length === 0 ? {} : { suppressed: JSON.stringify(suppressed) };
    writes.push(writeAlertPages(deps.store, [{ scopeId, pageId, alerts: JSON.stringify(alerts), merges: JSON.stringify(merges), ...moved, ...held, count: alerts.length, expiresAt }]));
  }
  if (outbox.incidents.length > 0) writes.push(writeIncidents(deps.store, outbox.incidents.map((incident) => ({ ...incident, scopeId })), version));
  await Promise.all(writes);
  // Published only once the writes they describe are stored; eventIds are deterministic, so a replayed outbox republishes the same events.
  if (outbox.events.length > 0) {
    await deps.publish(outbox.events.map((e) => incidentEntry(e.detailType, e.detail as never)));
    await clearGroupingOutbox(deps.store, scopeId, version);
  }
  applied.set(scopeId, version);
  return outbox.events.length;
}

/** What a new scope takes over from the scopes it replaces, and their versions (to retire them once it is committed). */
interface Adoption {
  state: GroupingState;
  pageBuffer: PageBuffer;
  digests: IncidentDigests;
  retire: { scopeId: string; version: number; parts: PartSetRef | undefined }[];
}

/**
 * The state a scope that was never stored takes over from its predecessors (`predecessorScopes`: its accounts'
 * own scopes, and its earlier group ids), so open incidents stored by a version that kept one scope per account
 * stay joinable instead of being orphaned. Each predecessor's pending outbox is applied first; page buffers are
 * concatenated, incident digests united. Undefined when there is nothing to take over.
 */
async function adoptPredecessors(deps: GroupingDeps, predecessors: string[], report: GroupingReport): Promise<Adoption | undefined> {
  if (predecessors.length === 0) return undefined;
  const loaded = [...(await loadGroupingScopes(deps.store, predecessors)).values()];
  const found: { item: LoadedScope; state: GroupingState; buffer: PageBuffer }[] = [];
  for (const item of loaded) {
    if (item.outbox && applied.get(item.scopeId) !== item.version) {
      report.published += await applyOutbox(deps, item.scopeId, item.version, parseJson<ScopeOutbox>(item.outbox, item.scopeId, "outbox"));
    }
    const state = stateOf(item);
    const buffer = item.pageBuffer ? parseJson<PageBuffer>(item.pageBuffer, item.scopeId, "page buffer") : { alerts: [], merges: [] };
    // A predecessor already retired (or never used) holds nothing to take over.
    if (Object.keys(state.groups).length > 0 || buffer.alerts.length > 0) found.push({ item, state, buffer });
  }
  if (found.length === 0) return undefined;
  const { state, taken } = adoptScopeStates(found.map((f) => f.state));
  const adoption: Adoption = { state, pageBuffer: { alerts: [], merges: [] }, digests: {}, retire: [] };
  for (const { item, buffer } of taken.map((index) => found[index]!)) {
    appendRecords(adoption.pageBuffer, buffer);
    Object.assign(adoption.digests, item.incidentDigests ? parseJson<IncidentDigests>(item.incidentDigests, item.scopeId, "incident digests") : {});
    adoption.retire.push({ scopeId: item.scopeId, version: item.version, parts: partSetOf(item) });
  }
  return adoption;
}

/**
 * Empties the predecessors a committed scope took over, each only if still at the version read: nothing due, so
 * the timer stops ticking them. One written in between (the timer ticked it) keeps its state and drains alone.
 */
async function retirePredecessors(deps: GroupingDeps, retire: Adoption["retire"], report: GroupingReport): Promise<void> {
  const empty = JSON.stringify({ alerts: [], merges: [] });
  await Promise.all(
    retire.map(async ({ scopeId, version, parts }) => {
      warm.delete(scopeId);
      try {
        const state = JSON.stringify(createGroupingState());
        const committed = await commitGroupingScope(deps.store, { scopeId, state, outbox: "", pageBuffer: empty, incidentDigests: "{}", dueAt: Number.POSITIVE_INFINITY, expectedVersion: version, replaces: parts });
        applied.set(scopeId, committed.version);
        report.adopted++;
      } catch (error) {
        if (!(error instanceof ConcurrencyConflictError)) throw error;
        report.conflicts++;
      }
    }),
  );
}

/**
 * Loads the given scopes once (BatchGet; a scope still at the version this instance committed is not read
 * again, see `warm`), applies any outbox a crashed invocation left, runs `step` on each scope's state,
 * commits each with a conditional put on its version, then applies its outbox. A scope that lost a race is
 * reloaded and stepped again (its already-seen alerts are duplicates then). A scope never stored first takes
 * over the state of `predecessorsOf` it (see `adoptPredecessors`), and retires them once committed.
 */
async function runScopes(
  deps: GroupingDeps,
  scopeIds: string[],
  step: (state: GroupingState, scopeId: string) => ScopeStep | undefined,
  predecessorsOf: (scopeId: string) => string[] = () => [],
): Promise<GroupingReport> {
  const report: GroupingReport = { scopes: scopeIds.length, alerts: 0, duplicates: 0, conflicts: 0, published: 0, adopted: 0 };
  let pending = scopeIds;
  for (let attempt = 1; pending.length > 0; attempt++) {
    if (attempt > ATTEMPTS) throw new GroupingContentionError(`grouping scopes still written concurrently after ${ATTEMPTS} attempts: ${pending.join(", ")}`);
    const versions = await loadGroupingScopeVersions(deps.store, pending);
    const hits = new Map<string, WarmScope>();
    for (const scopeId of pending) {
      const hit = warm.get(scopeId);
      // Taken out while stepped: the step changes the state in place, and only a committed state goes back.
      warm.delete(scopeId);
      if (hit !== undefined && hit.version === versions.get(scopeId) && applied.get(scopeId) === hit.version) hits.set(scopeId, hit);
    }
    const cold = pending.filter((scopeId) => !hits.has(scopeId));
    const items = cold.length > 0 ? await loadGroupingScopes(deps.store, cold) : new Map<string, LoadedScope>();
    const lost: string[] = [];
    await Promise.all(
      pending.map(async (scopeId) => {
        const hit = hits.get(scopeId);
        const item = items.get(scopeId);
        try {
          if (item?.outbox && applied.get(scopeId) !== item.version) {
            report.published += await applyOutbox(deps, scopeId, item.version, parseJson<ScopeOutbox>(item.outbox, scopeId, "outbox"));
          }
          const adoption = hit === undefined && item === undefined ? await adoptPredecessors(deps, predecessorsOf(scopeId), report) : undefined;
          const result = step(adoption?.state ?? hit?.state ?? stateOf(item), scopeId);
          if (result === undefined) return;
          report.alerts += result.records.alerts.length;
          const loaded = adoption?.pageBuffer ?? hit?.pageBuffer ?? (item?.pageBuffer ? parseJson<PageBuffer>(item.pageBuffer, scopeId, "page buffer") : { alerts: [], merges: [] });
          const { buffer, page } = bufferAlerts(loaded, result.records);
          const stored = adoption?.digests ?? hit?.digests ?? (item?.incidentDigests ? parseJson<IncidentDigests>(item.incidentDigests, scopeId, "incident digests") : {});
          const { outbox, digests } = withoutUnchangedIncidents({ ...result.outbox, page }, stored, result.state);
          const empty = outboxIsEmpty(outbox);
          // A state already over several items goes there again without trying to shed first: the engine's own pruning
          // bounds its history, and each try would encode megabytes again. Back in one item once it fits.
          const previous = hit === undefined ? partSetOf(item) : hit.parts;
          const commit = {
            scopeId,
            state: JSON.stringify(result.state),
            outbox: empty ? "" : JSON.stringify(outbox),
            pageBuffer: JSON.stringify(buffer),
            incidentDigests: JSON.stringify(digests),
            dueAt: result.state.nextDueAt,
            expectedVersion: hit?.version ?? item?.version ?? 0,
            maxBytes: deps.maxScopeBytes,
            replaces: previous,
            spill: previous !== undefined,
          };
          const committed = await commitGroupingScope(deps.store, commit).catch(async (error: unknown) => {
            if (!(error instanceof ScopeTooLargeError)) throw error;
            // Failing here would fail every batch from now on. Dropping history makes room when that is enough; when
            // it is not (open groups, or an outbox that alone fills the item), shedHistory drops nothing and the whole
            // state goes to parts instead, keeping the dedup keys and memory that dropping would only have lost.
            const shed = error.stateRoom > 0 ? shedHistory(result.state, (state) => encodeScopeText(JSON.stringify(state)).length <= error.stateRoom) : undefined;
            if (!shed?.fits) return commitGroupingScope(deps.store, { ...commit, spill: true });
            (report.shed ??= {})[scopeId] = shed;
            return commitGroupingScope(deps.store, { ...commit, state: JSON.stringify(result.state) });
          });
          const parts = partSetOf(committed);
          if (parts !== undefined) (report.spilled ??= {})[scopeId] = parts.parts;
          if (empty) applied.set(scopeId, committed.version);
          else report.published += await applyOutbox(deps, scopeId, committed.version, outbox);
          if (adoption !== undefined) await retirePredecessors(deps, adoption.retire, report);
          warm.set(scopeId, { version: committed.version, state: result.state, pageBuffer: buffer, digests, parts });
        } catch (error) {
          if (!(error instanceof ConcurrencyConflictError)) throw error;
          report.conflicts++;
          lost.push(scopeId);
        }
      }),
    );
    pending = lost;
  }
  return report;
}

/**
 * The alert grouper's work for one batch: alerts split by correlation scope (`topology.scopes`: accounts the
 * topology links share one), each scope loaded once,
 * ingested in event-time order with the timer's minute ticks replayed in between (so a batch of any size
 * decides as minute batches would), committed once, its outbox applied.
 *
 * @param deps - store and publisher
 * @param alerts - the batch's normalised alerts, any order
 * @param ctx - topology and grouping config
 * @param emittedAt - when an alert's event was emitted (its envelope time, ms); default its event time
 */
export async function groupAlerts(deps: GroupingDeps, alerts: readonly Alert[], ctx: EngineContext, emittedAt?: (alert: Alert) => number): Promise<GroupingReport> {
  const byScope = new Map<string, Alert[]>();
  for (const alert of alerts) {
    const scope = scopeOf(alert, ctx.topology.scopes);
    const list = byScope.get(scope);
    if (list) list.push(alert);
    else byScope.set(scope, [alert]);
  }
  // Per scope, the duplicates of its latest attempt (a retry after a conflict re-ingests into the reloaded state).
  const duplicates = new Map<string, number>();
  const report = await runScopes(
    deps,
    [...byScope.keys()],
    (state, scopeId) => {
      const step = ingestScopeBatchOnSchedule(state, byScope.get(scopeId) ?? [], ctx, emittedAt);
      duplicates.set(scopeId, step.decisions.filter((d) => d.type === "alert.duplicate").length);
      const changed = step.decisions.some((d) => d.type !== "alert.duplicate") || step.records.alerts.length > 0;
      return changed ? step : undefined;
    },
    (scopeId) => predecessorScopes(scopeId, ctx.topology.scopes),
  );
  report.duplicates = [...duplicates.values()].reduce((n, d) => n + d, 0);
  return report;
}

/**
 * The incident timer's work: every scope with a deadline at or before `now` is ticked to `now` and
 * committed (pending verdicts, resolves, due pages).
 *
 * @param deps - store and publisher
 * @param now - the schedule's time (ms since epoch)
 * @param ctx - topology and grouping config
 */
export async function tickDueScopes(deps: GroupingDeps, now: number, ctx: EngineContext): Promise<GroupingReport> {
  const due = await listDueGroupingScopes(deps.store, now);
  return runScopes(deps, due, (state) => (now >= state.nextDueAt ? tickScope(state, now, ctx) : undefined));
}
