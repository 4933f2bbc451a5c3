import type { MetricPoint } from "../../../core/anomaly";

/** Deterministic pseudo-random generator for test series (LCG). */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

const START = Date.UTC(2024, 0, 1);
const STEP = 300_000;

/** Points at a 5-minute cadence from the given values. */
export function pointsOf(values: number[]): MetricPoint[] {
  return values.map((value, i) => ({ timestamp: START + i * STEP, value }));
}

/** A noisy daily-seasonal series (period 288 points) around 50. */
export function seasonalValues(n: number, seed = 1): number[] {
  const rand = lcg(seed);
  return Array.from({ length: n }, (_, i) => 50 + 10 * Math.sin((2 * Math.PI * i) / 288) + 4 * (rand() - 0.5));
}
