import fc from "fast-check";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_DETECTOR_CONFIG } from "../../../core/anomaly";
import * as fast from "../../../core/anomaly/forest";
import * as reference from "./reference-forest";
import { lcg, seasonalValues } from "./series-factory";

type Shape = fast.ForestShape;
const DEFAULT_SHAPE: Shape = DEFAULT_DETECTOR_CONFIG;
const nabData = path.resolve(process.cwd(), "../shared/nab/data");

/**
 * Feeds the same values through the fast forest and the reference (full rebuild) forest the way
 * the detector does (score the shingle, then offer it) and returns the first difference, if any.
 * `reloadEvery` > 0 replaces the fast state by a JSON copy now and then, as a load does.
 */
function firstDifference(values: readonly number[], shape: Shape, reloadEvery = 0): string | null {
  let mine = fast.createForest(shape.seed);
  const ref = reference.createForest(shape.seed);
  const recent: number[] = [];
  for (let i = 0; i < values.length; i++) {
    recent.push(values[i] as number);
    if (recent.length > shape.shingleSize) recent.shift();
    if (recent.length < shape.shingleSize) continue;
    if (reloadEvery > 0 && i % reloadEvery === reloadEvery - 1) mine = JSON.parse(JSON.stringify(mine)) as fast.ForestState;
    const a = fast.scoreShingle(mine, recent, shape);
    const b = reference.scoreShingle(ref, recent, shape);
    if (!Object.is(a, b)) return `point ${i}: score ${a} instead of ${b}`;
    fast.offerShingle(mine, recent, shape);
    reference.offerShingle(ref, recent, shape);
  }
  const [x, y] = [JSON.stringify(mine), JSON.stringify(ref)];
  return x === y ? null : `final state differs:\n${x}\n${y}`;
}

function nabValues(): [string, number[]][] {
  const out: [string, number[]][] = [];
  for (const dir of readdirSync(nabData).sort()) {
    for (const f of readdirSync(path.join(nabData, dir)).sort()) {
      if (!f.endsWith(".csv")) continue;
      const rows = readFileSync(path.join(nabData, dir, f), "utf8").split(/\r?\n/).slice(1).filter((l) => l.trim() !== "");
      out.push([`${dir}/${f}`, rows.map((l) => Number(l.split(",")[1]))]);
    }
  }
  return out;
}

describe("forest: same raw scores as the reference implementation (full tree rebuilds)", () => {
  it("on seasonal series, spikes, flat runs and repeated values, with several shapes", () => {
    const rand = lcg(11);
    const values = seasonalValues(6000, 4).map((v, i) => {
      if (i % 701 === 3) return v * 50;
      if (i > 2000 && i < 2600) return 7;
      if (i > 3000 && i < 3500) return [1, 2, 3][i % 3] as number;
      return rand() < 0.2 ? Math.round(v) : v;
    });
    const shapes: Shape[] = [
      DEFAULT_SHAPE,
      { shingleSize: 1, trees: 3, sampleSize: 4, timeDecay: 0.05, seed: 1 },
      { shingleSize: 8, trees: 9, sampleSize: 64, timeDecay: 0.001, seed: 123456789 },
      { shingleSize: 2, trees: 1, sampleSize: 17, timeDecay: 0, seed: 0xffffffff },
    ];
    for (const shape of shapes) {
      expect(firstDifference(values, shape), JSON.stringify(shape)).toBeNull();
      expect(firstDifference(values, shape, 37), `${JSON.stringify(shape)} with reloads`).toBeNull();
    }
  });

  it("on random series (duplicates, huge and tiny values), random shapes, with reloads", () => {
    const value = fc.oneof(
      { weight: 10, arbitrary: fc.double({ min: -1e3, max: 1e3, noNaN: true }) },
      { weight: 5, arbitrary: fc.integer({ min: -2, max: 2 }) },
      // Not beyond 1e300: a value that rounds past Number.MAX_VALUE is stored as Infinity (see forest.ts).
      { weight: 1, arbitrary: fc.double({ min: -1e300, max: 1e300, noNaN: true }) },
      { weight: 1, arbitrary: fc.double({ min: -1e-300, max: 1e-300, noNaN: true }) },
    );
    const shape = fc.record({
      shingleSize: fc.integer({ min: 1, max: 8 }),
      trees: fc.integer({ min: 1, max: 6 }),
      sampleSize: fc.integer({ min: 4, max: 64 }),
      timeDecay: fc.constantFrom(0, 1 / 320, 0.01, 0.3),
      seed: fc.nat(),
    });
    fc.assert(
      fc.property(fc.array(value, { minLength: 10, maxLength: 600 }), shape, fc.integer({ min: 0, max: 50 }), (values, s, reload) => {
        expect(firstDifference(values, s, reload)).toBeNull();
      }),
      { numRuns: 200 },
    );
  });

  it("when many forests are scored in turn (each finds its trees in the pool, rebuilt when its sample moved)", () => {
    const series = Array.from({ length: 7 }, (_, k) => seasonalValues(1500, k + 1).map((v, i) => (k % 2 === 0 && i % 5 === 0 ? 3 : v)));
    const mine = series.map(() => fast.createForest(DEFAULT_SHAPE.seed));
    const ref = series.map(() => reference.createForest(DEFAULT_SHAPE.seed));
    const d = DEFAULT_SHAPE.shingleSize;
    for (let i = d; i <= 1500; i++) {
      // A varying order, so some forests are scored again before their sample moves and others after.
      for (let k = 0; k < series.length; k += i % 3 === 0 ? 1 : 2) {
        const shingle = (series[k] as number[]).slice(i - d, i);
        expect(fast.scoreShingle(mine[k]!, shingle, DEFAULT_SHAPE)).toBe(reference.scoreShingle(ref[k]!, shingle, DEFAULT_SHAPE));
        fast.offerShingle(mine[k]!, shingle, DEFAULT_SHAPE);
        reference.offerShingle(ref[k]!, shingle, DEFAULT_SHAPE);
      }
    }
  });

  it("when more forests than the tree pool holds take turns, with two shapes sharing the pool", () => {
    // Large trees: the pool (8 MiB) holds 5 sets of this shape, so 9 forests in turn keep evicting each other.
    const big: Shape = { shingleSize: 16, trees: 40, sampleSize: 64, timeDecay: 0.01, seed: 5 };
    const shapes = Array.from({ length: 9 }, (_, k) => (k % 3 === 2 ? DEFAULT_SHAPE : big));
    const series = shapes.map((_, k) => seasonalValues(120, k + 3).map((v, i) => (i % 7 === k % 7 ? 2 : v)));
    const mine = shapes.map((s) => fast.createForest(s.seed));
    const ref = shapes.map((s) => reference.createForest(s.seed));
    for (let i = 16; i <= 120; i++) {
      for (let k = 0; k < shapes.length; k += i % 4 === 0 ? 1 : 2) {
        const shape = shapes[k] as Shape;
        const shingle = (series[k] as number[]).slice(i - shape.shingleSize, i);
        expect(fast.scoreShingle(mine[k]!, shingle, shape), `forest ${k} point ${i}`).toBe(reference.scoreShingle(ref[k]!, shingle, shape));
        fast.offerShingle(mine[k]!, shingle, shape);
        reference.offerShingle(ref[k]!, shingle, shape);
      }
    }
  }, 60_000);

  describe.skipIf(!existsSync(nabData))(`on every NAB file (needs ${nabData})`, () => {
    it("with the default shape", () => {
      for (const [name, values] of nabValues()) expect(firstDifference(values, DEFAULT_SHAPE), name).toBeNull();
    }, 120_000);
  });
});
