import { describe, expect, it } from "vitest";
import { createDetector, scorePoint, type PointScore } from "../../../core/anomaly";
import { createQuiet, quietRecord, type QuietShape } from "../../../core/anomaly/quiet";
import { lcg, pointsOf } from "./series-factory";

const shape: QuietShape = { quietShare: 0.3, quietFactor: 3, quietRuns: 30 };
const PEAK = 3;

/** Feeds `runs` calm runs of `gap` points, each ended by a point at the peak; returns the state. */
function process(runs: number, gap: number): number[] {
  const s = createQuiet();
  for (let k = 0; k < runs; k++) {
    for (let i = 0; i < gap; i++) expect(quietRecord(s, 0.1, PEAK, shape)).toBe(false);
    expect(quietRecord(s, PEAK, PEAK, shape)).toBe(false);
  }
  return s;
}

describe("quietRecord", () => {
  it("fires once, at the first point of a calm run over 3x the longest earlier one", () => {
    const s = process(40, 9);
    expect(s).toEqual([0, 9, 40]);
    const fired: number[] = [];
    for (let i = 1; i <= 100; i++) if (quietRecord(s, 0.1, PEAK, shape)) fired.push(i);
    expect(fired).toEqual([28]);
  });

  it("counts a point under the share of the peak as calm, and one at it as an event ending the run", () => {
    const s = process(40, 9);
    expect(quietRecord(s, 0.29 * PEAK, PEAK, shape)).toBe(false);
    expect(s[0]).toBe(1);
    quietRecord(s, 0.3 * PEAK, PEAK, shape);
    expect(s).toEqual([0, 9, 41]);
  });

  it("needs `quietRuns` completed runs first: a young series has no calm to compare with", () => {
    const s = process(29, 9);
    let fired = false;
    for (let i = 0; i < 100; i++) fired ||= quietRecord(s, 0.1, PEAK, shape);
    expect(fired).toBe(false);
  });

  it("stays silent and leaves the state empty when off, or before any peak", () => {
    const s = createQuiet();
    expect(quietRecord(s, 0.1, PEAK, { ...shape, quietShare: 0 })).toBe(false);
    expect(quietRecord(s, 0.1, 0, shape)).toBe(false);
    expect(s).toEqual([0, 0, 0]);
  });
});

describe("quiet record in the detector", () => {
  // Noise with a burst every 15-25 points for 3000 points, then the bursts stop.
  const rand = lcg(11);
  const values = Array.from({ length: 3400 }, () => 100 + rand() - 0.5);
  for (let i = 200; i < 3000; i += 15 + Math.floor(rand() * 11)) values[i] = 130;
  const alerts = (config = {}): number[] => {
    const state = createDetector(config);
    return pointsOf(values).flatMap((p, i) => {
      const r = scorePoint(state, p).result as PointScore;
      return r.anomalous ? [i] : [];
    });
  };

  it("alerts once the bursts have stopped for over 3x the longest gap between them, and only with the quiet record on", () => {
    const withQuiet = alerts().filter((i) => i >= 3000);
    expect(withQuiet).toHaveLength(1);
    expect(withQuiet[0]).toBeGreaterThan(3000 + 3 * 15);
    expect(withQuiet[0]).toBeLessThan(3000 + 3 * 26);
    expect(alerts({ quietShare: 0 }).filter((i) => i >= 3000)).toEqual([]);
  });

  it("says why", () => {
    const state = createDetector();
    const reasons = pointsOf(values).map((p) => (scorePoint(state, p).result as PointScore).reason);
    expect(reasons.some((r) => r.includes("the series has gone quiet"))).toBe(true);
  });
});
