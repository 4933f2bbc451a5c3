import { isConditionalCheckFailure } from "../store/errors";
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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Appends an entry at the head of an audit chain, idempotently on `eventId`, with
 * single-item conditional writes only (no transactions):
 *
 * 1. Read the intent marker of (chainId, eventId). If there is one, and the entry at the
 *    marker's seq exists with this eventId, the event was already appended: return that
 *    entry with `duplicate: true`.
 * 2. Read the head (consistent, highest seq): seq = head.seq + 1, prevHash = head.hash.
 * 3. Record the intent before the entry: create the marker holding seq (attribute_not_exists),
 *    or, if it exists from an earlier try, move its seq only if it still holds the seq we
 *    read (compare-and-set). Losing either race means another delivery of the same event is
 *    at work: start over from 1.
 * 4. Put the entry at seq under attribute_not_exists. Two writers can never both take a seq,
 *    so the chain cannot fork; the loser backs off with jitter and starts over (bounded).
 *
 * Crash safety: the marker always names the seq of the entry write that may have landed, so
 * a crash after 3 leaves a marker whose entry is missing or someone else's (step 1 appends
 * again), and a crash after 4 leaves a marker whose entry is ours (step 1 reports it).
 * Remaining window: a second delivery arriving while the first is between 3 and 4 sees its
 * entry missing and may append it too; the compare-and-set makes that need a stall of the
 * first writer across the second's whole append.
 */
export async function appendAuditEntry(
  store: Store,
  input: AuditAppendInput,
  options: AppendOptions = {},
): Promise<AuditAppendResult> {
  const { maxAttempts = 30, maxBackoffMs = 50, now = () => new Date() } = options;
  const { chainId, eventId } = input;
  const payload = canonicalJson(input.payload);

  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    if (attempt > 1) await sleep(Math.random() * Math.min(maxBackoffMs, 2 ** attempt));
    const marker = (await store.entities.auditIntent.get({ chainId, eventId }).go({ consistent: true })).data;
    if (marker) {
      const landed = await getEntry(store, chainId, marker.seq);
      if (landed?.eventId === eventId) return { entry: landed, duplicate: true };
    }

    const head = await readHead(store, chainId);
    const seq = (head?.seq ?? 0) + 1;
    if (!(await claimSeq(store, input, seq, marker?.seq, now().toISOString()))) continue;

    const content = { ...input, payload, seq, prevHash: head?.hash ?? GENESIS_HASH };
    const entry = { ...content, hash: hashEntry(content) };
    try {
      await store.entities.auditEntry.create(entry).go();
      return { entry, duplicate: false };
    } catch (err) {
      if (!isConditionalCheckFailure(err)) throw err;
    }
  }
  throw new AppendContentionError(chainId, eventId, maxAttempts);
}

/** Writes or moves the intent marker to `seq`; false when another writer changed it first. */
async function claimSeq(
  store: Store,
  input: AuditAppendInput,
  seq: number,
  observedSeq: number | undefined,
  at: string,
): Promise<boolean> {
  const { chainId, eventId } = input;
  try {
    if (observedSeq === undefined) {
      await store.entities.auditIntent.create({ chainId, eventId, seq, createdAt: at, updatedAt: at }).go();
    } else if (observedSeq !== seq) {
      await store.entities.auditIntent
        .patch({ chainId, eventId })
        .set({ seq, updatedAt: at })
        .where((attr, { eq }) => eq(attr.seq, observedSeq))
        .go();
    }
    return true;
  } catch (err) {
    if (isConditionalCheckFailure(err)) return false;
    throw err;
  }
}

async function getEntry(store: Store, chainId: string, seq: number): Promise<AuditEntry | null> {
  return (await store.entities.auditEntry.get({ chainId, seq }).go({ consistent: true })).data;
}

/** The entry with the highest seq, read consistently, or undefined for an empty chain. */
async function readHead(store: Store, chainId: string): Promise<AuditEntry | undefined> {
  const { data } = await store.entities.auditEntry.query
    .byChain({ chainId })
    .go({ order: "desc", limit: 1, consistent: true });
  return data[0];
}

/** Every entry of a chain in sort-key (seq) order, following the cursor through all pages. */
export async function readChain(store: Store, chainId: string): Promise<AuditEntry[]> {
  return (await store.entities.auditEntry.query.byChain({ chainId }).go({ pages: "all", consistent: true })).data;
}

/** Reads a whole chain from the store and verifies it (see `verifyChain`). */
export async function verifyStoredChain(store: Store, chainId: string): Promise<VerifyReport> {
  return verifyChain(await readChain(store, chainId));
}
