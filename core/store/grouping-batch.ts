import { untilProcessed } from "./batch-retry";
import { ConcurrencyConflictError, isConditionalCheckFailure, StoreError } from "./errors";
import { DUE_KEY_DIGITS, DUE_PARTITION } from "./grouping-scope";
import type { AlertPage, GroupingScope, Incident, Store } from "./service";
import { decodeScopeText, encodeScopeText } from "./scope-codec";
import { deleteScopeParts, MAX_SCOPE_PARTS, partSetOf, readScopeParts, splitScopeTexts, writeScopeParts, type PartSetRef } from "./scope-parts";
import { groupingWrites } from "./write-counter";

/** Room for a scope's encoded text attributes, leaving the rest of the 400 KB item for keys and names. */
const MAX_SCOPE_BYTES = 390 * 1024;

/** How many times a scope whose parts a newer version deleted under the reader is read again. */
const PART_READ_ATTEMPTS = 4;
/** Conditional incident puts in flight at once. */
const PUT_CONCURRENCY = 16;
/** BatchWrite calls (25 items each) in flight at once. */
const BATCH_WRITE_CONCURRENCY = 8;

/** The zero-padded `dueAtKey` of a deadline (ms since epoch). */
export function dueKey(at: number): string {
  return String(Math.max(0, Math.floor(at))).padStart(DUE_KEY_DIGITS, "0");
}

/** A scope item names parts that are gone, however often it is read again. */
export class ScopePartsMissingError extends StoreError {
  override name = "ScopePartsMissingError";
  constructor(scopeId: string, partSet: string) {
    super("store.scope_parts_missing", `groupingScope "${scopeId}" names part set ${partSet}, but some of its parts are missing`);
  }
}

/** One BatchGet of scope items (unprocessed keys retried). */
async function getScopeItems(store: Store, scopeIds: readonly string[]): Promise<GroupingScope[]> {
  const items: GroupingScope[] = [];
  await untilProcessed("loadGroupingScopes", scopeIds, async (pending) => {
    const { data, unprocessed } = await store.entities.groupingScope.get(pending.map((scopeId) => ({ scopeId }))).go({ concurrency: 4 });
    items.push(...data);
    return unprocessed.map(({ scopeId }) => scopeId);
  });
  return items;
}

/** A stored scope as loaded: its state always there, read back from parts if it spilled. */
export type LoadedScope = GroupingScope & { state: string };

/**
 * Loads grouping scopes with one BatchGet (unprocessed keys retried), each with the text attributes it spilled to
 * parts read back (core/store/scope-parts.ts) and every text decoded; missing scopes are absent.
 */
export async function loadGroupingScopes(store: Store, scopeIds: readonly string[]): Promise<Map<string, LoadedScope>> {
  const found = new Map<string, LoadedScope>();
  let pending = [...new Set(scopeIds)];
  for (let attempt = 1; pending.length > 0; attempt++) {
    const stale: GroupingScope[] = [];
    for (const item of await getScopeItems(store, pending)) {
      const whole = await withSpilledTexts(store, item);
      if (whole === undefined) stale.push(item);
      else if (whole.state === undefined) throw new StoreError("store.scope_state_missing", `groupingScope "${item.scopeId}" holds no state, in the item or its parts`);
      else found.set(item.scopeId, decodeScope({ ...whole, state: whole.state }));
    }
    if (stale.length > 0 && attempt >= PART_READ_ATTEMPTS) throw new ScopePartsMissingError(stale[0]!.scopeId, stale[0]!.partSet ?? "");
    pending = stale.map((item) => item.scopeId);
  }
  return found;
}

/** The item with the texts it spilled filled in (an attribute the item itself holds wins); undefined when a part is gone. */
async function withSpilledTexts<T extends { scopeId: string; partSet?: string | undefined; parts?: number | undefined }>(store: Store, item: T): Promise<T | undefined> {
  const ref = partSetOf(item);
  if (ref === undefined) return item;
  const spilled = await readScopeParts(store, item.scopeId, ref);
  if (spilled === undefined) return undefined;
  const own = Object.fromEntries(Object.entries(item).filter(([, value]) => value !== undefined));
  return { ...spilled, ...own } as T;
}

/** The stored version of each scope that exists (one BatchGet of the key and version only, unprocessed keys retried). */
export async function loadGroupingScopeVersions(store: Store, scopeIds: readonly string[]): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  await untilProcessed("loadGroupingScopeVersions", [...new Set(scopeIds)], async (pending) => {
    const { data, unprocessed } = await store.entities.groupingScope.get(pending.map((scopeId) => ({ scopeId }))).go({ concurrency: 4, attributes: ["scopeId", "version"] });
    for (const item of data) found.set(item.scopeId, item.version);
    return unprocessed.map(({ scopeId }) => scopeId);
  });
  return found;
}

