import { describe, expect, it } from "vitest";
import { createDetector, deserializeDetector, scorePoint, serializeDetector } from "../../../core/anomaly";
import type { DetectorConfig } from "../../../core/anomaly/config";
import { createSpikes, isSpike, pushSpike, spikeCount, spikeSurprise } from "../../../core/anomaly/spikes";

const SHAPE = { spikeLevel: 4, spikeSdFloor: 1 };

describe("spike bits", () => {
  it("counts set bits of any 32-bit pattern like a plain loop", () => {
    for (const bits of [0, 1, 0x80000000, 0xffffffff, 0x12345678, 0xdeadbeef, 0x55555555]) {
      let expected = 0;
      for (let i = 0; i < 32; i++) expected += (bits >>> i) & 1;
      expect(spikeCount(bits)).toBe(expected);
    }
  });

  it("keeps only the last 32 points: the 33rd push drops the oldest spike", () => {
    let bits = pushSpike(0, true);
    for (let i = 0; i < 31; i++) bits = pushSpike(bits, false);
    expect(spikeCount(bits)).toBe(1);
    expect(spikeCount(pushSpike(bits, false))).toBe(0);
  });

  it("calls a deviation a spike only beyond the level, and never when the level is 0", () => {
    expect(isSpike(4.5, SHAPE)).toBe(true);
    expect(isSpike(-4.5, SHAPE)).toBe(true);
    expect(isSpike(3.9, SHAPE)).toBe(false);
    expect(isSpike(1e9, { spikeLevel: 0, spikeSdFloor: 1 })).toBe(false);
  });
});

describe("spikeSurprise", () => {
  /** Feeds `points` deviations: a spike every `period` points, and returns the last surprise. */
  const feed = (s: number[], points: number, period: number): number => {
    let last = 0;
    for (let i = 0; i < points; i++) last = spikeSurprise(s, i % period === 0 ? 10 : 0, SHAPE, 0.0005);
    return last;
  };

  it("is not surprised by spikes at the series' usual rate", () => {
    const s = createSpikes();
    feed(s, 2000, 12);
    let max = 0;
    for (let i = 0; i < 100; i++) max = Math.max(max, spikeSurprise(s, i % 12 === 0 ? 10 : 0, SHAPE, 0.0005));
    expect(max).toBeLessThan(0.35);
  });

  it("is surprised when the spikes come much faster than usual (every 3 points instead of every 12)", () => {
    const s = createSpikes();
    feed(s, 2000, 12);
    let max = 0;
    for (let i = 0; i < 40; i++) max = Math.max(max, spikeSurprise(s, i % 3 === 0 ? 10 : 0, SHAPE, 0.0005));
    expect(max).toBeGreaterThan(0.5);
  });

  it("measures a rarely spiking series' count in at least one spike: two spikes in 32 points are no alert", () => {
    const burst = (shape: typeof SHAPE): number => {
      const s = createSpikes();
      feed(s, 2000, 1000);
      let max = 0;
      for (let i = 0; i < 32; i++) max = Math.max(max, spikeSurprise(s, i === 5 || i === 20 ? 10 : 0, shape, 0.0005));
      return max;
    };
    expect(burst(SHAPE)).toBeLessThan(0.35);
    expect(burst({ ...SHAPE, spikeSdFloor: 0 })).toBeGreaterThan(0.35);
  });

  it("stays 0 and leaves the state empty when the spike rate is off", () => {
    const s = createSpikes();
    expect(spikeSurprise(s, 100, { spikeLevel: 0, spikeSdFloor: 1 }, 0.0005)).toBe(0);
    expect(s).toEqual([0, 0, 0, 0]);
  });
});

describe("spike rate in the detector", () => {
  /** Alerts after point 1000 on noise around 10 with a spike to 40 every 12 points, then every 3 from 2500. */
  const alerts = (config: Partial<DetectorConfig>): number[] => {
    const state = createDetector(config);
    let seed = 1;
    const noise = (): number => (seed = Math.imul(seed, 48271) >>> 0) / 2 ** 32 - 0.5;
    const found: number[] = [];
    for (let i = 0; i < 2560; i++) {
      const period = i < 2500 ? 12 : 3;
      const { result } = scorePoint(state, { timestamp: i * 300_000, value: (i % period === 0 ? 40 : 10) + noise() });
      if (i >= 1000 && !("skipped" in result) && result.anomalous) found.push(i);
    }
    return found;
  };

  it("alerts when spikes every 12 points start coming every 3 (the drift off, so the spike rate alone)", () => {
    const found = alerts({ driftWeight: 0 });
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((i) => i >= 2500)).toBe(true);
    expect(alerts({ driftWeight: 0, spikeLevel: 0 })).toEqual([]);
  });

  it("round-trips its state through save and load", () => {
    const state = createDetector();
    for (let i = 0; i < 300; i++) scorePoint(state, { timestamp: i * 1000, value: i % 7 === 0 ? 50 : 1 });
    expect(deserializeDetector(serializeDetector(state)).spikes).toEqual(state.spikes);
    expect(() => deserializeDetector(serializeDetector({ ...state, spikes: [1, 2] }))).toThrow(/spike-rate state/);
  });
});
