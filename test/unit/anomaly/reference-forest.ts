/**
 * The forest as it was before the lazy-tree speed-up (git 4c2ae83, core/anomaly/forest.ts), kept
 * only here as the reference the fast implementation must match to the bit: every tree built in
 * full whenever the sample changes. Same reservoir code; used by forest-reference.test.ts.
 */

/** Advances a mulberry32 state; returns the next state and a uniform draw in [0, 1). */
function nextRandom(seed: number): { seed: number; value: number } {
  const next = (seed + 0x6d2b79f5) >>> 0;
  let t = next;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return { seed: next, value: ((t ^ (t >>> 14)) >>> 0) / 4294967296 };
}

/** Mixes several integers into one uint32 seed (for per-tree, per-epoch streams). */
function mixSeed(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const p of parts) {
    h = Math.imul(h ^ (p >>> 0), 0x01000193) >>> 0;
    h = Math.imul(h ^ (h >>> 13), 0x5bd1e995) >>> 0;
  }
  return h >>> 0;
}

export interface ForestState {
  /** Sampled shingles, flattened (`sampleSize * shingleSize` numbers at most). */
  points: number[];
  /** Reservoir priority of each sampled shingle; the largest is evicted first. */
  weights: number[];
  /** Shingles offered to the reservoir so far. */
  seq: number;
  /** Bumped whenever the sample changes; part of the trees' seed. */
  epoch: number;
  /** PRNG state of the reservoir draws. */
  rng: number;
}

/** Shape parameters of a forest. */
export interface ForestShape {
  shingleSize: number;
  trees: number;
  sampleSize: number;
  timeDecay: number;
  seed: number;
}

interface Tree {
  cutDim: Int32Array;
  cutVal: Float64Array;
  left: Int32Array;
  right: Int32Array;
  mass: Int32Array;
  /** Sample index of a leaf's point, -1 for an internal node. */
  leaf: Int32Array;
  boxMin: Float64Array;
  boxMax: Float64Array;
}

interface Built {
  epoch: number;
  count: number;
  /** The sample as a typed array: monomorphic, fast reads during builds and scoring. */
  points: Float64Array;
  trees: Tree[];
}

// Trees are derived data: never serialised, rebuilt when the epoch moves.
const cache = new WeakMap<ForestState, Built>();

/** An empty forest state. */
export function createForest(seed: number): ForestState {
  return { points: [], weights: [], seq: 0, epoch: 0, rng: mixSeed(seed, 0x5eed) };
}

/** Rounds to 5 significant digits so the stored sample stays small in JSON. */
export function roundSignificant(x: number): number {
  if (x === 0 || !Number.isFinite(x)) return x;
  return Number(x.toPrecision(5));
}

/**
 * Offers one shingle to the time-decayed reservoir (mutates `forest`).
 * Priority is `-lambda * seq + log(-log(u))`; the sample keeps the lowest,
 * so recent shingles are favoured and old ones fade out at rate lambda.
 */
export function offerShingle(forest: ForestState, shingle: ArrayLike<number>, shape: ForestShape): void {
  const draw = nextRandom(forest.rng);
  forest.rng = draw.seed;
  const u = Math.min(Math.max(draw.value, 1e-12), 1 - 1e-12);
  const weight = Math.round((-shape.timeDecay * forest.seq + Math.log(-Math.log(u))) * 1e4) / 1e4;
  forest.seq += 1;
  const d = shape.shingleSize;
  let slot = forest.weights.length;
  if (slot >= shape.sampleSize) {
    slot = 0;
    for (let i = 1; i < forest.weights.length; i++) {
      if ((forest.weights[i] as number) > (forest.weights[slot] as number)) slot = i;
    }
    if (weight >= (forest.weights[slot] as number)) return;
  }
  forest.weights[slot] = weight;
  for (let j = 0; j < d; j++) forest.points[slot * d + j] = roundSignificant(shingle[j] as number);
  forest.epoch += 1;
}

function allocTree(capacity: number, d: number): Tree {
  const nodes = 2 * capacity;
  return {
    cutDim: new Int32Array(nodes),
    cutVal: new Float64Array(nodes),
    left: new Int32Array(nodes),
    right: new Int32Array(nodes),
    mass: new Int32Array(nodes),
    leaf: new Int32Array(nodes),
    boxMin: new Float64Array(nodes * d),
    boxMax: new Float64Array(nodes * d),
  };
}

// Scratch buffers shared by every build (builds never interleave: JS is single-threaded).
let scratchIdx = new Int32Array(64);
let scratchStack = new Int32Array(3 * 128);

