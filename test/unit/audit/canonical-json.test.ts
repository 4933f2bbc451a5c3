import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { canonicalJson } from "../../../core/audit/chain";
import { NonCanonicalValueError } from "../../../core/audit/errors";

describe("canonicalJson", () => {
  it("sorts keys at every depth and writes no whitespace", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: "x" } })).toBe(
      '{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}',
    );
  });

  it("omits undefined object members, as JSON does", () => {
    expect(canonicalJson({ a: undefined, b: 2 })).toBe('{"b":2}');
  });

  it.each([
    ["NaN", { x: Number.NaN }, "$.x"],
    ["Infinity", { x: [1, Number.POSITIVE_INFINITY] }, "$.x[1]"],
    ["undefined in an array", [1, undefined], "$[1]"],
    ["a Date", { when: new Date(0) }, "$.when"],
    ["a bigint", { n: 1n }, "$.n"],
  ])("rejects %s, naming where it is", (_label, value, path) => {
    expect(() => canonicalJson(value)).toThrowError(NonCanonicalValueError);
    try {
      canonicalJson(value);
    } catch (err) {
      expect(err).toMatchObject({ code: "audit.non_canonical_value", path });
    }
  });

  it("is independent of key insertion order and round-trips through JSON.parse", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
        const reversed = JSON.parse(text, (_key, v) =>
          v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v,
        );
        expect(canonicalJson(reversed)).toBe(text);
      }),
    );
  });
});