/** A scope item with its text attributes decoded (see `encodeScopeText`). */
function decodeScope<T extends { state?: string | undefined; outbox?: string | undefined; pageBuffer?: string | undefined; incidentDigests?: string | undefined }>(item: T): T {
  return {
    ...item,
    ...(item.state === undefined ? {} : { state: decodeScopeText(item.state) }),
    ...(item.outbox === undefined ? {} : { outbox: decodeScopeText(item.outbox) }),
    ...(item.pageBuffer === undefined ? {} : { pageBuffer: decodeScopeText(item.pageBuffer) }),
    ...(item.incidentDigests === undefined ? {} : { incidentDigests: decodeScopeText(item.incidentDigests) }),
  };
}

/** A scope's state, outbox and page buffer no longer fit one item even deflated (and the commit may not spill them). */
export class ScopeTooLargeError extends StoreError {
  override name = "ScopeTooLargeError";
  /**
   * @param stateRoom - the bytes the encoded state may take beside the other attributes (see `encodeScopeText`)
   */
  constructor(
    message: string,
    readonly stateRoom: number,
  ) {
    super("store.scope_too_large", message);
  }
}

/** A scope's new state to commit, and the version it was derived from (0: the scope is new). */
export interface ScopeCommit {
  scopeId: string;
  state: string;
  outbox: string;
  pageBuffer: string;
  /** JSON of incident id → digest of its Incident item as last written or in `outbox`; "" when none. */
  incidentDigests?: string | undefined;
  /** Earliest deadline; undefined or infinite when none. */
  dueAt?: number | undefined;
  expectedVersion: number;
  /** Room for the encoded text attributes, and the size of a part; `MAX_SCOPE_BYTES` unless a test makes it smaller. */
  maxBytes?: number | undefined;
  /** Texts that do not fit the item go to parts (core/store/scope-parts.ts) instead of failing with ScopeTooLargeError. */
  spill?: boolean | undefined;
  /** The part set the version being replaced names: deleted once this commit is in. */
  replaces?: PartSetRef | undefined;
}

/** Told each scope deadline committed in this process (Infinity: none); see `groupingDeadlineListeners`. */
export type GroupingDeadlineListener = (scopeId: string, dueAt: number) => void;

/**
 * Listeners told every deadline `commitGroupingScope` stored in this process, once the write succeeded.
 * The local runtime runs the handlers in its own process and uses them to skip incident-timer ticks
 * with nothing due without a Query per minute; in AWS nothing listens.
 */
export const groupingDeadlineListeners = new Set<GroupingDeadlineListener>();

/**
 * Commits a scope: created under attribute_not_exists at version 1, or put only if still at
 * `expectedVersion`. Throws ConcurrencyConflictError when another writer got there first.
 * Texts over the item's room fail with ScopeTooLargeError, or with `spill` are written to parts first (the
 * largest first), which the item then names; the parts of the version replaced are deleted after the put.
 */
export async function commitGroupingScope(store: Store, commit: ScopeCommit): Promise<GroupingScope> {
  const { expectedVersion, dueAt, scopeId } = commit;
  const due = dueAt !== undefined && Number.isFinite(dueAt) ? { due: DUE_PARTITION, dueAtKey: dueKey(dueAt) } : {};
  const texts = {
    state: encodeScopeText(commit.state),
    outbox: encodeScopeText(commit.outbox),
    pageBuffer: encodeScopeText(commit.pageBuffer),
    incidentDigests: encodeScopeText(commit.incidentDigests ?? ""),
  };
  const max = commit.maxBytes ?? MAX_SCOPE_BYTES;
  const others = texts.outbox.length + texts.pageBuffer.length + texts.incidentDigests.length;
  const bytes = texts.state.length + others;
  const tooLarge = (why: string) => new ScopeTooLargeError(`groupingScope "${scopeId}" would be ${bytes} bytes, over ${max}${why}`, max - others);
  if (bytes > max && !commit.spill) throw tooLarge(" (DynamoDB items hold 400 KB)");
  const version = expectedVersion + 1;
  let kept: Partial<typeof texts> = texts;
  let parts: PartSetRef | undefined;
  if (bytes > max) {
    if (bytes > max * MAX_SCOPE_PARTS) throw tooLarge(` even split over ${MAX_SCOPE_PARTS} parts`);
    const split = splitScopeTexts(texts, max);
    kept = split.kept;
    parts = await writeScopeParts(store, scopeId, version, split.spilled, max);
  }
  const item = { scopeId, ...kept, ...parts, ...due, updatedAt: new Date().toISOString(), version };
  try {
    groupingWrites.add(1, "scope");
    if (expectedVersion === 0) await store.entities.groupingScope.create(item).go();
    else await store.entities.groupingScope.put(item).where((attr, { eq }) => eq(attr.version, expectedVersion)).go();
  } catch (error) {
    // A lost race leaves the winner's parts (another set) alone and takes its own away.
    if (parts !== undefined) await deleteScopeParts(store, scopeId, parts);
    if (isConditionalCheckFailure(error)) throw new ConcurrencyConflictError("groupingScope", commit.scopeId, expectedVersion, { cause: error });
    throw error;
  }
  if (commit.replaces !== undefined && commit.replaces.partSet !== parts?.partSet) await deleteScopeParts(store, scopeId, commit.replaces);
  for (const listener of groupingDeadlineListeners) listener(scopeId, due.dueAtKey === undefined ? Number.POSITIVE_INFINITY : Number(due.dueAtKey));
  return item;
}

