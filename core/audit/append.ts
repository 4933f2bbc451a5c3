import { BatchIncompleteError, isConditionalCheckFailure } from "../store/errors";
import type { AuditEntry, Store } from "../store/service";
import { canonicalJson } from "./canonical-json";
import { GENESIS_HASH, hashEntry, verifyChain, type VerifyReport } from "./chain";
import { AppendContentionError } from "./errors";

/** What to record: the entry's content before it is placed in the chain. */
export interface AuditAppendInput {
  chainId: string;
  /** Id of the event being audited: appending the same id twice yields one entry. */
  eventId: string;
  at: string;
  kind: string;
  subjectId?: string | undefined;
  incidentId?: string | undefined;
  actor: string;
  /** Any JSON value; stored (and hashed) as canonical JSON text. */
  payload: unknown;
}

/** The entry in the chain, and whether an earlier call had already appended it. */
export interface AuditAppendResult {
  entry: AuditEntry;
  duplicate: boolean;
}

/** Tuning of the retry loop; the defaults suit Lambda and tests alike. */
export interface AppendOptions {
  /** Head races lost before giving up with AppendContentionError. */
  maxAttempts?: number;
  /** Upper bound of the random backoff after a lost race, in ms. */
  maxBackoffMs?: number;
  now?: () => Date;
}

/** The chain's head as read: its last seq and hash, the entries of the step that put them there, and whether the head item exists. */
interface Head {
  seq: number;
  hash: string;
  pending: AuditEntry[];
  stored: boolean;
}

/** Room for one step's entries in the head item (the item limit is 400 KB); a single entry always goes. */
const MAX_STEP_BYTES = 300 * 1024;
/** How many times unprocessed BatchGet/BatchWrite items are retried before giving up. */
const MAX_BATCH_ATTEMPTS = 6;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Appends one entry at the head of an audit chain, idempotently on `eventId`: a step of one
 * (see {@link appendAuditEntries}).
 */
export async function appendAuditEntry(store: Store, input: AuditAppendInput, options: AppendOptions = {}): Promise<AuditAppendResult> {
  const [result] = await appendAuditEntries(store, [input], options);
  return result!;
}

/**
 * Appends entries to an audit chain in as few chain steps as fit (one for a queue batch of events),
 * idempotently on `eventId`, with single-item writes only (no transactions). A step:
 *
 * 1. Read the head item (consistent). If the entries of the step that wrote it are not all stored yet
 *    (their appender crashed), write them and their intent markers first: same content, so it is harmless
 *    when they had landed. A chain written before head items existed starts from its highest entry.
 * 2. Read the intent markers of the inputs' event ids (one BatchGet): an event id already in the chain (a
 *    marker whose entry holds it, or an entry of the head's step) is a duplicate and is not appended again.
 * 3. Chain the rest from the head (seq, prevHash) and put the head item with them, conditional on the seq
 *    read in 1 (or on its absence): one conditional write takes all their seqs. Losing that race means
 *    another appender moved the head: back off with jitter and start over (bounded).
 * 4. Write the entries, then their intent markers (BatchWrite): a marker is only ever written after its entry.
 *
 * Crash safety: the head item holds the step's entries until the next step, so a crash after 3 is repaired
 * by the next appender's 1, and a retry of the same events then finds them in the chain (2).
 *
 * @returns one result per input, in input order (an event id given twice yields the same entry twice).
 */
export async function appendAuditEntries(store: Store, inputs: readonly AuditAppendInput[], options: AppendOptions = {}): Promise<AuditAppendResult[]> {
  const byChain = new Map<string, AuditAppendInput[]>();
  for (const input of inputs) byChain.set(input.chainId, [...(byChain.get(input.chainId) ?? []), input]);
  const found = new Map<string, AuditAppendResult>();
  for (const [chainId, list] of byChain) {
    const unique = [...new Map(list.map((input) => [input.eventId, input])).values()];
    for (const step of steps(unique)) {
      for (const [eventId, result] of await appendStep(store, chainId, step, options)) found.set(`${chainId}\u0000${eventId}`, result);
    }
  }
  return inputs.map((input) => found.get(`${input.chainId}\u0000${input.eventId}`)!);
}

