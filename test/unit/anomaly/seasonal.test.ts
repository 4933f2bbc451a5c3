import { describe, expect, it } from "vitest";
import { createDetector, deserializeDetector, scorePoint, serializeDetector } from "../../../core/anomaly";
import {
  createSeasonal,
  lastSeasonalExpected,
  seasonalExpected,
  updateSeasonal,
  type SeasonalState,
} from "../../../core/anomaly/seasonal";
import { lcg } from "./series-factory";

const HOUR = 3_600_000;
const START = Date.UTC(2024, 0, 1);
const shape = { seasonSlots: 24, seasonDailyRate: 0.5 };

/** Hourly values: a daily swing of +-1 around 10 plus uniform noise of width `noise`. */
function hourly(days: number, noise: number, seed: number): number[] {
  const rand = lcg(seed);
  return Array.from({ length: days * 24 }, (_, i) => 10 + Math.sin((2 * Math.PI * i) / 24) + noise * (rand() - 0.5));
}

/** Feeds hourly values to a fresh profile; returns it and the deviations it reported. */
function learned(values: number[]): { s: SeasonalState; devs: number[] } {
  const s = createSeasonal(shape);
  const devs: number[] = [];
  values.forEach((x, i) => {
    const dev = updateSeasonal(s, START + i * HOUR, x, i === 0 ? null : START + (i - 1) * HOUR, shape);
    if (dev !== null) devs.push(dev);
  });
  return { s, devs };
}

describe("daily profile spread", () => {
  it("settles near the noise's mean absolute deviation on hourly data (one point per slot and day)", () => {
    // Uniform noise of width 2 has a mean absolute deviation of 0.5; a profile learned at 50% a day adds some.
    const { s } = learned(hourly(30, 2, 5));
    expect(s.spread).toBeGreaterThan(0.3);
    expect(s.spread).toBeLessThan(1.2);
  });

  it("scores ordinary points at a few spreads, not thousands", () => {
    const { devs } = learned(hourly(30, 2, 6));
    const late = devs.slice(-24 * 10).map(Math.abs).sort((a, b) => a - b);
    expect(late[Math.floor(late.length / 2)]!).toBeLessThan(3);
    expect(late[late.length - 1]!).toBeLessThan(10);
  });

  it("re-learns the spread of a state saved before the warm-up count existed", () => {
    const { s } = learned(hourly(10, 2, 7));
    const legacy: SeasonalState = { levels: [...s.levels], spread: 1e-6, gap: s.gap };
    const values = hourly(20, 2, 8).slice(10 * 24);
    values.forEach((x, i) => {
      const t = START + (10 * 24 + i) * HOUR;
      updateSeasonal(legacy, t, x, t - HOUR, shape);
    });
    expect(legacy.spread).toBeGreaterThan(0.3);
  });
});

describe("profile learning", () => {
  it("learns the same, interleaved with a profile of another sampling gap (its cached rate is per gap)", () => {
    const values = hourly(6, 1, 9);
    const alone = learned(values);
    const s = createSeasonal(shape);
    const other = createSeasonal(shape);
    const devs: number[] = [];
    values.forEach((x, i) => {
      const t = START + i * HOUR;
      // Every 5 minutes: a different gap, hence a different per-point rate, between two hourly points.
      updateSeasonal(other, START + i * 300_000, x, i === 0 ? null : START + (i - 1) * 300_000, shape);
      const before = seasonalExpected(s, t);
      const dev = updateSeasonal(s, t, x, i === 0 ? null : t - HOUR, shape);
      expect(lastSeasonalExpected).toBe(dev === null ? null : before);
      if (dev !== null) devs.push(dev);
    });
    expect(devs).toEqual(alone.devs);
    expect(s).toEqual(alone.s);
  });
});

describe("model selection on hourly data", () => {
  /** The reason given for a 50-unit spike after `values` (the reason names the model in use). */
  const reasonOfSpikeAfter = (values: number[]): string => {
    const state = createDetector();
    values.forEach((value, i) => scorePoint(state, { timestamp: START + i * HOUR, value }));
    const { result } = scorePoint(state, { timestamp: START + values.length * HOUR, value: values.at(-1)! + 50 });
    return "skipped" in result ? result.skipped : result.reason;
  };

  it("keeps the flat level for noise without a daily cycle, and takes the profile for a strong one", () => {
    const rand = lcg(9);
    const noise = Array.from({ length: 24 * 20 }, () => 10 + 2 * (rand() - 0.5));
    const daily = hourly(20, 0.4, 10).map((v) => 10 + 5 * (v - 10));
    expect(reasonOfSpikeAfter(noise)).toContain("flat level");
    expect(reasonOfSpikeAfter(daily)).toContain("daily profile");
  });

  it("never changes a later score across a save and load while the profile warms up", () => {
    const values = hourly(6, 2, 11);
    const a = createDetector();
    const scoresA = values.map((value, i) => scorePoint(a, { timestamp: START + i * HOUR, value }).result);
    let b = createDetector();
    const scoresB = values.map((value, i) => {
      b = deserializeDetector(serializeDetector(b));
      return scorePoint(b, { timestamp: START + i * HOUR, value }).result;
    });
    expect(scoresB).toEqual(scoresA);
  });
});
