import { createHash } from "node:crypto";
import { canonicalJson } from "./canonical-json";

export { canonicalJson } from "./canonical-json";

/** `prevHash` of the first entry of every chain. */
export const GENESIS_HASH = "0".repeat(64);

/** What an audit entry says: everything that is hashed except the link. */
export interface AuditContent {
  chainId: string;
  /** Position in the chain, from 1, contiguous. Hashed, so an entry cannot be relabelled. */
  seq: number;
  eventId: string;
  at: string;
  kind: string;
  subjectId?: string | undefined;
  incidentId?: string | undefined;
  actor: string;
  /** Canonical JSON text of the payload, hashed as stored. */
  payload: string;
}

/** An audit entry as stored: its content, the link to its predecessor, and its own hash. */
export interface ChainEntry extends AuditContent {
  prevHash: string;
  hash: string;
}

/** What {@link verifyChain} found. */
export type VerifyProblem = "edited" | "deleted" | "inserted" | "reordered";

/** Outcome of {@link verifyChain}: the intact head, or the first broken link. */
export type VerifyReport =
  | { ok: true; count: number; headHash: string }
  | { ok: false; at: number; problem: VerifyProblem; detail: string };

/**
 * SHA-256 (hex) of the canonical JSON of an entry's content fields and `prevHash`.
 * Absent optional fields are omitted, so they hash the same as never having existed.
 */
export function hashEntry(entry: AuditContent & { prevHash: string }): string {
  const hashed = {
    chainId: entry.chainId,
    seq: entry.seq,
    eventId: entry.eventId,
    at: entry.at,
    kind: entry.kind,
    subjectId: entry.subjectId,
    incidentId: entry.incidentId,
    actor: entry.actor,
    payload: entry.payload,
    prevHash: entry.prevHash,
  };
  return createHash("sha256").update(canonicalJson(hashed), "utf8").digest("hex");
}

/**
 * Verifies a chain given in the order the store read it (by sort key, NOT re-sorted by
 * `seq`): entry i must have seq i+1, commit to entry i-1's hash (the genesis hash for the
 * first) and hash to its stored `hash`. Reports the first position where that fails and
 * what most plausibly happened there:
 *
 * - `reordered` (at = the seq that position should hold): an entry whose content is intact
 *   commits to an entry that is read AFTER it, i.e. entries were swapped or moved, with or
 *   without their seq attributes being rewritten.
 * - `inserted` (at = the inserted entry's seq): an entry's successor skips it, committing to
 *   the entry before it (or to genesis); or its seq duplicates its predecessor's.
 * - `deleted` (at = the first missing seq): seqs jump, or an intact entry that was
 *   renumbered down commits to a hash no stored entry has.
 * - `edited` (at = the edited entry's seq): an entry's stored hash does not match its
 *   content; or its seq attribute alone was rewritten; or its content was changed AND its
 *   hash recomputed. The last case shows one entry later, as an intact successor that
 *   commits to a hash no stored entry has; it is reported at the rewritten predecessor
 *   (or at the entry itself when its own successor does not commit to it either).
 *
 * Limits, inherent to a hash chain: rewriting the whole suffix from some entry on, or
 * changing/dropping/adding the last entry with a recomputed hash, leaves a valid chain.
 * Anchor `headHash` (and `count`) outside the table to catch those. A deletion followed by
 * renumbering and rehashing the rest reads as an edit of the entry before the gap.
 */
export function verifyChain(entries: readonly ChainEntry[]): VerifyReport {
  let expectedPrev = GENESIS_HASH;
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    const intact = hashEntry(entry) === entry.hash;
    if (intact && entry.seq === i + 1 && entry.prevHash === expectedPrev) {
      expectedPrev = entry.hash;
      continue;
    }
    return diagnose(entries, i, expectedPrev, intact);
  }
  return { ok: true, count: entries.length, headHash: expectedPrev };
}

type Failure = Extract<VerifyReport, { ok: false }>;

const fail = (problem: VerifyProblem, at: number, detail: string): Failure => ({ ok: false, at, problem, detail });

