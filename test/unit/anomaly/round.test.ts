import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { roundDigits, toPrecisionNumber } from "../../../core/anomaly/round";

/** roundDigits as it was written before the table lookups: the definition the fast path must match. */
function roundDigitsByLog10(x: number, digits: number): number {
  if (x === 0 || !Number.isFinite(x)) return x;
  const shift = digits - 1 - Math.floor(Math.log10(Math.abs(x)));
  if (shift > 22 || shift < -22) return Number(x.toPrecision(digits));
  return shift >= 0 ? Math.round(x * 10 ** shift) / 10 ** shift : Math.round(x / 10 ** -shift) * 10 ** -shift;
}

const f64 = new Float64Array(1);
const i64 = new BigInt64Array(f64.buffer);
/** The double `steps` representable values away from `x` (same sign). */
function ulpsAway(x: number, steps: number): number {
  f64[0] = x;
  i64[0] = (i64[0] as bigint) + BigInt(steps);
  return f64[0] as number;
}

/** Doubles a few ulps either side of powers of ten and of rounding ties (k + 0.5) * 10^e, both signs. */
const awkward = fc
  .tuple(
    fc.boolean(),
    fc.integer({ min: 0, max: 999_999 }),
    fc.integer({ min: -30, max: 30 }),
    fc.integer({ min: -40, max: 40 }),
    fc.boolean(),
  )
  .map(([tie, k, e, steps, negative]) => {
    const base = tie ? (k + 0.5) * 10 ** e : Number(`1e${e}`);
    const x = ulpsAway(base, steps);
    return negative ? -x : x;
  });

const anyDouble = fc.oneof(fc.double({ noNaN: true }), awkward, fc.double({ min: -1e6, max: 1e6, noNaN: true }));

describe("roundDigits", () => {
  it("gives, to the bit, what the log10 and pow formula gives (near powers of ten too)", () => {
    fc.assert(
      fc.property(anyDouble, fc.integer({ min: 1, max: 12 }), (x, digits) => {
        expect(Object.is(roundDigits(x, digits), roundDigitsByLog10(x, digits))).toBe(true);
      }),
      { numRuns: 5_000 },
    );
  });
});

describe("toPrecisionNumber", () => {
  it("gives, to the bit, Number(x.toPrecision(digits)) for non-zero values, ties and near powers of ten included", () => {
    fc.assert(
      fc.property(anyDouble, fc.integer({ min: 1, max: 12 }), (x, digits) => {
        fc.pre(x !== 0 && Number.isFinite(x));
        expect(Object.is(toPrecisionNumber(x, digits), Number(x.toPrecision(digits)))).toBe(true);
      }),
      { numRuns: 5_000 },
    );
  });

  it("returns zeros (keeping their sign) and non-finite values as they are", () => {
    expect(Object.is(toPrecisionNumber(-0, 5), -0)).toBe(true);
    expect(toPrecisionNumber(0, 5)).toBe(0);
    expect(toPrecisionNumber(Infinity, 5)).toBe(Infinity);
    expect(toPrecisionNumber(Number.NaN, 5)).toBeNaN();
  });
});
