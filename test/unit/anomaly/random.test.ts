import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { advanceRandom, mixSeed, mixSeed3, nextRandom, uniformAt } from "../../../core/anomaly/random";

const uint32 = fc.integer({ min: 0, max: 0xffffffff });

describe("mixSeed3", () => {
  it("equals mixSeed with the same three parts", () => {
    fc.assert(
      fc.property(uint32, fc.integer({ min: -50, max: 50 }), uint32, (a, b, c) => {
        expect(mixSeed3(a, b, c)).toBe(mixSeed(a, b, c));
      }),
    );
  });

  it("depends on the order of its parts", () => {
    expect(mixSeed3(7, 1, 2)).not.toBe(mixSeed3(7, 2, 1));
  });
});

describe("advanceRandom", () => {
  it("jumps to the state that as many nextRandom calls reach, with the same draw", () => {
    fc.assert(
      fc.property(uint32, fc.integer({ min: 0, max: 200 }), (seed, steps) => {
        let s = seed;
        let value = 0;
        for (let i = 0; i < steps; i++) ({ seed: s, value } = nextRandom(s));
        expect(advanceRandom(seed, steps)).toBe(s);
        if (steps > 0) expect(uniformAt(s)).toBe(value);
      }),
      { numRuns: 200 },
    );
  });
});