function buildTree(tree: Tree, points: Float64Array, count: number, d: number, seed: number): void {
  if (scratchIdx.length < count) {
    scratchIdx = new Int32Array(count);
    scratchStack = new Int32Array(6 * count);
  }
  const idx = scratchIdx;
  const stack = scratchStack;
  for (let i = 0; i < count; i++) idx[i] = i;
  let rng = seed;
  let next = 1;
  // Explicit stack of (node, lo, hi): no closures or allocations per build.
  let top = 0;
  stack[top++] = 0;
  stack[top++] = 0;
  stack[top++] = count;
  while (top > 0) {
    const hi = stack[--top] as number;
    const lo = stack[--top] as number;
    const node = stack[--top] as number;
    tree.mass[node] = hi - lo;
    let span = 0;
    for (let j = 0; j < d; j++) {
      let mn = Infinity;
      let mx = -Infinity;
      for (let i = lo; i < hi; i++) {
        const v = points[(idx[i] as number) * d + j] as number;
        if (v < mn) mn = v;
        if (v > mx) mx = v;
      }
      tree.boxMin[node * d + j] = mn;
      tree.boxMax[node * d + j] = mx;
      span += mx - mn;
    }
    if (!(span > 0) || hi - lo <= 1) {
      tree.leaf[node] = idx[lo] as number;
      continue;
    }
    tree.leaf[node] = -1;
    const draw = nextRandom(rng);
    rng = draw.seed;
    // Cut dimension chosen in proportion to its range, value uniform within it.
    let r = draw.value * span;
    let dim = -1;
    let lastPositive = 0;
    for (let k = 0; k < d; k++) {
      const range = (tree.boxMax[node * d + k] as number) - (tree.boxMin[node * d + k] as number);
      if (!(range > 0)) continue;
      lastPositive = k;
      if (r < range) {
        dim = k;
        break;
      }
      r -= range;
    }
    // Rounding can leave r past every range: take the last dimension that has one. A dimension
    // without range would put every point on one side and never split.
    if (dim < 0) {
      dim = lastPositive;
      r = 0;
    }
    const mn = tree.boxMin[node * d + dim] as number;
    const mx = tree.boxMax[node * d + dim] as number;
    let cut = mn + r;
    // Where rounding puts the cut on the maximum, cut at the minimum instead: both sides stay non-empty.
    if (!(cut < mx)) cut = mn;
    let i = lo;
    let j = hi - 1;
    while (i <= j) {
      if ((points[(idx[i] as number) * d + dim] as number) <= cut) i++;
      else {
        const t = idx[i] as number;
        idx[i] = idx[j] as number;
        idx[j] = t;
        j--;
      }
    }
    tree.cutDim[node] = dim;
    tree.cutVal[node] = cut;
    const left = next++;
    const right = next++;
    tree.left[node] = left;
    tree.right[node] = right;
    stack[top++] = right;
    stack[top++] = i;
    stack[top++] = hi;
    stack[top++] = left;
    stack[top++] = lo;
    stack[top++] = i;
  }
}

function treesOf(forest: ForestState, shape: ForestShape): Built {
  const d = shape.shingleSize;
  const count = forest.weights.length;
  let built = cache.get(forest);
  if (built && built.epoch === forest.epoch && built.count === count) return built;
  const trees = built?.trees.length === shape.trees ? built.trees : [];
  const points = built?.points.length === shape.sampleSize * d ? built.points : new Float64Array(shape.sampleSize * d);
  points.set(forest.points);
  for (let t = 0; t < shape.trees; t++) {
    const tree = trees[t] ?? allocTree(shape.sampleSize, d);
    trees[t] = tree;
    buildTree(tree, points, count, d, mixSeed(shape.seed, t, forest.epoch));
  }
  built = { epoch: forest.epoch, count, points, trees };
  cache.set(forest, built);
  return built;
}

const path = new Int32Array(256);

function scoreTree(tree: Tree, points: Float64Array, q: ArrayLike<number>, d: number, total: number): number {
  let node = 0;
  let depth = 0;
  while ((tree.leaf[node] as number) < 0) {
    path[depth++] = node;
    node = (q[tree.cutDim[node] as number] as number) <= (tree.cutVal[node] as number)
      ? (tree.left[node] as number)
      : (tree.right[node] as number);
  }
  const leafIdx = tree.leaf[node] as number;
  const leafMass = tree.mass[node] as number;
  let same = true;
  for (let j = 0; j < d && same; j++) same = points[leafIdx * d + j] === q[j];
  // AWS RCF's default score functions: seen points are damped by their mass.
  let score = same
    ? (1 - leafMass / (2 * total)) / (depth + Math.log2(leafMass + 1))
    : 1 / (depth + 1);
  for (let k = depth - 1; k >= 0; k--) {
    const n = path[k] as number;
    let outside = 0;
    let range = 0;
    for (let j = 0; j < d; j++) {
      const lo = tree.boxMin[n * d + j] as number;
      const hi = tree.boxMax[n * d + j] as number;
      const v = q[j] as number;
      if (v < lo) outside += lo - v;
      else if (v > hi) outside += v - hi;
      range += hi - lo;
    }
    if (outside > 0) {
      const p = outside / (range + outside);
      score = (1 - p) * score + p / (k + 1);
    }
  }
  return score;
}

/**
 * Anomaly score of a shingle against the forest (AWS RCF's scale: about 1 for
 * a typical point, higher the easier it is to isolate). 0 while the sample is tiny.
 */
export function scoreShingle(forest: ForestState, shingle: ArrayLike<number>, shape: ForestShape): number {
  const count = forest.weights.length;
  if (count < 4) return 0;
  const { trees, points } = treesOf(forest, shape);
  let sum = 0;
  for (const tree of trees) sum += scoreTree(tree, points, shingle, shape.shingleSize, count);
  return (sum / trees.length) * Math.log2(count + 1);
}
