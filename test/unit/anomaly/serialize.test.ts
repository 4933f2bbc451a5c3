import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  createDetector,
  DEFAULT_DETECTOR_CONFIG,
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

  it("stores short names: a long-named (version 1) state is larger by the names alone", () => {
    const state = createDetector();
    for (let i = 0; i < 500; i++) scorePoint(state, { timestamp: i * STEP, value: Math.sin(i / 7) + (i % 50 === 0 ? 9 : 0) });
    const stored = JSON.parse(serializeDetector(state)) as Record<string, unknown>;
    expect(stored.v).toBe(2);
    expect(Object.keys(stored).every((k) => k.length <= 2)).toBe(true);
    expect(serializeDetector(state).length).toBeLessThan(JSON.stringify(state).length - 250);
  });

  it.each([
    ["the default config", {}],
    ["the context table on", { contextWeight: 0.5, warmup: 20 }],
    ["no daily profile", { seasonSlots: 0, shingleSize: 1 }],
  ])("migrates a long-named (version 1) state with %s: it scores as the same state re-saved, to the bit", (_label, config) => {
    const points = Array.from({ length: 900 }, (_, i): MetricPoint => ({
      timestamp: 1_700_000_000_000 + i * 300_000,
      value: 10 + Math.sin(i / 12) + (i % 97 === 0 ? 8 : 0) + (i > 700 ? 3 : 0),
    }));
    const state = createDetector(config);
    for (const p of points.slice(0, 600)) scorePoint(state, p);
    // Version 1 stored the in-memory state as is, under its long names.
    const v1 = JSON.stringify(state);
    expect(JSON.parse(v1)).toMatchObject({ version: 1, baselineCalibration: {}, refractoryLeft: expect.any(Number) });
    const migrated = deserializeDetector(v1);
    const resaved = deserializeDetector(serializeDetector(deserializeDetector(v1)));
    expect(serializeDetector(migrated)).toBe(serializeDetector(state));
    for (const p of points.slice(600)) {
      const a = scorePoint(state, p).result;
      expect(scorePoint(migrated, p).result).toEqual(a);
      expect(scorePoint(resaved, p).result).toEqual(a);
    }
    expect(serializeDetector(resaved)).toBe(serializeDetector(migrated));
  });

  it("migrates a version-1 state saved before the profile's warm-up count existed (read and re-saved as 0)", () => {
    const state = createDetector();
    for (let i = 0; i < 700; i++) scorePoint(state, { timestamp: i * 600_000, value: Math.sin(i / 20) });
    const v1 = JSON.parse(JSON.stringify(state)) as { seasonal: { m?: number } };
    delete v1.seasonal.m;
    const loaded = deserializeDetector(JSON.stringify(v1));
    const resaved = deserializeDetector(serializeDetector(loaded));
    expect(resaved.seasonal.m).toBe(0);
    for (let i = 700; i < 900; i++) {
      const p = { timestamp: i * 600_000, value: Math.sin(i / 20) };
      expect(scorePoint(resaved, p).result).toEqual(scorePoint(loaded, p).result);
    }
  });

  it("loads a version-2 state saved before the visited extremes and the hold: it scores as the same state re-saved, to the bit", () => {
    const points = Array.from({ length: 900 }, (_, i): MetricPoint => ({
      timestamp: 1_700_000_000_000 + i * 300_000,
      value: 10 + Math.sin(i / 12) + (i % 97 === 0 ? 8 : 0) + (i > 700 ? 3 : 0),
    }));
    const state = createDetector();
    for (const p of points.slice(0, 600)) scorePoint(state, p);
    const stored = JSON.parse(serializeDetector(state)) as { nv: number[]; h?: number };
    stored.nv = stored.nv.slice(0, 3);
    delete stored.h;
    const loaded = deserializeDetector(JSON.stringify(stored));
    expect([loaded.novelty.vlo, loaded.novelty.vhi]).toEqual([loaded.novelty.lo, loaded.novelty.hi]);
    expect(loaded.hold).toBe(0);
    const resaved = deserializeDetector(serializeDetector(loaded));
    for (const p of points.slice(600)) expect(scorePoint(resaved, p).result).toEqual(scorePoint(loaded, p).result);
  });

  it("loads a version-2 state saved before the quiet record: it scores as the same state re-saved, to the bit", () => {
    const points = Array.from({ length: 900 }, (_, i): MetricPoint => ({
      timestamp: 1_700_000_000_000 + i * 300_000,
      value: 10 + Math.sin(i / 12) + (i % 17 === 0 ? 8 : 0) + (i > 700 ? 3 : 0),
    }));
    const state = createDetector();
    for (const p of points.slice(0, 600)) scorePoint(state, p);
    const stored = JSON.parse(serializeDetector(state)) as { q?: number[] };
    expect(stored.q).toHaveLength(3);
    delete stored.q;
    const loaded = deserializeDetector(JSON.stringify(stored));
    expect(loaded.quiet).toEqual([0, 0, 0]);
    const resaved = deserializeDetector(serializeDetector(loaded));
    for (const p of points.slice(600)) expect(scorePoint(resaved, p).result).toEqual(scorePoint(loaded, p).result);
  });

  it("loads a state saved under a larger default sample: its largest priorities are evicted, and it scores on", () => {
    const points = Array.from({ length: 700 }, (_, i): MetricPoint => ({
      timestamp: 1_700_000_000_000 + i * 300_000,
      value: 10 + Math.sin(i / 12) + (i % 17 === 0 ? 8 : 0),
    }));
    const state = createDetector({ sampleSize: 24 });
    for (const p of points.slice(0, 500)) scorePoint(state, p);
    const weights = [...state.forest.weights];
    expect(weights).toHaveLength(24);
    // Saved when 24 was the default: the override is not stored.
    const stored = JSON.parse(serializeDetector(state)) as { c: Record<string, unknown> };
    delete stored.c.sampleSize;
    const loaded = deserializeDetector(JSON.stringify(stored));
    const kept = [...weights].sort((a, b) => a - b).slice(0, DEFAULT_DETECTOR_CONFIG.sampleSize);
    expect([...loaded.forest.weights].sort((a, b) => a - b)).toEqual(kept);
    expect(loaded.forest.points).toHaveLength(kept.length * DEFAULT_DETECTOR_CONFIG.shingleSize);
    for (const p of points.slice(500)) expect(scorePoint(loaded, p).result).toHaveProperty("score");
    expect(loaded.forest.weights.length).toBeLessThanOrEqual(DEFAULT_DETECTOR_CONFIG.sampleSize);
  });

  it.each([
    ["a baseline of two numbers", { b: [1, 2] }, /baseline is malformed/],
    ["a calibration of three numbers", { fc: [1, 2, 3] }, /forest calibration is malformed/],
    ["a forest that is not an object", { f: [] }, /forest sample is malformed/],
    ["a text point count", { n: "12" }, /point count/],
    ["a short spike state", { sp: [1, 2] }, /spike-rate state/],
    ["a novelty state of four numbers", { nv: [1, 2, 1, 0] }, /novelty state is malformed/],
    ["a text hold", { h: "3" }, /hold or visited extremes/],
    ["a quiet record of two numbers", { q: [1, 2] }, /quiet-record state/],
  ])("rejects a version-2 state with %s", (_label, patch, why) => {
    const state = createDetector();
    for (let i = 0; i < 50; i++) scorePoint(state, { timestamp: i * STEP, value: i % 5 });
    const text = JSON.stringify({ ...(JSON.parse(serializeDetector(state)) as object), ...patch });
    expect(() => deserializeDetector(text)).toThrowError(InvalidDetectorStateError);
    expect(() => deserializeDetector(text)).toThrowError(why);
  });

  it.each([
    ["not JSON", "{", /not JSON/],
    ["another version", JSON.stringify({ version: 2 }), /version 1 or v 2/],
    ["a later stored version", JSON.stringify({ v: 3 }), /version 1 or v 2/],
    ["a missing forest", JSON.stringify({ version: 1, config: {} }), /missing/],
  ])("rejects %s", (_label, text, why) => {
    expect(() => deserializeDetector(text)).toThrowError(InvalidDetectorStateError);
    expect(() => deserializeDetector(text)).toThrowError(why);
  });
});
