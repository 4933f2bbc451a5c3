import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  createDetector,
  DEFAULT_DETECTOR_CONFIG,
  deserializeDetector,
  scorePoint,
  type PointScore,
} from "../../../core/anomaly";
import { createNovelty, lastExceed, noveltyOf } from "../../../core/anomaly/novelty";
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
  const shape = { recurMemory: 3, recurGapTolerance: 0.1, recurMultiples: 2 };

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

  it("still calls an onset recurrent when one occurrence in between stayed under the trigger (a gap of two periods)", () => {
    const day = 86_400_000;
    const r = createRecurrence();
    for (const t of [0, day, 3 * day]) rememberOnset(r, t, shape);
    expect(isRecurrent(r, 4 * day, shape)).toBe(true);
    expect(isRecurrent(r, 4 * day, { ...shape, recurMultiples: 1 })).toBe(false);
    expect(isRecurrent(r, 4.5 * day, shape)).toBe(false);
    expect(isRecurrent(r, 6 * day, shape)).toBe(false);
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

describe("range break against the visited extremes", () => {
  /** Exceedance of each value of `values` beyond the range, with the given visited-extremes rate. */
  function exceedances(values: number[], noveltyVisitedRate: number): number[] {
    const shape = { noveltyBins: 8, noveltyOrders: 3, noveltyTable: 256, noveltyDecay: 500, noveltyRangeRate: 0.0003, noveltyVisitedRate, contextWeight: 0 };
    const s = createNovelty(shape);
    return values.map((x) => {
      noveltyOf(s, x, shape, 10, 0.3);
      return lastExceed;
    });
  }

  it("is no break at a level visited before, once the range has contracted below it; a new extreme still is", () => {
    const rand = lcg(4);
    const values = Array.from({ length: 4000 }, () => 10 + rand() - 0.5);
    values[500] = 20;
    values[3500] = 19.5;
    values[3900] = 25;
    const visited = exceedances(values, 0.00001);
    const rangeOnly = exceedances(values, 0);
    expect(rangeOnly[3500]).toBeGreaterThan(0.1);
    expect(visited[3500]).toBe(0);
    expect(visited[3900]).toBeGreaterThan(0.1);
    expect(visited[3900]).toBe(rangeOnly[3900]);
  });
});

describe("lasting events", () => {
  const rand = lcg(3);
  // A shift that keeps growing for 400 points (still alerting when a refractory ends), and a spike inside it.
  const values = Array.from({ length: 2400 }, (_, i) => 10 + rand() - 0.5 + (i >= 1000 && i < 1400 ? 2 + 0.01 * (i - 1000) : 0));
  values[1300] = 60;
  const alerts = (config = {}) => scoredAll(values, config).flatMap((r, i) => (r.anomalous ? [i] : []));

  it("holds a chained detection's event quiet, and a much stronger event inside the hold still fires", () => {
    const held = alerts();
    const unheld = alerts({ chainHold: 0 });
    // The first detection after the shift's refractory ends is chained (it continues the event).
    expect(held.slice(0, 2)).toEqual([1000, 1000 + DEFAULT_DETECTOR_CONFIG.refractory + 1]);
    expect(unheld.slice(0, 2)).toEqual(held.slice(0, 2));
    expect(unheld.filter((i) => i > held[1]! && i < 1300).length).toBeGreaterThan(0);
    expect(held.filter((i) => i > held[1]! && i < 1300)).toEqual([]);
    expect(held).toContain(1300);
    expect(unheld).toContain(1300);
  });
});

describe("ordinary points", () => {
  it("lowers the drift and forest on a point within ordinarySpreads of the model, and only there", () => {
    const rand = lcg(8);
    // A shift of ~3 spreads creeping in: the drift adds up while each point stays ordinary.
    const values = Array.from({ length: 1500 }, (_, i) => 10 + rand() - 0.5 + Math.min(0.75, Math.max(0, (i - 900) / 200)));
    const damped = scoredAll(values);
    const undamped = scoredAll(values, { forestOrdinaryDamping: 1, driftOrdinaryDamping: 1 });
    // Scores feed back into the state only through alerts: up to the first alert that differs, the states agree.
    const split = damped.findIndex((r, i) => r.anomalous !== undamped[i]!.anomalous);
    expect(split).toBeGreaterThan(900);
    expect(undamped[split]!.anomalous).toBe(true);
    const devOf = (r: PointScore, x: number) => Math.abs(x - (r.expected.high + r.expected.low) / 2) / ((r.expected.high - r.expected.low) / 6);
    let lowered = 0;
    for (let i = 0; i < split; i++) {
      const [d, u] = [damped[i]!, undamped[i]!];
      if (devOf(d, values[i]!) >= DEFAULT_DETECTOR_CONFIG.ordinarySpreads) expect(d.score).toBe(u.score);
      else if (d.score !== u.score) {
        expect(d.score).toBeLessThan(u.score);
        lowered += 1;
      }
    }
    expect(lowered).toBeGreaterThan(0);
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
