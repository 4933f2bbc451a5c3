import { CANARY_KEY_PREFIX } from "../../events/patterns";
import { bucketName, parseArn, resourceName } from "./arn";
import { type ProtectedResource, type ReplicationSettings, staleAfterMinutes } from "./config";
import type { CanaryProbeResult } from "./signal-canary";

/**
 * The canary probe's pure half: marker naming and encoding, which markers to look for, and what the
 * replica's contents say about each route. The probe function does the I/O around it.
 *
 * S3 replicates objects one by one and in no order, so each run writes its own marker object
 * (`vigil-canary/<13-digit epoch ms>-<target id>`) and lists both buckets. A DynamoDB global table
 * replicates an item's versions last-writer-wins, so one marker item per target, overwritten every run,
 * carries its write time and the recent write history: the replica's copy names the newest write it
 * holds, and the source's history names the first write it lacks. RDS has no canary: a snapshot copy
 * is the recovery point itself, and its copy events already date it.
 */

export { CANARY_DETAIL_TYPE, CANARY_EVENT_SOURCE } from "../../events/patterns";

/** Attributes of the DynamoDB marker item, beside the table's own key. */
export const CANARY_ITEM_ATTRIBUTES = Object.freeze({ writtenAt: "vigilCanaryWrittenAt", writes: "vigilCanaryWrites" });
/** Writes the marker item remembers: an hour of one-minute runs. */
export const CANARY_HISTORY_LENGTH = 60;

const MINUTE = 60_000;
/** Epoch ms fit 13 digits until the year 2286, so keys sort in write order. */
const TIME_DIGITS = 13;
const pad = (epochMs: number) => String(Math.max(0, Math.trunc(epochMs))).padStart(TIME_DIGITS, "0");

/** The protected resources a probe can measure: S3 buckets and DynamoDB global tables. */
export type CanaryTarget = Extract<ProtectedResource, { kind: "s3" | "dynamodb" }>;

/**
 * Whether a protected resource is probed: S3 and DynamoDB unless `canary: false` (RDS has none: its
 * snapshot copies are the recovery point).
 *
 * @param target - a protected resource
 */
export function hasCanary(target: ProtectedResource): target is CanaryTarget {
  return (target.kind === "s3" || target.kind === "dynamodb") && target.canary;
}

/**
 * How far back the probe looks for markers, minutes: twice the RPO, at least the staleness window.
 * Older markers add nothing: the monitor already holds the oldest missing one.
 *
 * @param target - the protected resource
 * @param settings - the model's thresholds
 */
export function canaryLookbackMinutes(target: ProtectedResource, settings: ReplicationSettings): number {
  return Math.max(2 * target.rpoMinutes, staleAfterMinutes(target, settings));
}

/**
 * Key of the S3 marker a target's probe writes at `writtenAt`.
 *
 * @param targetId - the protected resource's id
 * @param writtenAt - write time, epoch ms
 */
export function s3MarkerKey(targetId: string, writtenAt: number): string {
  return `${CANARY_KEY_PREFIX}${pad(writtenAt)}-${targetId}`;
}

/**
 * Write time of one of `targetId`'s S3 markers; undefined for any other key (another target's marker included).
 *
 * @param key - an object key from a listing
 * @param targetId - the protected resource's id
 */
export function parseS3MarkerKey(key: string, targetId: string): number | undefined {
  if (!key.startsWith(CANARY_KEY_PREFIX) || !key.endsWith(`-${targetId}`)) return undefined;
  const digits = key.slice(CANARY_KEY_PREFIX.length, key.length - targetId.length - 1);
  return new RegExp(`^\\d{${TIME_DIGITS}}$`).test(digits) ? Number(digits) : undefined;
}

/**
 * `StartAfter` of a listing that returns only markers written at or after `since` (keys sort in write order).
 *
 * @param since - oldest write time of interest, epoch ms
 */
export function s3ListStartAfter(since: number): string {
  return `${CANARY_KEY_PREFIX}${pad(since)}`;
}

/**
 * Body of an S3 marker: its write time again, for people reading the bucket.
 *
 * @param targetId - the protected resource's id
 * @param writtenAt - write time, epoch ms
 */
export function s3MarkerBody(targetId: string, writtenAt: number): string {
  return JSON.stringify({ vigilCanary: targetId, writtenAt: new Date(writtenAt).toISOString() });
}