/** Splits inputs into steps whose entries fit the head item. */
function steps(inputs: readonly AuditAppendInput[]): AuditAppendInput[][] {
  const out: AuditAppendInput[][] = [];
  let bytes = 0;
  for (const input of inputs) {
    const size = Buffer.byteLength(canonicalJson(input.payload)) + 1024;
    const last = out.at(-1);
    if (last === undefined || bytes + size > MAX_STEP_BYTES) {
      out.push([input]);
      bytes = size;
    } else {
      last.push(input);
      bytes += size;
    }
  }
  return out;
}

/** One chain step for inputs of one chain with distinct event ids: the result per event id. */
async function appendStep(store: Store, chainId: string, inputs: readonly AuditAppendInput[], options: AppendOptions): Promise<Map<string, AuditAppendResult>> {
  const { maxAttempts = 30, maxBackoffMs = 50, now = () => new Date() } = options;
  const payloads = new Map(inputs.map((input) => [input.eventId, canonicalJson(input.payload)]));
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    if (attempt > 1) await sleep(Math.random() * Math.min(maxBackoffMs, 2 ** attempt));
    const head = await readHead(store, chainId);
    const markers = await readMarkers(store, chainId, [...new Set([...head.pending.map((e) => e.eventId), ...payloads.keys()])]);
    const unwritten = head.pending.filter((e) => markers.get(e.eventId) !== e.seq);
    if (unwritten.length > 0) await writeEntries(store, unwritten);

    const results = new Map<string, AuditAppendResult>();
    for (const entry of head.pending) if (payloads.has(entry.eventId)) results.set(entry.eventId, { entry, duplicate: true });
    const marked = inputs.filter((input) => !results.has(input.eventId) && markers.has(input.eventId));
    for (const entry of await getEntries(store, chainId, marked.map((input) => markers.get(input.eventId)!))) {
      // A marker left by an appender that crashed before its entry (chains older than head items) names someone else's seq.
      if (payloads.has(entry.eventId) && markers.get(entry.eventId) === entry.seq) results.set(entry.eventId, { entry, duplicate: true });
    }
    const fresh = inputs.filter((input) => !results.has(input.eventId));
    if (fresh.length === 0) return results;

    const entries: AuditEntry[] = [];
    let prevHash = head.hash;
    for (const [i, input] of fresh.entries()) {
      const content = { ...input, payload: payloads.get(input.eventId)!, seq: head.seq + 1 + i, prevHash };
      const entry = { ...content, hash: hashEntry(content) };
      entries.push(entry);
      prevHash = entry.hash;
    }
    if (!(await moveHead(store, chainId, head, entries, now().toISOString()))) continue;
    await writeEntries(store, entries);
    for (const entry of entries) results.set(entry.eventId, { entry, duplicate: false });
    return results;
  }
  throw new AppendContentionError(chainId, inputs[0]?.eventId ?? "", maxAttempts);
}

/**
 * The entry an event id was appended as, or undefined when it is not in the chain: found through its intent
 * marker, or among the entries of the head's last step (in the chain from the moment the head moved, even
 * before their own items and markers are written).
 */
export async function findAuditEntry(store: Store, chainId: string, eventId: string): Promise<AuditEntry | undefined> {
  const marker = (await store.entities.auditIntent.get({ chainId, eventId }).go({ consistent: true })).data;
  if (marker) {
    const entry = (await store.entities.auditEntry.get({ chainId, seq: marker.seq }).go({ consistent: true })).data;
    // A marker left by an appender that crashed before its entry (chains older than head items) names someone else's seq.
    if (entry?.eventId === eventId) return entry;
  }
  const head = (await store.entities.auditHead.get({ chainId }).go({ consistent: true })).data;
  return head ? (JSON.parse(head.pending) as AuditEntry[]).find((e) => e.eventId === eventId) : undefined;
}

/** The head item, or for a chain that has none yet, its highest entry (read consistently). */
async function readHead(store: Store, chainId: string): Promise<Head> {
  const item = (await store.entities.auditHead.get({ chainId }).go({ consistent: true })).data;
  if (item) return { seq: item.seq, hash: item.hash, pending: JSON.parse(item.pending) as AuditEntry[], stored: true };
  const { data } = await store.entities.auditEntry.query.byChain({ chainId }).go({ order: "desc", limit: 1, consistent: true });
  return { seq: data[0]?.seq ?? 0, hash: data[0]?.hash ?? GENESIS_HASH, pending: [], stored: false };
}

