import { describe, expect, it } from "vitest";
import { createDetector, deserializeDetector, scorePoint, serializeDetector } from "../../../core/anomaly";
import { isBursty, learnBurst } from "../../../core/anomaly/burst";
import { DEFAULT_DETECTOR_CONFIG } from "../../../core/anomaly/config";
import { lcg, pointsOf } from "./series-factory";

const SHAPE = { burstSpreads: 10, burstRate: 0.002, burstShare: 0.04 };

/** A floor near 0.1 with bursts of 4 points near 90 at irregular gaps of 3-82 points (a disk-write or batch-CPU shape). */
function burstyValues(n: number, seed = 4): number[] {
  const rand = lcg(seed);
  const values: number[] = [];
  let next = 30;
  for (let i = 0; i < n; i++) {
    const inBurst = i >= next && i < next + 4;
    if (i === next + 4) next = i + 3 + Math.floor(rand() * 80);
    values.push(inBurst ? 85 + 10 * rand() : 0.1 + 0.03 * (rand() - 0.5));
  }
  return values;
}

/** Scores every value with the given config and returns the scores and the final state. */
function scoreAll(values: number[], config = {}) {
  const state = createDetector(config);
  let alerts = 0;
  const scores = pointsOf(values).map((p) => {
    const { result } = scorePoint(state, p);
    if ("skipped" in result) throw new Error(result.skipped);
    if (result.anomalous) alerts += 1;
    return result.score;
  });
  return { scores, state, alerts };
}

describe("burst share", () => {
  it("converges to the share of far points and is bursty only past the threshold", () => {
    let share = 0;
    for (let i = 1; i <= 5000; i++) share = learnBurst(share, i % 10 === 0 ? -50 : 3, i, SHAPE);
    expect(share).toBeGreaterThan(0.08);
    expect(share).toBeLessThan(0.12);
    expect(isBursty(share, SHAPE)).toBe(true);
    for (let i = 5001; i <= 10_000; i++) share = learnBurst(share, 3, i, SHAPE);
    expect(isBursty(share, SHAPE)).toBe(false);
  });

  it("averages from the first point (1/n) and stays put when turned off", () => {
    expect(learnBurst(0, 20, 1, SHAPE)).toBe(1);
    expect(learnBurst(1, 0, 2, SHAPE)).toBe(0.5);
    const off = { ...SHAPE, burstSpreads: 0 };
    expect(learnBurst(0.3, 1e9, 10, off)).toBe(0.3);
    expect(isBursty(0.9, off)).toBe(false);
  });
});

describe("drift on a bursty series", () => {
  it("learns that a floor with bursts is bursty, and damps its drift surprise: lower scores, fewer alerts", () => {
    const values = burstyValues(3000);
    const gated = scoreAll(values);
    const ungated = scoreAll(values, { burstDamping: 1 });
    expect(gated.state.burst).toBeGreaterThanOrEqual(DEFAULT_DETECTOR_CONFIG.burstShare);
    let lower = 0;
    for (let i = 0; i < values.length; i++) {
      if (gated.scores[i]! < ungated.scores[i]! - 1e-12) lower += 1;
    }
    expect(lower).toBeGreaterThan(0);
    // Bursts that happen to come close together add up in the drift: alerts without the gate, none with it.
    expect(gated.alerts).toBeLessThan(ungated.alerts);
  });

  it("leaves a series that is not bursty alone: a level shift alerts as before", () => {
    const rand = lcg(11);
    const values = Array.from({ length: 1200 }, (_, i) => (i < 900 ? 10 : 14) + (rand() - 0.5));
    const gated = scoreAll(values);
    const ungated = scoreAll(values, { burstDamping: 1 });
    const first = gated.scores.findIndex((s, i) => i >= 900 && s >= DEFAULT_DETECTOR_CONFIG.alertScore);
    expect(first).toBeGreaterThanOrEqual(900);
    expect(first).toBeLessThan(920);
    expect(gated.scores.slice(0, first + 1)).toEqual(ungated.scores.slice(0, first + 1));
  });

  it("keeps the share across save and load, and starts it at 0 for states saved before it existed", () => {
    const { state } = scoreAll(burstyValues(800));
    expect(deserializeDetector(serializeDetector(state)).burst).toBe(state.burst);
    const stored = JSON.parse(serializeDetector(state)) as Record<string, unknown>;
    delete stored.bu;
    expect(deserializeDetector(JSON.stringify(stored)).burst).toBe(0);
  });
});