/** The newest marker the replica holds and the oldest write after it that it lacks. */
export interface CanaryVerdict {
  /** Write time of the newest marker found in the replica. */
  arrived?: number;
  /** Write time of the oldest marker written after `arrived` and not in the replica: the RPO runs from it. */
  missingSince?: number;
}

/**
 * What a replica's contents say about one route. A marker older than the newest arrival that is
 * still missing is ignored: the newer arrival supersedes it, as it does in the model.
 *
 * @param written - write times of the markers the probe wrote (any order)
 * @param newestArrived - write time of the newest marker found in the replica, if any
 */
export function canaryVerdict(written: readonly number[], newestArrived: number | undefined): CanaryVerdict {
  const after = written.filter((w) => newestArrived === undefined || w > newestArrived);
  const missingSince = after.length === 0 ? undefined : Math.min(...after);
  return { ...(newestArrived === undefined ? {} : { arrived: newestArrived }), ...(missingSince === undefined ? {} : { missingSince }) };
}

/**
 * The probe's reports for one route: the newest arrival observed now (its lag is `now − writtenAt`,
 * an upper bound at the probe's resolution), then the oldest missing marker written before this run,
 * not yet observed.
 * Redelivering them is harmless: the model keeps the newest measure and the oldest missing write.
 *
 * @param route - the target, the replica as the model names it, and how to name a marker
 * @param verdict - what the replica holds
 * @param now - when the probe read the replica, epoch ms
 */
export function canaryResults(
  route: { target: CanaryTarget; replica: string; markerId: (writtenAt: number) => string },
  verdict: CanaryVerdict,
  now: number,
): CanaryProbeResult[] {
  const base = { kind: route.target.kind, resource: route.target.resource, replica: route.replica };
  const results: CanaryProbeResult[] = [];
  const iso = (t: number) => new Date(t).toISOString();
  if (verdict.arrived !== undefined && verdict.arrived <= now) {
    results.push({ ...base, markerId: route.markerId(verdict.arrived), writtenAt: iso(verdict.arrived), observedAt: iso(now), probedAt: iso(now) });
  }
  // A marker written by this very run has had no time to arrive: reporting it would only count as a good observation.
  if (verdict.missingSince !== undefined && verdict.missingSince < now) {
    results.push({ ...base, markerId: route.markerId(verdict.missingSince), writtenAt: iso(verdict.missingSince), observedAt: null, probedAt: iso(now) });
  }
  return results;
}

/**
 * Reports of an S3 target from the two listings (keys of every target's markers; others are skipped).
 *
 * @param target - the S3 protected resource
 * @param listings - marker keys listed in the source and in the replica bucket
 * @param now - probe time, epoch ms
 */
export function s3CanaryResults(
  target: Extract<CanaryTarget, { kind: "s3" }>,
  listings: { source: readonly string[]; replica: readonly string[] },
  now: number,
): CanaryProbeResult[] {
  const times = (keys: readonly string[]) => keys.map((k) => parseS3MarkerKey(k, target.id)).filter((t): t is number => t !== undefined);
  const arrivals = times(listings.replica);
  const newest = arrivals.length === 0 ? undefined : Math.max(...arrivals);
  return canaryResults({ target, replica: target.replica, markerId: (t) => s3MarkerKey(target.id, t) }, canaryVerdict(times(listings.source), newest), now);
}

/** A DynamoDB attribute value as the wire format spells it (no SDK types in core). */
export type CanaryAttributeValue = { S: string } | { N: string } | { B: Uint8Array } | { L: CanaryAttributeValue[] };
/** One attribute of a table's primary key, from DescribeTable's KeySchema and AttributeDefinitions. */
export interface KeyAttribute {
  name: string;
  type: "S" | "N" | "B";
}

/** FNV-1a, 32 bits: a stable number per target id for numeric keys. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash;
}

/**
 * Primary key of a target's marker item, whatever the table's key schema: `vigil-canary#<id>` for a
 * string or binary attribute, a negative number derived from the id for a numeric one (applications
 * seldom use negative keys).
 *
 * @param key - the table's key attributes (partition key, then sort key if any)
 * @param targetId - the protected resource's id
 */
