import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadSeries, saveSeries, type SeriesWrite } from "../../../core/store/series-batch";
import { createStore, type Store } from "../../../core/store/service";
import { startDynalite, type DynaliteHandle } from "../../support/dynalite";

let db: DynaliteHandle;
let store: Store;
let batchGets = 0;

beforeAll(async () => {
  db = await startDynalite();
  db.client.middlewareStack.add(
    (next, context) => (args) => {
      if (context.commandName === "BatchGetItemCommand") batchGets++;
      return next(args);
    },
    { step: "initialize", name: "countBatchGets" },
  );
  store = createStore({ client: db.client, table: db.table });
});
afterAll(() => db.stop());

const ids = Array.from({ length: 150 }, (_, i) => `cpu|i-${String(i).padStart(3, "0")}`);
const write = (seriesId: string, expectedVersion: number, n: number): SeriesWrite => ({
  seriesId,
  state: JSON.stringify({ n, mean: n / 3 }),
  lastTimestamp: 1714557600000 + n,
  updatedAt: `2024-05-01T10:00:${String(n % 60).padStart(2, "0")}.000Z`,
  expectedVersion,
});

describe("series state in batches", () => {
  it("creates 150 series, then loads them all (more than one 100-key BatchGet)", async () => {
    const created = await saveSeries(store, ids.map((id) => write(id, 0, 1)));
    expect(created.conflicts).toEqual([]);
    expect(created.saved).toHaveLength(150);

    const before = batchGets;
    const loaded = await loadSeries(store, [...ids, "never-seen", ids[0]!]);
    expect(batchGets - before).toBeGreaterThanOrEqual(2);
    expect(loaded.size).toBe(150);
    expect(loaded.has("never-seen")).toBe(false);
    for (const id of ids) {
      expect(loaded.get(id)).toMatchObject({ seriesId: id, version: 1, state: '{"n":1,"mean":0.3333333333333333}' });
    }
  });

  it("saves conditionally on the version loaded and reports exactly the stale ids", async () => {
    const loaded = await loadSeries(store, ids);
    const stale = new Set(ids.filter((_, i) => i % 7 === 0));
    // A concurrent batch already moved the stale series on to version 2.
    await saveSeries(store, [...stale].map((id) => write(id, 1, 2)));

    const result = await saveSeries(store, ids.map((id) => write(id, loaded.get(id)!.version, 3)));
    expect(result.conflicts.sort()).toEqual([...stale].sort());
    expect(result.saved).toHaveLength(150 - stale.size);

    const after = await loadSeries(store, ids);
    for (const id of ids) {
      const expected = stale.has(id) ? { version: 2, lastTimestamp: 1714557600002 } : { version: 2, lastTimestamp: 1714557600003 };
      expect(after.get(id)).toMatchObject(expected);
    }
  });

  it("creating a series another writer created first is a conflict, not an overwrite", async () => {
    await saveSeries(store, [write("fresh", 0, 5)]);
    const result = await saveSeries(store, [write("fresh", 0, 6)]);
    expect(result).toEqual({ saved: [], conflicts: ["fresh"] });
    expect((await loadSeries(store, ["fresh"])).get("fresh")?.lastTimestamp).toBe(1714557600005);
  });
});
