/**
 * Small deterministic PRNG (mulberry32). Its whole state is one uint32, so it
 * can live inside a detector's serialised state and replay exactly after a load.
 */

/** Advances a mulberry32 state; returns the next state and a uniform draw in [0, 1). */
export function nextRandom(seed: number): { seed: number; value: number } {
  const next = (seed + 0x6d2b79f5) >>> 0;
  let t = next;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return { seed: next, value: ((t ^ (t >>> 14)) >>> 0) / 4294967296 };
}

/** Mixes several integers into one uint32 seed (for per-tree, per-epoch streams). */
export function mixSeed(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const p of parts) {
    h = Math.imul(h ^ (p >>> 0), 0x01000193) >>> 0;
    h = Math.imul(h ^ (h >>> 13), 0x5bd1e995) >>> 0;
  }
  return h >>> 0;
}
