import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendAuditEntries, appendAuditEntry, findAuditEntry, readChain, verifyStoredChain, type AuditAppendInput } from "../../../core/audit/append";
import { GENESIS_HASH, hashEntry } from "../../../core/audit/chain";
import { createStore, type Store } from "../../../core/store/service";
import { startDynalite, type DynaliteHandle } from "../../support/dynalite";
import { RawTamperer } from "./raw-tamper";

let db: DynaliteHandle;
let store: Store;

beforeAll(async () => {
  db = await startDynalite();
  store = createStore({ client: db.client, table: db.table });
});
afterAll(() => db.stop());

const event = (chainId: string, n: number): AuditAppendInput => ({
  chainId,
  eventId: `${chainId}-evt-${n}`,
  at: new Date(Date.UTC(2024, 4, 1, 10, 0, n)).toISOString(),
  kind: n % 2 ? "Incident Opened" : "Remediation Planned",
  subjectId: `subject-${n}`,
  actor: "vigil",
  payload: { n, nested: { z: 1, a: [true, null, "x"] } },
});

async function appendMany(chainId: string, count: number) {
  for (let n = 1; n <= count; n++) await appendAuditEntry(store, event(chainId, n));
}

describe("appending", () => {
  it("50 sequential appends make a verified chain, linked from genesis", async () => {
    await appendMany("seq50", 50);
    const chain = await readChain(store, "seq50");
    expect(chain.map((e) => e.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(chain[0]!.prevHash).toBe(GENESIS_HASH);
    expect(chain[0]!.payload).toBe('{"n":1,"nested":{"a":[true,null,"x"],"z":1}}');
    expect(await verifyStoredChain(store, "seq50")).toEqual({ ok: true, count: 50, headHash: chain[49]!.hash });
  });

  it("20 concurrent appenders never fork the chain", async () => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => appendAuditEntry(store, event("race", i + 1))));
    expect(results.every((r) => !r.duplicate)).toBe(true);
    const chain = await readChain(store, "race");
    expect(chain.map((e) => e.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(new Set(chain.map((e) => e.eventId)).size).toBe(20);
    expect(await verifyStoredChain(store, "race")).toMatchObject({ ok: true, count: 20 });
  });

  it("appending the same event id again returns the first entry and adds nothing", async () => {
    const first = await appendAuditEntry(store, event("dup", 1));
    await appendAuditEntry(store, event("dup", 2));
    const again = await appendAuditEntry(store, { ...event("dup", 1), at: "2030-01-01T00:00:00.000Z" });
    expect(first.duplicate).toBe(false);
    expect(again).toEqual({ entry: first.entry, duplicate: true });
    expect((await readChain(store, "dup")).map((e) => e.eventId)).toEqual(["dup-evt-1", "dup-evt-2"]);
  });

  it("concurrent deliveries of one event id append it once", async () => {
    const results = await Promise.all(Array.from({ length: 5 }, () => appendAuditEntry(store, event("dup-race", 1))));
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(await readChain(store, "dup-race")).toHaveLength(1);
  });

  it("recovers from a crash between the intent marker and the entry", async () => {
    await appendMany("crash", 2);
    // A writer recorded its intent to take seq 3, then died before writing the entry.
    await store.entities.auditIntent
      .create({ chainId: "crash", eventId: "crash-evt-9", seq: 3, createdAt: "t", updatedAt: "t" })
      .go();
    await appendAuditEntry(store, event("crash", 3));
    const retried = await appendAuditEntry(store, event("crash", 9));
    expect(retried).toMatchObject({ duplicate: false, entry: { seq: 4, eventId: "crash-evt-9" } });
    const marker = await store.entities.auditIntent.get({ chainId: "crash", eventId: "crash-evt-9" }).go();
    expect(marker.data?.seq).toBe(4);
    expect(await appendAuditEntry(store, event("crash", 9))).toMatchObject({ duplicate: true, entry: { seq: 4 } });
    expect(await verifyStoredChain(store, "crash")).toMatchObject({ ok: true, count: 4 });
  });
});

describe("appending a batch in one chain step", () => {
  it("appends a batch in order, contiguous after what was there, with one head item at its last entry", async () => {
    await appendMany("batch", 3);
    const results = await appendAuditEntries(store, Array.from({ length: 10 }, (_, i) => event("batch", 4 + i)));
    expect(results.map((r) => [r.entry.seq, r.duplicate])).toEqual(Array.from({ length: 10 }, (_, i) => [4 + i, false]));
    const chain = await readChain(store, "batch");
    expect(chain.map((e) => e.eventId)).toEqual(Array.from({ length: 13 }, (_, i) => `batch-evt-${i + 1}`));
    const head = (await store.entities.auditHead.get({ chainId: "batch" }).go()).data;
    expect(head).toMatchObject({ seq: 13, hash: chain[12]!.hash });
    expect(JSON.parse(head!.pending)).toHaveLength(10);
    expect(await verifyStoredChain(store, "batch")).toMatchObject({ ok: true, count: 13 });
  });

  it("skips event ids already in the chain and repeated in the batch, and reports them as duplicates", async () => {
    await appendAuditEntries(store, [event("batch-dup", 1), event("batch-dup", 2)]);
    const results = await appendAuditEntries(store, [event("batch-dup", 2), event("batch-dup", 3), event("batch-dup", 3), event("batch-dup", 1)]);
    expect(results.map((r) => [r.entry.eventId, r.entry.seq, r.duplicate])).toEqual([
      ["batch-dup-evt-2", 2, true],
      ["batch-dup-evt-3", 3, false],
      ["batch-dup-evt-3", 3, false],
      ["batch-dup-evt-1", 1, true],
    ]);
    expect((await readChain(store, "batch-dup")).map((e) => e.eventId)).toEqual(["batch-dup-evt-1", "batch-dup-evt-2", "batch-dup-evt-3"]);
  });

  it("concurrent batches never fork the chain, and a batch retried after a lost race appends each event once", async () => {
    const batches = Array.from({ length: 6 }, (_, b) => Array.from({ length: 5 }, (_, i) => event("batch-race", b * 5 + i + 1)));
    await Promise.all([...batches, batches[0]!].map((batch) => appendAuditEntries(store, batch)));
    const chain = await readChain(store, "batch-race");
    expect(chain.map((e) => e.seq)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(new Set(chain.map((e) => e.eventId)).size).toBe(30);
    expect(await verifyStoredChain(store, "batch-race")).toMatchObject({ ok: true, count: 30 });
  });

  it("writes the entries of a step whose appender crashed after moving the head, before appending after them", async () => {
    await appendMany("step-crash", 2);
    // An appender moved the head over two entries, then died before writing them.
    const [prev] = (await readChain(store, "step-crash")).slice(-1);
    const first = { ...event("step-crash", 3), payload: '{"n":3}', seq: 3, prevHash: prev!.hash };
    const firstEntry = { ...first, hash: hashEntry(first) };
    const second = { ...event("step-crash", 4), payload: '{"n":4}', seq: 4, prevHash: firstEntry.hash };
    const secondEntry = { ...second, hash: hashEntry(second) };
    await store.entities.auditHead
      .put({ chainId: "step-crash", seq: 4, hash: secondEntry.hash, pending: JSON.stringify([firstEntry, secondEntry]), updatedAt: "t" })
      .go();
    // The head's step is in the chain already: found before its entries and markers are written.
    expect(await findAuditEntry(store, "step-crash", "step-crash-evt-4")).toEqual(secondEntry);
    expect(await findAuditEntry(store, "step-crash", "step-crash-evt-5")).toBeUndefined();
    const results = await appendAuditEntries(store, [event("step-crash", 4), event("step-crash", 5)]);
    expect(results.map((r) => [r.entry.seq, r.duplicate])).toEqual([[4, true], [5, false]]);
    expect((await readChain(store, "step-crash")).map((e) => e.eventId)).toEqual([1, 2, 3, 4, 5].map((n) => `step-crash-evt-${n}`));
    expect(await verifyStoredChain(store, "step-crash")).toMatchObject({ ok: true, count: 5 });
    expect(await appendAuditEntry(store, event("step-crash", 3))).toMatchObject({ duplicate: true, entry: { seq: 3 } });
  });

  it("continues a chain written before head items existed from its highest entry", async () => {
    await appendMany("legacy", 3);
    await store.entities.auditHead.delete({ chainId: "legacy" }).go();
    await appendAuditEntries(store, [event("legacy", 4), event("legacy", 2)]);
    expect((await readChain(store, "legacy")).map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    expect(await verifyStoredChain(store, "legacy")).toMatchObject({ ok: true, count: 4 });
  });
});

describe("tampering through the raw DynamoDB API is caught", () => {
  const tamperer = (chainId: string) => new RawTamperer(db.client, db.table, chainId);

  it("an edited payload", async () => {
    await appendMany("t-edit", 30);
    await tamperer("t-edit").setPayload(10, '{"n":10,"approvedBy":"mallory"}');
    expect(await verifyStoredChain(store, "t-edit")).toEqual({
      ok: false,
      at: 10,
      problem: "edited",
      detail: "seq 10's stored hash does not match its content",
    });
  });

  it("a deleted entry", async () => {
    await appendMany("t-delete", 30);
    await tamperer("t-delete").delete(20);
    expect(await verifyStoredChain(store, "t-delete")).toEqual({
      ok: false,
      at: 20,
      problem: "deleted",
      detail: "seq 20 is missing: seq 21 is read where seq 20 belongs",
    });
  });

  it("an inserted entry, with the tail moved up to make room and the forgery correctly hashed", async () => {
    await appendMany("t-insert", 30);
    const raw = tamperer("t-insert");
    for (let seq = 30; seq >= 15; seq--) await raw.putAt(seq + 1, await raw.get(seq), true);
    const [predecessor] = (await readChain(store, "t-insert")).filter((e) => e.seq === 14);
    const forged = { ...event("t-insert", 99), payload: '{"forged":true}', seq: 15, prevHash: predecessor!.hash };
    const template = await raw.get(15);
    await raw.putAt(
      15,
      {
        ...template,
        eventId: { S: forged.eventId },
        at: { S: forged.at },
        kind: { S: forged.kind },
        subjectId: { S: forged.subjectId! },
        payload: { S: forged.payload },
        prevHash: { S: forged.prevHash },
        hash: { S: hashEntry(forged) },
      },
      true,
    );
    expect(await verifyStoredChain(store, "t-insert")).toEqual({
      ok: false,
      at: 15,
      problem: "inserted",
      detail: "seq 16 commits to seq 14, so seq 15 was inserted",
    });
  });

  it("two entries swapped", async () => {
    await appendMany("t-reorder", 30);
    const raw = tamperer("t-reorder");
    const [fifth, sixth] = [await raw.get(5), await raw.get(6)];
    await raw.putAt(5, sixth, false);
    await raw.putAt(6, fifth, false);
    expect(await verifyStoredChain(store, "t-reorder")).toEqual({
      ok: false,
      at: 5,
      problem: "reordered",
      detail: "position of seq 5 holds the entry that follows seq 5, which is read later",
    });
  });
});
