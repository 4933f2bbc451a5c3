import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DAY_MS, msIntoDay } from "../../../core/anomaly/day";

/** The definition the integer path must match, bit for bit (sign of zero included). */
const byRemainder = (t: number): number => ((t % DAY_MS) + DAY_MS) % DAY_MS;

describe("msIntoDay", () => {
  it("equals the floating-point remainder for any safe integer, negative ones included", () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), (t) => {
        expect(Object.is(msIntoDay(t), byRemainder(t))).toBe(true);
      }),
      { numRuns: 20_000 },
    );
  });

  it("equals it next to day boundaries, where the quotient rounds onto the next integer", () => {
    fc.assert(
      fc.property(fc.integer({ min: -104_249_991, max: 104_249_991 }), fc.integer({ min: -3, max: 3 }), (days, off) => {
        const t = days * DAY_MS + off;
        expect(Object.is(msIntoDay(t), byRemainder(t))).toBe(true);
      }),
      { numRuns: 20_000 },
    );
    for (const t of [0, -0, DAY_MS, -DAY_MS, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER]) {
      expect(Object.is(msIntoDay(t), byRemainder(t))).toBe(true);
    }
  });

  it("takes the remainders themselves for fractional and unsafe timestamps", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e20, max: 1e20 }), (t) => {
        expect(Object.is(msIntoDay(t), byRemainder(t))).toBe(true);
      }),
      { numRuns: 20_000 },
    );
    expect(msIntoDay(1_704_067_200_000 + 5 * 3_600_000)).toBe(5 * 3_600_000);
  });
});
