import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  createDetector,
  deserializeDetector,
  scorePoint,
  type PointScore,
} from "../../../core/anomaly";
import { createRecurrence, isRecurrent, rememberOnset } from "../../../core/anomaly/recurrence";
import { roundDigits } from "../../../core/anomaly/round";
import { lcg, pointsOf, seasonalValues } from "./series-factory";

function scoredAll(values: number[], config = {}): PointScore[] {
  const state = createDetector(config);
  return pointsOf(values).map((p) => {
    const { result } = scorePoint(state, p);
    if ("skipped" in result) throw new Error(`unexpected skip: ${result.skipped}`);
    return result;
  });
}

/** The noisy daily sine of `seasonalValues`, except on `flatDay`, when the daily swing does not come. */
function dailyWithFlatDay(days: number, flatDay: number): number[] {
  return seasonalValues(days * 288, 3).map((v, i) =>
    Math.floor(i / 288) === flatDay ? v - 10 * Math.sin((2 * Math.PI * i) / 288) : v);
}

const alertsByDay = (results: PointScore[]): number[] =>
  results.reduce((days, r, i) => {
    if (r.anomalous) days[Math.floor(i / 288)]! += 1;
    return days;
  }, new Array<number>(Math.ceil(results.length / 288)).fill(0));

describe("daily profile", () => {
  it("flags a day whose usual daily swing does not come, and not the ordinary days", () => {
    const days = alertsByDay(scoredAll(dailyWithFlatDay(8, 6)));
    expect(days.slice(1, 6)).toEqual([0, 0, 0, 0, 0]);
    expect(days[6]).toBeGreaterThan(0);
  });

  it("misses that day without the profile and the drift (the flat level cannot see it)", () => {
    const days = alertsByDay(scoredAll(dailyWithFlatDay(8, 6), { seasonSlots: 0, driftWeight: 0 }));
    expect(days[6]).toBe(0);
  });

  it("expects the daily shape: the expected range follows the time of day", () => {
    const results = scoredAll(seasonalValues(5 * 288, 4));
    const peak = results[4 * 288 + 72]!.expected;
    const trough = results[4 * 288 + 216]!.expected;
    expect(peak.low).toBeGreaterThan(trough.high);
  });
});

describe("recurring events", () => {
  const shape = { recurMemory: 3, recurGapTolerance: 0.1 };

  it("calls an onset recurrent only after three regularly spaced ones", () => {
    const r = createRecurrence();
    const hour = 3_600_000;
    expect(isRecurrent(r, 0, shape)).toBe(false);
    for (const t of [0, 5 * hour, 10 * hour]) rememberOnset(r, t, shape);
    expect(isRecurrent(r, 15 * hour, shape)).toBe(true);
    expect(isRecurrent(r, 12 * hour, shape)).toBe(false);
    rememberOnset(r, 12 * hour, shape);
    expect(r.onsets).toEqual([5 * hour, 10 * hour, 12 * hour]);
    expect(isRecurrent(r, 14 * hour, shape)).toBe(false);
  });

  it("stops alerting on growing spikes that come every 200 points, and still alerts on one out of step", () => {
    const rand = lcg(5);
    const values = Array.from({ length: 2100 }, () => 10 + rand() - 0.5);
    for (let k = 0; k < 8; k++) values[400 + 200 * k] = 10 + 20 * 1.6 ** k;
    values[2050] = 10 + 20 * 1.6 ** 9;
    const alerts = (config = {}) => scoredAll(values, config).flatMap((r, i) => (r.anomalous ? [i] : []));
    const periodic = [1000, 1200, 1400, 1600, 1800];
    expect(alerts({ recurMemory: 0 })).toEqual(expect.arrayContaining([...periodic, 2050]));
    const withMemory = alerts();
    expect(withMemory.filter((i) => periodic.includes(i))).toEqual([]);
    expect(withMemory).toContain(2050);
  });
});

describe("recent largest deviation", () => {
  it("damps a spike no larger than one seen recently, and not the first one", () => {
    const rand = lcg(9);
    const values = Array.from({ length: 1600 }, () => 10 + rand() - 0.5);
    values[1000] = 30;
    values[1100] = 22;
    // Only the voices it damps (level, forest): the drift and range break are left out.
    const only = { driftWeight: 0, noveltyWeight: 0 };
    const damped = scoredAll(values, only);
    const undamped = scoredAll(values, { ...only, peakHorizon: 0 });
    expect(damped[1000]!.score).toBe(undamped[1000]!.score);
    expect(damped[1100]!.score).toBeLessThan(undamped[1100]!.score);
  });
});

describe("state", () => {
  it("loads a state saved before the daily profile, drift and recurrence memory existed", () => {
    const state = createDetector();
    for (const p of pointsOf(seasonalValues(300, 2))) scorePoint(state, p);
    // Version 1 stored the in-memory state under its long names.
    const old = JSON.parse(JSON.stringify(state)) as Record<string, unknown>;
    for (const key of ["seasonal", "drift", "driftCalibration", "peak", "recurrence"]) delete old[key];
    const loaded = deserializeDetector(JSON.stringify(old));
    expect(loaded.seasonal.levels).toHaveLength(24);
    expect(loaded.recurrence.onsets).toEqual([]);
    const next = scorePoint(loaded, { timestamp: (state.lastTimestamp ?? 0) + 300_000, value: 2 }).result;
    expect("score" in next && next.score >= 0 && next.score <= 1).toBe(true);
  });
});

describe("roundDigits", () => {
  it("keeps at most the given significant digits, within half a unit of the last one", () => {
    fc.assert(
      fc.property(fc.double({ min: -1e15, max: 1e15, noNaN: true }), fc.integer({ min: 3, max: 9 }), (x, digits) => {
        const r = roundDigits(x, digits);
        const mantissa = Math.abs(r).toExponential().split("e")[0]!.replace(".", "").replace(/0+$/, "");
        expect(mantissa.length).toBeLessThanOrEqual(digits);
        expect(Math.abs(r - x)).toBeLessThanOrEqual(Math.abs(x) * 0.5 * 10 ** (1 - digits) * (1 + 1e-9) + 1e-300);
      }),
    );
  });
});