/**
 * Marks a scope's outbox applied (empties it) if the scope is still at `version`. A newer version means
 * another writer already applied this outbox before committing its own, so a lost race is no error.
 */
export async function clearGroupingOutbox(store: Store, scopeId: string, version: number): Promise<void> {
  try {
    groupingWrites.add(1, "outbox");
    await store.entities.groupingScope
      .patch({ scopeId })
      .set({ outbox: "" })
      .where((attr, { eq }) => eq(attr.version, version))
      .go({ response: "none" });
  } catch (error) {
    if (!isConditionalCheckFailure(error)) throw error;
  }
}

/** Scopes whose earliest deadline is at or before `at` (every page of the index). */
export async function listDueGroupingScopes(store: Store, at: number): Promise<string[]> {
  const { data } = await store.entities.groupingScope.query
    .byDue({ due: DUE_PARTITION })
    .lte({ dueAtKey: dueKey(at) })
    .go({ pages: "all", attributes: ["scopeId"] });
  return data.map((d) => d.scopeId);
}

/** Every grouping scope that has a deadline, with it (ms since epoch): the whole byDue index, every page. */
export async function listGroupingDeadlines(store: Store): Promise<Map<string, number>> {
  const { data } = await store.entities.groupingScope.query.byDue({ due: DUE_PARTITION }).go({ pages: "all", attributes: ["scopeId", "dueAtKey"] });
  return new Map(data.flatMap((d) => (d.dueAtKey === undefined ? [] : [[d.scopeId, Number(d.dueAtKey)] as const])));
}

/** An alert page to write (see core/store/alert-page.ts). */
export type AlertPageWrite = Omit<AlertPage, "writtenAt">;

/** Writes alert pages with BatchWrite (25 per call, several calls at once), retrying unprocessed items. */
export async function writeAlertPages(store: Store, pages: readonly AlertPageWrite[]): Promise<void> {
  const writtenAt = new Date().toISOString();
  // A page of 100 alerts is ~60 KB of JSON; deflated it is a sixth of the bytes to send, sign and store.
  const items = pages.map((p) => ({ ...p, alerts: encodeScopeText(p.alerts), writtenAt }));
  await untilProcessed("writeAlertPages", items, async (pending) => {
    groupingWrites.add(pending.length, "page");
    const { unprocessed } = await store.entities.alertPage.put(pending).go({ concurrency: BATCH_WRITE_CONCURRENCY });
    const left = new Set(unprocessed.map((u) => `${u.scopeId}\u0000${u.pageId}`));
    return pending.filter((p) => left.has(`${p.scopeId}\u0000${p.pageId}`));
  });
}

/** An Incident item as the grouper writes it: stamped with the scope version that decided it. */
export type IncidentWrite = Omit<Incident, "version">;

/**
 * Writes Incident items, each with a conditional put that only replaces an older projection (absent, or a
 * lower `version`), so an outbox applied late never overwrites what a newer scope version wrote.
 */
export async function writeIncidents(store: Store, incidents: readonly IncidentWrite[], version: number): Promise<void> {
  for (let start = 0; start < incidents.length; start += PUT_CONCURRENCY) {
    const chunk = incidents.slice(start, start + PUT_CONCURRENCY);
    groupingWrites.add(chunk.length, "incident");
    const outcomes = await Promise.allSettled(
      chunk.map((incident) =>
        store.entities.incident
          .put({ ...incident, version })
          .where((attr, { notExists, lt }) => `${notExists(attr.version)} OR ${lt(attr.version, version)}`)
          .go({ response: "none" }),
      ),
    );
    for (const outcome of outcomes) if (outcome.status === "rejected" && !isConditionalCheckFailure(outcome.reason)) throw outcome.reason;
  }
}

/** Every alert page of a scope, oldest first (all pages of the Query), with its alerts decoded (see `encodeScopeText`). */
export async function listAlertPages(store: Store, scopeId: string): Promise<AlertPage[]> {
  const { data } = await store.entities.alertPage.query.byScope({ scopeId }).go({ pages: "all" });
  return data.map((page) => ({ ...page, alerts: decodeScopeText(page.alerts) }));
}

/**
 * Every grouping scope's id, state and page buffer: a Scan, for tools reading a whole (local) table, never for a
 * handler. A scope that spilled its texts to parts is read again with them.
 */
export async function listGroupingScopes(store: Store): Promise<{ scopeId: string; state?: string | undefined; pageBuffer?: string | undefined }[]> {
  const { data } = await store.entities.groupingScope.scan.go({ pages: "all", attributes: ["scopeId", "state", "pageBuffer", "partSet", "parts"] });
  const spilled = await loadGroupingScopes(store, data.filter((item) => partSetOf(item) !== undefined).map((item) => item.scopeId));
  return data.map((item) => spilled.get(item.scopeId) ?? decodeScope(item));
}
