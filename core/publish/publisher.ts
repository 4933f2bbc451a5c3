import {
  EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
  type PutEventsResultEntry,
} from "@aws-sdk/client-eventbridge";

/** PutEvents limits: 10 entries and 256 KB per call (the same 256 KB caps one entry). */
export const MAX_ENTRIES_PER_CALL = 10;
export const MAX_BYTES_PER_CALL = 256 * 1024;

export class EventTooLargeError extends Error {
  override readonly name = "EventTooLargeError";
  readonly code = "publish.event_too_large";
  constructor(readonly detailType: string, readonly bytes: number) {
    super(`event "${detailType}" is ${bytes} bytes; EventBridge accepts at most ${MAX_BYTES_PER_CALL}`);
  }
}

export class PublishFailedError extends Error {
  override readonly name = "PublishFailedError";
  readonly code = "publish.entries_failed";
  constructor(readonly failures: { detailType: string; errorCode: string; errorMessage: string }[]) {
    super(
      `${failures.length} event(s) still failed after retries: ` +
        failures.map((f) => `${f.detailType} (${f.errorCode}: ${f.errorMessage})`).join("; "),
    );
  }
}

/**
 * Size of one entry as EventBridge counts it: UTF-8 bytes of Source, DetailType, Detail and
 * each Resources element, plus 14 bytes when Time is set.
 */
export function entrySize(entry: PutEventsRequestEntry): number {
  let size = entry.Time ? 14 : 0;
  for (const s of [entry.Source, entry.DetailType, entry.Detail, ...(entry.Resources ?? [])]) {
    if (s) size += Buffer.byteLength(s, "utf8");
  }
  return size;
}

/** Splits entries into PutEvents calls of at most 10 entries and 256 KB, keeping their order. */
export function chunkEntries(entries: PutEventsRequestEntry[]): PutEventsRequestEntry[][] {
  const chunks: PutEventsRequestEntry[][] = [];
  let current: PutEventsRequestEntry[] = [];
  let bytes = 0;
  for (const entry of entries) {
    const size = entrySize(entry);
    if (size > MAX_BYTES_PER_CALL) throw new EventTooLargeError(entry.DetailType ?? "?", size);
    if (current.length === MAX_ENTRIES_PER_CALL || bytes + size > MAX_BYTES_PER_CALL) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(entry);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

export interface PublishOptions {
  /** Attempts per chunk, the first included. */
  maxAttempts?: number;
  baseDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Publishes entries to a bus. Entries EventBridge reports as failed are retried with backoff;
 * if any still fail, throws {@link PublishFailedError} so the caller's invocation fails and is
 * retried: an event is never dropped. Callers publish only after the write the event describes.
 */
export async function publishEvents(
  client: EventBridgeClient,
  busName: string,
  entries: PutEventsRequestEntry[],
  options: PublishOptions = {},
): Promise<{ published: number; calls: number }> {
  const { maxAttempts = 5, baseDelayMs = 50, sleep = defaultSleep } = options;
  const withBus = entries.map((e) => ({ ...e, EventBusName: busName }));
  let calls = 0;
  for (const chunk of chunkEntries(withBus)) {
    let pending = chunk;
    let lastResults: { entry: PutEventsRequestEntry; result: PutEventsResultEntry }[] = [];
    for (let attempt = 1; pending.length > 0 && attempt <= maxAttempts; attempt++) {
      if (attempt > 1) await sleep(baseDelayMs * 2 ** (attempt - 2) * (0.5 + Math.random()));
      calls++;
      const out = await client.send(new PutEventsCommand({ Entries: pending }));
      if (!out.FailedEntryCount) {
        pending = [];
        break;
      }
      // Results are positional: the i-th result belongs to the i-th entry sent.
      lastResults = pending
        .map((entry, i) => ({ entry, result: out.Entries?.[i] ?? { ErrorCode: "MissingResult" } }))
        .filter(({ result }) => result.ErrorCode);
      pending = lastResults.map(({ entry }) => entry);
    }
    if (pending.length > 0) {
      throw new PublishFailedError(
        lastResults.map(({ entry, result }) => ({
          detailType: entry.DetailType ?? "?",
          errorCode: result.ErrorCode ?? "Unknown",
          errorMessage: result.ErrorMessage ?? "",
        })),
      );
    }
  }
  return { published: entries.length, calls };
}
