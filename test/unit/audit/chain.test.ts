import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { GENESIS_HASH, hashEntry, verifyChain, type ChainEntry } from "../../../core/audit/chain";
import { buildChain, rehash, relabel } from "./chain-factory";

const hex64 = fc.stringMatching(/^[0-9a-f]{64}$/);
/** A chain of 2..25 entries. */
const chainArb = fc.integer({ min: 2, max: 25 }).map((n) => buildChain(n));

describe("hashEntry", () => {
  it("is SHA-256 over the canonical JSON of the content fields and prevHash", () => {
    const entry = {
      chainId: "c",
      seq: 1,
      eventId: "e1",
      at: "2024-01-01T00:00:00.000Z",
      kind: "Incident Opened",
      actor: "vigil",
      payload: '{"a":1}',
      prevHash: GENESIS_HASH,
    };
    const canonical =
      '{"actor":"vigil","at":"2024-01-01T00:00:00.000Z","chainId":"c","eventId":"e1",' +
      `"kind":"Incident Opened","payload":"{\\"a\\":1}","prevHash":"${GENESIS_HASH}","seq":1}`;
    expect(hashEntry(entry)).toBe(createHash("sha256").update(canonical).digest("hex"));
  });

  it("commits to optional fields, seq and the link", () => {
    const [entry] = buildChain(1);
    const base = hashEntry(entry!);
    expect(hashEntry({ ...entry!, subjectId: "s" })).not.toBe(base);
    expect(hashEntry({ ...entry!, seq: 2 })).not.toBe(base);
    expect(hashEntry({ ...entry!, prevHash: "f".repeat(64) })).not.toBe(base);
    expect(hashEntry({ ...entry!, subjectId: undefined })).toBe(base);
  });
});

describe("verifyChain on an untouched chain", () => {
  it("accepts the empty chain with the genesis head", () => {
    expect(verifyChain([])).toEqual({ ok: true, count: 0, headHash: GENESIS_HASH });
  });

  it("accepts any valid chain and reports its head", () => {
    fc.assert(
      fc.property(chainArb, (chain) => {
        expect(verifyChain(chain)).toEqual({ ok: true, count: chain.length, headHash: chain.at(-1)!.hash });
      }),
    );
  });
});

/** Picks a 1-based seq in a chain, optionally excluding the last one. */
const chainAndSeq = (excludeLast: boolean) =>
  chainArb.chain((chain) =>
    fc.tuple(fc.constant(chain), fc.integer({ min: 1, max: excludeLast ? chain.length - 1 : chain.length })),
  );

type EditableField = "payload" | "actor" | "kind" | "at" | "eventId" | "prevHash" | "hash";
const editableField = fc.constantFrom<EditableField>("payload", "actor", "kind", "at", "eventId", "prevHash", "hash");

function edit(entry: ChainEntry, field: EditableField, value: string): ChainEntry {
  return { ...entry, [field]: value };
}

