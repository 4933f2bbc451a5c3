import { BatchIncompleteError, isConditionalCheckFailure } from "./errors";
import type { Series, Store } from "./service";

/** How many times unprocessed BatchGet keys are retried before giving up. */
const MAX_BATCH_ATTEMPTS = 6;
/** Conditional puts in flight at once during a save. */
const SAVE_CONCURRENCY = 16;

/** One series state to save: the new state plus the version it was derived from. */
export interface SeriesWrite {
  seriesId: string;
  /** JSON text of the detector state. */
  state: string;
  lastTimestamp: number;
  /** JSON list of recent anomalies (see the Series entity). */
  recentAnomalies?: string;
  updatedAt: string;
  expiresAt?: number;
  /** Version the state was loaded at; 0 for a series that did not exist yet. */
  expectedVersion: number;
}

/** Outcome of {@link saveSeries}: what was written, and which ids lost a race. */
export interface SaveSeriesResult {
  saved: Series[];
  conflicts: string[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Loads the state of many series with BatchGetItem (ElectroDB splits into 100-key
 * requests) and retries unprocessed keys with backoff. Missing series are absent
 * from the returned map.
 */
export async function loadSeries(store: Store, ids: readonly string[]): Promise<Map<string, Series>> {
  const found = new Map<string, Series>();
  let pending = [...new Set(ids)].map((seriesId) => ({ seriesId }));
  for (let attempt = 1; pending.length > 0; attempt++) {
    if (attempt > MAX_BATCH_ATTEMPTS) throw new BatchIncompleteError("loadSeries", pending.length);
    if (attempt > 1) await sleep(25 * 2 ** attempt);
    const { data, unprocessed } = await store.entities.series.get(pending).go({ concurrent: 4 });
    for (const item of data) found.set(item.seriesId, item);
    pending = unprocessed.map(({ seriesId }) => ({ seriesId }));
  }
  return found;
}

/**
 * Saves many series states, each with its own conditional put: a new series is created
 * under attribute_not_exists, an existing one only if it is still at `expectedVersion`.
 * Ids whose condition failed are returned in `conflicts` (reload and re-fold them);
 * any other error rejects.
 */
export async function saveSeries(store: Store, items: readonly SeriesWrite[]): Promise<SaveSeriesResult> {
  const result: SaveSeriesResult = { saved: [], conflicts: [] };
  for (let start = 0; start < items.length; start += SAVE_CONCURRENCY) {
    const chunk = items.slice(start, start + SAVE_CONCURRENCY);
    const outcomes = await Promise.allSettled(chunk.map((item) => saveOne(store, item)));
    outcomes.forEach((outcome, i) => {
      const item = chunk[i]!;
      if (outcome.status === "fulfilled") result.saved.push(outcome.value);
      else if (isConditionalCheckFailure(outcome.reason)) result.conflicts.push(item.seriesId);
      else throw outcome.reason;
    });
  }
  return result;
}

async function saveOne(store: Store, write: SeriesWrite): Promise<Series> {
  const { expectedVersion, ...fields } = write;
  const item = { ...fields, version: expectedVersion + 1 };
  if (expectedVersion === 0) return (await store.entities.series.create(item).go()).data;
  const put = store.entities.series
    .put(item)
    .where(({ version }, { eq }) => eq(version, expectedVersion));
  await put.go();
  return item;
}