export function canaryItemKey(key: readonly KeyAttribute[], targetId: string): Record<string, CanaryAttributeValue> {
  const text = `vigil-canary#${targetId}`;
  const value = (type: KeyAttribute["type"]): CanaryAttributeValue =>
    type === "S" ? { S: text } : type === "N" ? { N: String(-1 - fnv1a(text)) } : { B: new TextEncoder().encode(text) };
  return Object.fromEntries(key.map((k) => [k.name, value(k.type)]));
}

/**
 * Reads the write history of a marker item as the source or a replica holds it; never throws
 * (an absent or foreign item has none).
 *
 * @param item - the item GetItem returned, or undefined
 */
export function canaryItemWrites(item: Record<string, unknown> | undefined): { writtenAt?: number; writes: number[] } {
  const num = (v: unknown) => (typeof v === "object" && v !== null && typeof (v as { N?: unknown }).N === "string" ? Number((v as { N: string }).N) : NaN);
  const writtenAt = num(item?.[CANARY_ITEM_ATTRIBUTES.writtenAt]);
  const list = (item?.[CANARY_ITEM_ATTRIBUTES.writes] as { L?: unknown } | undefined)?.L;
  const writes = (Array.isArray(list) ? list.map(num) : []).filter(Number.isSafeInteger);
  return { ...(Number.isSafeInteger(writtenAt) ? { writtenAt } : {}), writes };
}

/**
 * The marker item's attributes after a write at `writtenAt`: its time and the history, oldest first,
 * deduplicated (a retried invocation writes the same time) and capped at {@link CANARY_HISTORY_LENGTH}.
 *
 * @param previous - the history the source held before this write
 * @param writtenAt - this write's time, epoch ms
 */
export function canaryItemAttributes(previous: readonly number[], writtenAt: number): Record<string, CanaryAttributeValue> {
  const writes = [...new Set([...previous, writtenAt])].sort((a, b) => a - b).slice(-CANARY_HISTORY_LENGTH);
  return {
    [CANARY_ITEM_ATTRIBUTES.writtenAt]: { N: String(writtenAt) },
    [CANARY_ITEM_ATTRIBUTES.writes]: { L: writes.map((w) => ({ N: String(w) })) },
  };
}

/**
 * Reports of a DynamoDB target for one replica region: the source's history says what was written,
 * the replica's copy of the item the newest write it holds.
 *
 * @param target - the DynamoDB protected resource
 * @param region - the replica region read
 * @param writes - the source's history, this run's write included
 * @param replicaWrittenAt - write time of the replica's copy; undefined when the item has not arrived
 * @param now - probe time, epoch ms
 */
export function dynamoDbCanaryResults(
  target: Extract<CanaryTarget, { kind: "dynamodb" }>,
  region: string,
  writes: readonly number[],
  replicaWrittenAt: number | undefined,
  now: number,
): CanaryProbeResult[] {
  const table = resourceName(target.resource);
  return canaryResults({ target, replica: region, markerId: (t) => `${table}@${region}#${pad(t)}` }, canaryVerdict(writes, replicaWrittenAt), now);
}

/**
 * The buckets an S3 target's canary writes to and lists: names, from the ARNs.
 *
 * @param target - an S3 protected resource
 */
export function s3CanaryBuckets(target: Extract<CanaryTarget, { kind: "s3" }>): { source: string; replica: string } {
  return { source: bucketName(target.resource), replica: bucketName(target.replica) };
}

/**
 * Where a DynamoDB target's canary writes (the table in its own region) and reads (the same table in each replica region).
 *
 * @param target - a DynamoDB protected resource (a global table)
 */
export function dynamoDbCanaryTable(target: Extract<CanaryTarget, { kind: "dynamodb" }>): { table: string; region: string; replicaRegions: string[] } {
  return { table: resourceName(target.resource), region: parseArn(target.resource)?.region ?? "", replicaRegions: target.replicaRegions };
}

/**
 * When a target whose probe failed `failures` times in a row is tried again: after 2, 4, 8, then every 15
 * minutes, so a resource the probe cannot reach (no permission, or no emulator in a replay) costs a
 * call now and then rather than one a minute.
 *
 * @param failures - consecutive failures, at least 1
 * @param now - time of the last failure, epoch ms
 */
export function nextCanaryAttempt(failures: number, now: number): number {
  return now + Math.min(2 ** Math.max(1, failures), 15) * MINUTE;
}
