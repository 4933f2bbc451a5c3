import { deflateRawSync, inflateRawSync } from "node:zlib";

/** Text at least this long is stored deflated: engine state is repetitive JSON and compresses ~10x. */
const COMPRESS_FROM = 16 * 1024;
const PREFIX = "z1:";

/**
 * Encodes a large text attribute of a grouping scope (state, outbox, page buffer) or of an alert page as `z1:` + base64 of its
 * raw deflate, so a busy account's state stays under DynamoDB's 400 KB item limit; short text is kept as is.
 *
 * @param text - JSON text
 */
export function encodeScopeText(text: string): string {
  return text.length < COMPRESS_FROM ? text : PREFIX + deflateRawSync(text, { level: 1 }).toString("base64");
}

/** The text `encodeScopeText` encoded. */
export function decodeScopeText(stored: string): string {
  return stored.startsWith(PREFIX) ? inflateRawSync(Buffer.from(stored.slice(PREFIX.length), "base64")).toString("utf8") : stored;
}
