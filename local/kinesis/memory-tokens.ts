import { kinesisError } from "./memory-errors";

/** Iterators and NextTokens both live five minutes on AWS. */
export const TOKEN_TTL_MS = 300_000;

/** Where a shard iterator points: the stream incarnation (so a re-created stream rejects it), shard, index. */
export interface IteratorPosition {
  incarnation: number;
  shardIndex: number;
  position: number;
  issuedAt: number;
}

// Opaque to callers; readable to us without a lookup table, so iterators cost no memory.
export function encodeIterator({ incarnation, shardIndex, position, issuedAt }: IteratorPosition): string {
  return Buffer.from(`${incarnation}.${shardIndex}.${position}.${issuedAt}`).toString("base64url");
}

export function decodeIterator(iterator: string, now: number): IteratorPosition {
  const match = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(Buffer.from(iterator, "base64url").toString("latin1"));
  if (!match) throw kinesisError("InvalidArgumentException", "Invalid ShardIterator.");
  const [incarnation, shardIndex, position, issuedAt] = match.slice(1).map(Number) as [number, number, number, number];
  if (now - issuedAt > TOKEN_TTL_MS) {
    throw kinesisError(
      "ExpiredIteratorException",
      `Iterator expired. The iterator was created at time ${new Date(issuedAt).toUTCString()} while right now it is ` +
        `${new Date(now).toUTCString()} which is further in the future than the tolerated delay of ${TOKEN_TTL_MS} milliseconds.`,
    );
  }
  return { incarnation, shardIndex, position, issuedAt };
}

/** A pagination token carrying `state` and its issue time. */
export function encodeNextToken(state: object, now: number): string {
  return Buffer.from(JSON.stringify({ ...state, issuedAt: now })).toString("base64url");
}

export function decodeNextToken<T extends object>(token: string, now: number): T {
  let state: unknown;
  try {
    state = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    state = undefined;
  }
  const issuedAt = (state as { issuedAt?: unknown } | undefined)?.issuedAt;
  if (typeof issuedAt !== "number") throw kinesisError("InvalidArgumentException", `Invalid NextToken: ${token}`);
  if (now - issuedAt > TOKEN_TTL_MS) throw kinesisError("ExpiredNextTokenException", "The NextToken has expired; tokens are valid for 300 seconds.");
  return state as T;
}