/** Puts the head item at the last of `entries`, on the condition that it is still `head`; false when another appender moved it first. */
async function moveHead(store: Store, chainId: string, head: Head, entries: readonly AuditEntry[], at: string): Promise<boolean> {
  const last = entries.at(-1)!;
  const item = { chainId, seq: last.seq, hash: last.hash, pending: JSON.stringify(entries), updatedAt: at };
  try {
    if (head.stored) await store.entities.auditHead.put(item).where((attr, { eq }) => eq(attr.seq, head.seq)).go();
    else await store.entities.auditHead.create(item).go();
    return true;
  } catch (err) {
    if (isConditionalCheckFailure(err)) return false;
    throw err;
  }
}

/** Event id → seq of the intent markers found (one consistent BatchGet per 100 ids). */
async function readMarkers(store: Store, chainId: string, eventIds: readonly string[]): Promise<Map<string, number>> {
  const markers = new Map<string, number>();
  let pending = eventIds.map((eventId) => ({ chainId, eventId }));
  for (let attempt = 1; pending.length > 0; attempt++) {
    if (attempt > MAX_BATCH_ATTEMPTS) throw new BatchIncompleteError("readMarkers", pending.length);
    if (attempt > 1) await sleep(25 * 2 ** attempt);
    const { data, unprocessed } = await store.entities.auditIntent.get(pending).go({ consistent: true });
    for (const marker of data) markers.set(marker.eventId, marker.seq);
    pending = unprocessed.map(({ eventId }) => ({ chainId, eventId }));
  }
  return markers;
}

/** The entries at these seqs that exist (one consistent BatchGet per 100). */
async function getEntries(store: Store, chainId: string, seqs: readonly number[]): Promise<AuditEntry[]> {
  const found: AuditEntry[] = [];
  let pending = [...new Set(seqs)].map((seq) => ({ chainId, seq }));
  for (let attempt = 1; pending.length > 0; attempt++) {
    if (attempt > MAX_BATCH_ATTEMPTS) throw new BatchIncompleteError("getEntries", pending.length);
    if (attempt > 1) await sleep(25 * 2 ** attempt);
    const { data, unprocessed } = await store.entities.auditEntry.get(pending).go({ consistent: true });
    found.push(...data);
    pending = unprocessed.map(({ seq }) => ({ chainId, seq }));
  }
  return found;
}

/** Writes entries their head step has claimed, then their intent markers (BatchWrite, unprocessed items retried). */
async function writeEntries(store: Store, entries: readonly AuditEntry[]): Promise<void> {
  await batchPut("entries", entries, (items) => store.entities.auditEntry.put(items).go(), (x) => x.seq);
  const at = new Date().toISOString();
  const markers = entries.map((e) => ({ chainId: e.chainId, eventId: e.eventId, seq: e.seq, createdAt: at, updatedAt: at }));
  await batchPut("markers", markers, (items) => store.entities.auditIntent.put(items).go(), (x) => x.eventId);
}

/** BatchWrite of one entity's items (25 per call), retrying the unprocessed ones by their key. */
async function batchPut<T, U>(what: string, items: readonly T[], put: (items: T[]) => Promise<{ unprocessed: U[] }>, key: (item: T | U) => unknown): Promise<void> {
  let pending = [...items];
  for (let attempt = 1; pending.length > 0; attempt++) {
    if (attempt > MAX_BATCH_ATTEMPTS) throw new BatchIncompleteError(`audit ${what}`, pending.length);
    if (attempt > 1) await sleep(25 * 2 ** attempt);
    const left = new Set((await put(pending)).unprocessed.map(key));
    pending = pending.filter((item) => left.has(key(item)));
  }
}

/** Every entry of a chain in sort-key (seq) order, following the cursor through all pages. */
export async function readChain(store: Store, chainId: string): Promise<AuditEntry[]> {
  return (await store.entities.auditEntry.query.byChain({ chainId }).go({ pages: "all", consistent: true })).data;
}

/** Reads a whole chain from the store and verifies it (see `verifyChain`). */
export async function verifyStoredChain(store: Store, chainId: string): Promise<VerifyReport> {
  return verifyChain(await readChain(store, chainId));
}