/** Classifies the first broken position `i`; see {@link verifyChain} for the rules. */
function diagnose(entries: readonly ChainEntry[], i: number, expectedPrev: string, intact: boolean): Failure {
  const entry = entries[i]!;
  const prev = entries[i - 1];
  const next = entries[i + 1];
  const expectedSeq = i + 1;
  const positionOfHash = firstPositions(entries, (e) => e.hash);
  const positionOfSeq = firstPositions(entries, (e) => e.seq);
  // The seq under which the stored hash recomputes: the entry's own if it is intact,
  // another one if only its seq attribute was rewritten, none if its content changed.
  const originalSeq = intact ? entry.seq : findOriginalSeq(entry, entries);
  const linkTarget = positionOfHash.get(entry.prevHash);

  if (originalSeq === expectedSeq && entry.prevHash === expectedPrev) {
    return fail("edited", expectedSeq, `seq ${expectedSeq} is intact but its seq attribute was rewritten to ${entry.seq}`);
  }
  if (originalSeq !== undefined) {
    if (linkTarget !== undefined && linkTarget > i) {
      return fail("reordered", expectedSeq,
        `position of seq ${expectedSeq} holds the entry that follows seq ${entries[linkTarget]!.seq}, which is read later`);
    }
    const seqPosition = positionOfSeq.get(expectedSeq);
    if (entry.seq !== expectedSeq && seqPosition !== undefined && seqPosition > i) {
      return fail("reordered", expectedSeq, `seq ${entry.seq} is read before seq ${expectedSeq}`);
    }
  }
  if (prev !== undefined && originalSeq !== undefined) {
    const skippedFrom =
      entry.prevHash === GENESIS_HASH ? 0 : linkTarget !== undefined && linkTarget < i - 1 ? linkTarget + 1 : undefined;
    if (skippedFrom !== undefined) {
      const inserted = entries[skippedFrom]!;
      return fail("inserted", inserted.seq,
        `seq ${entry.seq} commits to ${skippedFrom === 0 ? "genesis" : `seq ${entries[skippedFrom - 1]!.seq}`}, so seq ${inserted.seq}${prev === inserted ? "" : `..${prev.seq}`} was inserted`);
    }
  }
  if (prev !== undefined && entry.seq === prev.seq) {
    return fail("inserted", entry.seq, `seq ${entry.seq} appears twice`);
  }
  if (next !== undefined && next.prevHash === expectedPrev) {
    return fail("inserted", entry.seq, `seq ${next.seq} commits to the entry before seq ${entry.seq}, skipping it`);
  }
  if (entry.seq > expectedSeq && !positionOfSeq.has(expectedSeq)) {
    const missing = entry.seq - 1 > expectedSeq ? `seqs ${expectedSeq}..${entry.seq - 1} are` : `seq ${expectedSeq} is`;
    return fail("deleted", expectedSeq, `${missing} missing: seq ${entry.seq} is read where seq ${expectedSeq} belongs`);
  }
  if (originalSeq !== undefined && originalSeq > expectedSeq && linkTarget === undefined) {
    return fail("deleted", expectedSeq,
      `seq ${originalSeq} was renumbered to ${entry.seq} and commits to a hash no stored entry has`);
  }
  if (originalSeq === undefined) {
    return fail("edited", entry.seq, `seq ${entry.seq}'s stored hash does not match its content`);
  }
  if (prev === undefined) {
    return fail("edited", entry.seq, `seq ${entry.seq} is the first entry but does not commit to the genesis hash`);
  }
  if (next !== undefined && next.prevHash !== entry.hash) {
    return fail("edited", entry.seq, `seq ${entry.seq} was rewritten and rehashed: neither neighbour commits to it`);
  }
  return fail("edited", prev.seq,
    `seq ${entry.seq} commits to a hash that seq ${prev.seq} no longer has: seq ${prev.seq} was rewritten and rehashed`);
}

function firstPositions<K>(entries: readonly ChainEntry[], key: (entry: ChainEntry) => K): Map<K, number> {
  const positions = new Map<K, number>();
  entries.forEach((entry, i) => {
    if (!positions.has(key(entry))) positions.set(key(entry), i);
  });
  return positions;
}

/** Finds another seq under which the entry's stored hash recomputes (a relabelled entry). */
function findOriginalSeq(entry: ChainEntry, entries: readonly ChainEntry[]): number | undefined {
  const highest = entries.reduce((max, e) => Math.max(max, e.seq), entries.length) + 1;
  for (let seq = 1; seq <= highest; seq++) {
    if (seq !== entry.seq && hashEntry({ ...entry, seq }) === entry.hash) return seq;
  }
  return undefined;
}