describe("verifyChain finds the first broken link and names it", () => {
  it("an edited entry whose hash was left alone is reported as edited at its seq", () => {
    fc.assert(
      fc.property(chainAndSeq(false), editableField, hex64, ([chain, seq], field, value) => {
        const target = chain[seq - 1]!;
        fc.pre(target[field] !== value);
        const tampered = chain.map((e) => (e.seq === seq ? edit(e, field, value) : e));
        expect(verifyChain(tampered)).toMatchObject({ ok: false, problem: "edited", at: seq });
      }),
    );
  });

  it("an edited entry whose hash was recomputed is reported as edited at its seq", () => {
    fc.assert(
      fc.property(
        chainAndSeq(true),
        editableField.filter((f) => f !== "hash"),
        hex64,
        ([chain, seq], field, value) => {
          fc.pre(chain[seq - 1]![field] !== value);
          const tampered = chain.map((e) => (e.seq === seq ? rehash(edit(e, field, value)) : e));
          expect(verifyChain(tampered)).toMatchObject({ ok: false, problem: "edited", at: seq });
        },
      ),
    );
  });

  it("a rewritten seq attribute alone is reported as edited", () => {
    fc.assert(
      fc.property(chainAndSeq(false), fc.integer({ min: 1, max: 1000 }), ([chain, seq], label) => {
        fc.pre(label !== seq);
        const tampered = chain.map((e) => (e.seq === seq ? relabel(e, label) : e));
        expect(verifyChain(tampered)).toMatchObject({ ok: false, problem: "edited", at: seq });
      }),
    );
  });

  it("a deleted entry is reported as deleted at its seq, whether or not the rest was renumbered", () => {
    fc.assert(
      fc.property(chainAndSeq(true), fc.boolean(), ([chain, seq], renumber) => {
        const tampered = chain
          .filter((e) => e.seq !== seq)
          .map((e) => (renumber && e.seq > seq ? relabel(e, e.seq - 1) : e));
        expect(verifyChain(tampered)).toMatchObject({ ok: false, problem: "deleted", at: seq });
      }),
    );
  });

  it("an inserted entry is reported as inserted at its seq, however well it was forged", () => {
    const forgery = fc.constantFrom("linked-and-hashed", "linked-bad-hash", "garbage");
    fc.assert(
      fc.property(chainAndSeq(false), forgery, hex64, hex64, ([chain, seq], kind, fakePrev, fakeHash) => {
        const prevHash = kind === "garbage" ? fakePrev : (chain[seq - 2]?.hash ?? GENESIS_HASH);
        const content = { ...chain[seq - 1]!, eventId: "forged", payload: '{"forged":true}', seq, prevHash };
        const forged = kind === "linked-and-hashed" ? rehash(content) : { ...content, hash: fakeHash };
        // The forger makes room at `seq`: every later entry moves up one key (and seq attribute).
        const tampered = [
          ...chain.slice(0, seq - 1),
          forged,
          ...chain.slice(seq - 1).map((e) => relabel(e, e.seq + 1)),
        ];
        expect(verifyChain(tampered)).toMatchObject({ ok: false, problem: "inserted", at: seq });
      }),
    );
  });

  it("a duplicated seq is reported as inserted", () => {
    const chain = buildChain(6);
    const copy = { ...chain[2]!, eventId: "forged" };
    expect(verifyChain([...chain.slice(0, 3), copy, ...chain.slice(3)])).toMatchObject({
      ok: false,
      problem: "inserted",
      at: 3,
    });
  });

  it("two swapped entries are reported as reordered at the first position out of order", () => {
    const pair = chainArb.chain((chain) =>
      fc
        .tuple(fc.integer({ min: 1, max: chain.length }), fc.integer({ min: 1, max: chain.length }))
        .filter(([a, b]) => a !== b)
        .map(([a, b]) => [chain, Math.min(a, b), Math.max(a, b)] as const),
    );
    fc.assert(
      fc.property(pair, fc.boolean(), ([chain, a, b], renumber) => {
        const tampered = [...chain];
        tampered[a - 1] = renumber ? relabel(chain[b - 1]!, a) : chain[b - 1]!;
        tampered[b - 1] = renumber ? relabel(chain[a - 1]!, b) : chain[a - 1]!;
        expect(verifyChain(tampered)).toMatchObject({ ok: false, problem: "reordered", at: a });
      }),
    );
  });

  it("reports only the first break when the chain is damaged in two places", () => {
    const chain = buildChain(10);
    const tampered = chain
      .filter((e) => e.seq !== 7)
      .map((e) => (e.seq === 3 ? { ...e, actor: "mallory" } : e));
    expect(verifyChain(tampered)).toMatchObject({ ok: false, problem: "edited", at: 3 });
  });
});

describe("what a hash chain alone cannot see", () => {
  it("a rehashed edit or a deletion of the last entry keeps the chain valid but moves headHash", () => {
    const chain = buildChain(5);
    const head = verifyChain(chain);
    const editedHead = verifyChain([...chain.slice(0, 4), rehash({ ...chain[4]!, actor: "mallory" })]);
    const truncated = verifyChain(chain.slice(0, 4));
    expect(editedHead).toMatchObject({ ok: true, count: 5 });
    expect(truncated).toMatchObject({ ok: true, count: 4 });
    expect(head.ok && editedHead.ok && editedHead.headHash !== head.headHash).toBe(true);
    expect(head.ok && truncated.ok && truncated.headHash !== head.headHash).toBe(true);
  });
});
