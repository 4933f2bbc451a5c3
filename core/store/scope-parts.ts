import { createHash } from "node:crypto";
import { untilProcessed } from "./batch-retry";
import type { Store } from "./service";
import { groupingWrites } from "./write-counter";

/** The text attributes of a grouping scope item, each as `encodeScopeText` stored it. */
export interface ScopeTexts {
  state: string;
  outbox: string;
  pageBuffer: string;
  incidentDigests: string;
}

/** Where a scope item's spilled text lives: its part set and how many parts it has. */
export interface PartSetRef {
  partSet: string;
  parts: number;
}

/** More parts than this (about 25 MB) and the state is refused: something unbounded is growing. */
export const MAX_SCOPE_PARTS = 64;

/** BatchWrite calls (25 items each) in flight at once. */
const CONCURRENCY = 4;

/**
 * Splits a scope's texts into those kept in its item and those spilled to parts, so the kept ones take at most
 * `room` characters: the largest move out first, so a state too large for one item leaves a small outbox in place.
 */
export function splitScopeTexts(texts: ScopeTexts, room: number): { kept: Partial<ScopeTexts>; spilled: Partial<ScopeTexts> } {
  const kept: Partial<ScopeTexts> = { ...texts };
  const spilled: Partial<ScopeTexts> = {};
  let size = Object.values(texts).reduce((n, text) => n + text.length, 0);
  for (const name of (Object.keys(texts) as (keyof ScopeTexts)[]).sort((a, b) => texts[b].length - texts[a].length)) {
    if (size <= room) break;
    spilled[name] = texts[name];
    delete kept[name];
    size -= texts[name].length;
  }
  return { kept, spilled };
}

/** JSON with every non-ASCII character escaped, so it can be cut anywhere and a character's length is its byte count. */
function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/**
 * Writes spilled texts as parts of at most `partSize` characters under a part set named after the version they belong
 * to and a digest of their content, so two writers racing for one version never write into each other's set.
 *
 * @returns the part set for the scope item to name
 */
export async function writeScopeParts(store: Store, scopeId: string, version: number, spilled: Partial<ScopeTexts>, partSize: number): Promise<PartSetRef> {
  const text = asciiJson(spilled);
  const partSet = `${version}.${createHash("sha256").update(text).digest("hex").slice(0, 16)}`;
  const items = Array.from({ length: Math.ceil(text.length / partSize) }, (_, index) => ({ scopeId, partSet, index, data: text.slice(index * partSize, (index + 1) * partSize) }));
  await untilProcessed("writeScopeParts", items, async (pending) => {
    groupingWrites.add(pending.length, "part");
    const { unprocessed } = await store.entities.groupingScopePart.put(pending).go({ concurrency: CONCURRENCY });
    const left = new Set(unprocessed.map((u) => u.index));
    return pending.filter((p) => left.has(p.index));
  });
  return { partSet, parts: items.length };
}

/**
 * Reads a part set back into the texts it holds; undefined when a part is gone (a newer version of the scope replaced
 * this one and deleted its parts after this reader read the item: read the item again).
 */
export async function readScopeParts(store: Store, scopeId: string, ref: PartSetRef): Promise<Partial<ScopeTexts> | undefined> {
  const data = new Map<number, string>();
  const keys = Array.from({ length: ref.parts }, (_, index) => ({ scopeId, partSet: ref.partSet, index }));
  await untilProcessed("readScopeParts", keys, async (pending) => {
    const { data: found, unprocessed } = await store.entities.groupingScopePart.get(pending).go({ concurrency: CONCURRENCY });
    for (const part of found) data.set(part.index, part.data);
    return unprocessed.map((u) => ({ scopeId, partSet: ref.partSet, index: u.index }));
  });
  if (data.size < ref.parts) return undefined;
  return JSON.parse(keys.map((k) => data.get(k.index)).join("")) as Partial<ScopeTexts>;
}

/** Deletes a part set no scope item names any more. */
export async function deleteScopeParts(store: Store, scopeId: string, ref: PartSetRef): Promise<void> {
  const keys = Array.from({ length: ref.parts }, (_, index) => ({ scopeId, partSet: ref.partSet, index }));
  await untilProcessed("deleteScopeParts", keys, async (pending) => {
    groupingWrites.add(pending.length, "part");
    const { unprocessed } = await store.entities.groupingScopePart.delete(pending).go({ concurrency: CONCURRENCY });
    return unprocessed.map((u) => ({ scopeId, partSet: ref.partSet, index: u.index }));
  });
}

/** The part set a stored scope item names, if any. */
export function partSetOf(item: { partSet?: string | undefined; parts?: number | undefined } | undefined): PartSetRef | undefined {
  return item?.partSet === undefined || item.parts === undefined ? undefined : { partSet: item.partSet, parts: item.parts };
}
