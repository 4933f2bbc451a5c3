/**
 * Small deterministic PRNG (mulberry32). Its whole state is one uint32, so it
 * can live inside a detector's serialised state and replay exactly after a load.
 * The state moves by a constant step per draw, so it can also jump ahead in O(1).
 */

const STEP = 0x6d2b79f5;

/** The state `steps` draws after `seed` (what `steps` calls of `nextRandom` would reach). */
export function advanceRandom(seed: number, steps: number): number {
  return (seed + Math.imul(steps, STEP)) >>> 0;
}

/** The uniform draw in [0, 1) that `nextRandom` returns along with the (already advanced) `state`. */
export function uniformAt(state: number): number {
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/** Advances a mulberry32 state; returns the next state and a uniform draw in [0, 1). */
export function nextRandom(seed: number): { seed: number; value: number } {
  const next = advanceRandom(seed, 1);
  return { seed: next, value: uniformAt(next) };
}

const MIX_START = 0x811c9dc5;

/** One step of `mixSeed`: folds `part` into the running hash `h`. */
function mixIn(h: number, part: number): number {
  const g = Math.imul(h ^ (part >>> 0), 0x01000193) >>> 0;
  return Math.imul(g ^ (g >>> 13), 0x5bd1e995) >>> 0;
}

/** Mixes several integers into one uint32 seed (for per-tree, per-epoch streams). */
export function mixSeed(...parts: number[]): number {
  let h = MIX_START;
  for (const p of parts) h = mixIn(h, p);
  return h >>> 0;
}

/** `mixSeed(a, b, c)` without the argument array (called for every tree at every sample change). */
export function mixSeed3(a: number, b: number, c: number): number {
  return mixIn(mixIn(mixIn(MIX_START, a), b), c);
}
