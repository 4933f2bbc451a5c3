import { GENESIS_HASH, hashEntry, type ChainEntry } from "../../../core/audit/chain";

/** Builds a valid chain of `length` entries, the way appendAuditEntry links them. */
export function buildChain(length: number, chainId = "test-chain"): ChainEntry[] {
  const entries: ChainEntry[] = [];
  for (let seq = 1; seq <= length; seq++) {
    const content = {
      chainId,
      seq,
      eventId: `evt-${seq}`,
      at: new Date(Date.UTC(2024, 0, 1, 0, 0, seq)).toISOString(),
      kind: seq % 2 === 0 ? "Remediation Planned" : "Incident Opened",
      ...(seq % 3 === 0 ? { incidentId: `inc-${seq}` } : {}),
      actor: "vigil",
      payload: JSON.stringify({ n: seq }),
      prevHash: entries.at(-1)?.hash ?? GENESIS_HASH,
    };
    entries.push({ ...content, hash: hashEntry(content) });
  }
  return entries;
}

/** Recomputes an entry's hash after its content changed (a careful forger). */
export const rehash = (entry: ChainEntry): ChainEntry => ({ ...entry, hash: hashEntry(entry) });

/** Shifts the seq attribute without touching the hash, as moving an item to another key would. */
export const relabel = (entry: ChainEntry, seq: number): ChainEntry => ({ ...entry, seq });
