import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  createDetector,
  deserializeDetector,
  InvalidDetectorStateError,
  scorePoint,
  serializeDetector,
  type MetricPoint,
} from "../../../core/anomaly";

const STEP = 60_000;

/** Random series with spikes, flat runs, level shifts and some bad points. */
const series = fc
  .array(
    fc.oneof(
      { weight: 20, arbitrary: fc.double({ min: -1e3, max: 1e3, noNaN: true }) },
      { weight: 2, arbitrary: fc.constant(5) },
      { weight: 1, arbitrary: fc.double({ min: -1e9, max: 1e9, noNaN: true }) },
      { weight: 1, arbitrary: fc.constant(Number.NaN) },
    ),
    { minLength: 200, maxLength: 700 },
  )
  .map((values): MetricPoint[] =>
    values.map((value, i) => ({ timestamp: 1_700_000_000_000 + (i % 97 === 13 ? i - 1 : i) * STEP, value })),
  );

describe("serialise / deserialise", () => {
  it("never changes a later score: save and load at random points, compare every score exactly", () => {
    fc.assert(
      fc.property(series, fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), (points, cuts) => {
        const saveAt = new Set(cuts.map((c) => c % points.length));
        const straight = createDetector({ warmup: 20 });
        let reloaded = createDetector({ warmup: 20 });
        points.forEach((p, i) => {
          if (saveAt.has(i)) reloaded = deserializeDetector(serializeDetector(reloaded));
          const a = scorePoint(straight, p).result;
          const b = scorePoint(reloaded, p).result;
          expect(b).toEqual(a);
        });
        expect(serializeDetector(reloaded)).toBe(serializeDetector(straight));
      }),
      { numRuns: 25 },
    );
  });

  it("round-trips a state to the same JSON", () => {
    const state = createDetector({ trees: 3 });
    for (let i = 0; i < 300; i++) scorePoint(state, { timestamp: i * STEP, value: Math.sin(i / 7) });
    expect(serializeDetector(deserializeDetector(serializeDetector(state)))).toBe(serializeDetector(state));
  });

  it.each([
    ["not JSON", "{", /not JSON/],
    ["another version", JSON.stringify({ version: 2 }), /version 1/],
    ["a missing forest", JSON.stringify({ version: 1, config: {} }), /missing/],
  ])("rejects %s", (_label, text, why) => {
    expect(() => deserializeDetector(text)).toThrowError(InvalidDetectorStateError);
    expect(() => deserializeDetector(text)).toThrowError(why);
  });
});
