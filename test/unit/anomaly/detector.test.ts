import { describe, expect, it } from "vitest";
import {
  createDetector,
  DEFAULT_DETECTOR_CONFIG,
  detectorStateBytes,
  InvalidDetectorConfigError,
  MAX_STATE_BYTES,
  scorePoint,
  serializeDetector,
  type DetectorState,
  type PointScore,
} from "../../../core/anomaly";
import { pointsOf, seasonalValues } from "./series-factory";

function scored(state: DetectorState, values: number[]): PointScore[] {
  return pointsOf(values).map((p) => {
    const { result } = scorePoint(state, p);
    if ("skipped" in result) throw new Error(`unexpected skip: ${result.skipped}`);
    return result;
  });
}

describe("scorePoint", () => {
  it("keeps every score in [0, 1] with an expected range and a one-line reason", () => {
    const values = seasonalValues(3000, 3).map((v, i) => (i % 997 === 500 ? v * 20 : v));
    for (const r of scored(createDetector(), values)) {
      expect(r.score).toBeGreaterThanOrEqual(0);
      expect(r.score).toBeLessThanOrEqual(1);
      expect(r.expected.low).toBeLessThanOrEqual(r.expected.high);
      expect(r.reason).not.toContain("\n");
      expect(r.reason.length).toBeGreaterThan(0);
    }
  });

  it("scores nothing during the warm-up", () => {
    const results = scored(createDetector(), seasonalValues(DEFAULT_DETECTOR_CONFIG.warmup, 4).map((v, i) => (i === 100 ? 1e6 : v)));
    expect(results.every((r) => r.score === 0 && !r.anomalous)).toBe(true);
  });

  it("flags an obvious spike, at the spike, with the highest score of the series", () => {
    const values = seasonalValues(2000, 5);
    values[1500] = 400;
    const results = scored(createDetector(), values);
    const spike = results[1500]!;
    expect(spike.anomalous).toBe(true);
    expect(spike.score).toBeGreaterThanOrEqual(DEFAULT_DETECTOR_CONFIG.alertScore);
    expect(spike.expected.high).toBeLessThan(400);
    const others = results.filter((_, i) => i !== 1500).map((r) => r.score);
    expect(Math.max(...others)).toBeLessThan(spike.score);
  });

  it("stays quiet on a flat series", () => {
    const results = scored(createDetector(), Array.from({ length: 3000 }, () => 42));
    expect(results.every((r) => r.score < 0.05 && !r.anomalous)).toBe(true);
  });

  it("stays below the alert score on stationary noise", () => {
    const results = scored(createDetector(), seasonalValues(4000, 9));
    expect(results.filter((r) => r.anomalous)).toHaveLength(0);
  });

  it("rejects an out-of-range configuration, naming the field", () => {
    expect(() => createDetector({ sampleSize: 1 })).toThrowError(InvalidDetectorConfigError);
    expect(() => createDetector({ trees: 2.5 })).toThrowError(/trees/);
  });
});

describe("bad input", () => {
  const warm = (): DetectorState => {
    const state = createDetector();
    scored(state, seasonalValues(400, 2));
    return state;
  };
  const last = (s: DetectorState): number => s.lastTimestamp ?? 0;

  it.each([
    ["a NaN value", (s: DetectorState) => ({ timestamp: last(s) + 300_000, value: Number.NaN }), /value/],
    ["an infinite value", (s: DetectorState) => ({ timestamp: last(s) + 300_000, value: Number.POSITIVE_INFINITY }), /value/],
    ["a string value", (s: DetectorState) => ({ timestamp: last(s) + 300_000, value: "12" as unknown as number }), /value/],
    ["a NaN timestamp", () => ({ timestamp: Number.NaN, value: 1 }), /timestamp/],
    ["a missing timestamp", () => ({ value: 1 }) as unknown as { timestamp: number; value: number }, /timestamp/],
    ["a duplicate timestamp", (s: DetectorState) => ({ timestamp: last(s), value: 50 }), /duplicate/],
    ["an out-of-order timestamp", (s: DetectorState) => ({ timestamp: last(s) - 1, value: 50 }), /out of order/],
  ])("skips %s and leaves the state unchanged", (_label, make, why) => {
    const state = warm();
    const before = serializeDetector(state);
    const { result } = scorePoint(state, make(state));
    expect(result).toEqual({ skipped: expect.stringMatching(why) });
    expect(serializeDetector(state)).toBe(before);
  });

  it("scores the points after a skipped one as if it had never come", () => {
    const values = seasonalValues(800, 6);
    const clean = createDetector();
    const dirty = createDetector();
    const points = pointsOf(values);
    points.forEach((p, i) => {
      const a = scorePoint(clean, p).result;
      if (i % 50 === 7) {
        // A duplicate and an out-of-order point (both with wild values), then a NaN.
        scorePoint(dirty, { timestamp: p.timestamp - 300_000, value: 1e9 });
        scorePoint(dirty, { timestamp: p.timestamp - 600_000, value: -1e9 });
        scorePoint(dirty, { timestamp: p.timestamp, value: Number.NaN });
      }
      expect(scorePoint(dirty, p).result).toEqual(a);
    });
  });
});

describe("state size", () => {
  it(`stays within ${MAX_STATE_BYTES} bytes of JSON after 10k points`, () => {
    const state = createDetector();
    const values = seasonalValues(10_000, 8).map((v, i) => (i % 1234 === 0 ? v * 1e7 + 0.123456789 : v * 1.000001));
    scored(state, values);
    expect(detectorStateBytes(state)).toBeLessThanOrEqual(MAX_STATE_BYTES);
  });
});
