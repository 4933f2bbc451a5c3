import { advanceRandom, mixSeed, mixSeed3, uniformAt } from "./random";
import { toPrecisionNumber } from "./round";

/**
 * A streaming Random Cut Forest in the manner of AWS's RCF, shrunk to fit a
 * per-series state of a few hundred numbers.
 *
 * The serialised part is only the time-decayed reservoir (shingles and their
 * priorities) plus counters. The trees are a pure function of that sample,
 * the seed and the sample's epoch, so they are built on demand and cached
 * outside the state: a loaded state builds exactly the trees the saved one had.
 *
 * A tree is defined as if built in full, top-down and left subtree first, from one random
 * stream per tree; but only the nodes that queries reach are built (lazily, once per epoch).
 * A node's stream position is known without building what lies to its left: each internal
 * node takes one draw, and a subtree has (distinct points - 1) internal nodes, because cuts
 * always split and identical points are never separated. The sample changes about once in ten
 * points and a query reaches a handful of nodes per tree, so most nodes are never built.
 */
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

/** An empty forest state. */
export function createForest(seed: number): ForestState {
  return { points: [], weights: [], seq: 0, epoch: 0, rng: mixSeed(seed, 0x5eed) };
}

/** Rounds to 5 significant digits so the stored sample stays small in JSON. */
export function roundSignificant(x: number): number {
  return toPrecisionNumber(x, 5);
}

/** The forest, epoch and slot of the last accepted shingle: trees one epoch behind need only that slot copied. */
let offeredTo: ForestState | null = null;
let offeredEpoch = -1;
let offeredSlot = -1;

/** The last `largestWeightSlot` answer and what it was for: weights move only with the epoch, most offers are refused. */
let largestOf: number[] | null = null;
let largestEpoch = -1;
let largestSlot = 0;

/**
 * Offers one shingle to the time-decayed reservoir (mutates `forest`).
 * Priority is `-lambda * seq + log(-log(u))`; the sample keeps the lowest,
 * so recent shingles are favoured and old ones fade out at rate lambda.
 */
export function offerShingle(forest: ForestState, shingle: ArrayLike<number>, shape: ForestShape): void {
  forest.rng = advanceRandom(forest.rng, 1);
  const u = Math.min(Math.max(uniformAt(forest.rng), 1e-12), 1 - 1e-12);
  const weight = Math.round((-shape.timeDecay * forest.seq + Math.log(-Math.log(u))) * 1e4) / 1e4;
  forest.seq += 1;
  const d = shape.shingleSize;
  let slot = forest.weights.length;
  if (slot >= shape.sampleSize) {
    slot = largestWeightSlot(forest);
    if (weight >= (forest.weights[slot] as number)) return;
  }
  forest.weights[slot] = weight;
  for (let j = 0; j < d; j++) forest.points[slot * d + j] = roundSignificant(shingle[j] as number);
  forest.epoch += 1;
  offeredTo = forest;
  offeredEpoch = forest.epoch;
  offeredSlot = slot;
}

/** The first slot of the largest weight (the next eviction), scanned only when the sample changed since the last ask. */
function largestWeightSlot(forest: ForestState): number {
  const weights = forest.weights;
  if (largestOf === weights && largestEpoch === forest.epoch) return largestSlot;
  let slot = 0;
  for (let i = 1; i < weights.length; i++) {
    if ((weights[i] as number) > (weights[slot] as number)) slot = i;
  }
  largestOf = weights;
  largestEpoch = forest.epoch;
  largestSlot = slot;
  return slot;
}

const UNVISITED = 0;
const LEAF = 1;
const INTERNAL = 2;
/** Int32 fields per node in `Trees.node`. */
const FIELDS = 5;
const KIND = 0;
const CUT_DIM = 1;
/** First child; the second is `left + 1`. */
const LEFT = 2;
/** The node's range of its tree's index permutation. */
const LO = 3;
const HI = 4;
/** In mask mode (`Trees.masked`), the node's sample slots as the bits of one int32, in LO's place (HI unused). */
const MASK = 3;
/** Largest sample held in mask mode: a node's slots fit one int32. */
const MASK_SLOTS = 32;

/**
 * The trees of one sample epoch, in flat typed arrays (node `t * nodes + k` is node k of tree t).
 * A node is created with its range of the tree's index permutation (in mask mode, its slots) and its stream
 * position, and visited (box, then leaf or cut and children) the first time a query reaches it.
 */
interface Trees {
  /** The forest these trees belong to (null when unused). */
  owner: ForestState | null;
  /** `useClock` when last scored against. */
  lastUse: number;
  /** `treesBytes` of its shape: what it counts against POOL_BYTES. */
  bytes: number;
  seed: number;
  epoch: number;
  count: number;
  d: number;
  trees: number;
  /** Nodes per tree (2 * sampleSize: a full tree over n distinct points has 2n - 1). */
  nodes: number;
  sampleSize: number;
  /** The sample as a typed array: monomorphic, fast reads. */
  points: Float64Array;
  /** Per sample slot, the first slot holding an identical point (itself if none). */
  canon: Int32Array;
  hasDuplicates: boolean;
  /** Open-addressing table of `findDuplicates`: a power of two, at least twice the sample. */
  slots: Int32Array;
  /** Per tree, a permutation of the sample slots, partitioned in place as nodes are visited. */
  idx: Int32Array;
  /** Nodes created so far, per tree. */
  used: Int32Array;
  /** FIELDS int32 per node, side by side: what a walk reads is in one cache line. */
  node: Int32Array;
  cutVal: Float64Array;
  /** Random stream state on entry to the node (before its own draw). */
  rng: Uint32Array;
  /** Per node and dimension, min then max. */
  box: Float64Array;
  /** Per visited node, the summed ranges of its box (what the score's walk back divides by). */
  span: Float64Array;
  /** Box of the whole sample, the same for every tree's root: computed once per epoch. */
  rootBox: Float64Array;
  /**
   * Mask mode (samples of at most MASK_SLOTS): a node holds its slots as bits instead of a range of `idx`, and
   * its box comes from each dimension's sorted order: the OR of its points' `rankBit` gives, per dimension, the
   * positions of its smallest and largest value (lowest and highest bit), read from `sorted`. Integer ORs
   * instead of a min and a max per value and dimension, and no partition of `idx`.
   */
  masked: boolean;
  /** Per dimension, the sample's slots in order of their value (kept from one epoch to the next: nearly sorted). */
  order: Int32Array;
  /** Slots `order` holds per dimension (0: none yet). */
  orderCount: number;
  /** Per dimension, the values in that order. */
  sorted: Float64Array;
  /** Per slot and dimension, `1 << (position of the slot in that dimension's order)`. */
  rankBit: Int32Array;
  /** Slots that are the first of their identical points (`canon[i] === i`), as bits. */
  canonMask: number;
}

/**
 * Trees are derived data: never serialised, rebuilt when the epoch moves. Built sets are kept per forest in a
 * pool of at most POOL_BYTES (at least MIN_POOL sets), the least recently used set going to the next forest
 * that needs one: a warm scorer whose batches hold up to a few hundred series (each with a few points per
 * batch, Metric Streams' order) finds a series' trees still built at its next turn unless its sample changed.
 * Memory does not grow with the number of detectors kept; a forest whose set was taken rebuilds it (a reset).
 */
const POOL_BYTES = 8 * 1024 * 1024;
const MIN_POOL = 4;
const pool: Trees[] = [];
const treesByForest = new WeakMap<ForestState, Trees>();
/** The last lookup, checked first: a batch scores a series' points one after the other. */
let lastForest: ForestState | null = null;
let lastTrees: Trees | null = null;
/** Stamps `Trees.lastUse`: the set with the smallest is the one reused. */
let useClock = 0;

/** Typed-array bytes of one set of trees of `shape` (about what `allocTrees` takes). */
function treesBytes(shape: ForestShape): number {
  const d = shape.shingleSize;
  const nodes = 2 * shape.sampleSize * shape.trees;
  // Mask mode keeps per slot and dimension a sorted position, value and rank bit instead of the trees' index permutations.
  const perSlot = shape.sampleSize <= MASK_SLOTS ? 16 * d : 4 * shape.trees;
  return nodes * (FIELDS * 4 + 8 + 4 + 16 * d + 8) + shape.sampleSize * (perSlot + 8 * d + 4 + 8);
}

function allocTrees(shape: ForestShape): Trees {
  const d = shape.shingleSize;
  const nodes = 2 * shape.sampleSize;
  const all = nodes * shape.trees;
  const masked = shape.sampleSize <= MASK_SLOTS;
  return {
    owner: null,
    lastUse: 0,
    bytes: treesBytes(shape),
    seed: -1,
    epoch: -1,
    count: -1,
    d,
    trees: shape.trees,
    nodes,
    sampleSize: shape.sampleSize,
    points: new Float64Array(shape.sampleSize * d),
    canon: new Int32Array(shape.sampleSize),
    hasDuplicates: false,
    slots: new Int32Array(2 ** Math.ceil(Math.log2(2 * shape.sampleSize))),
    idx: new Int32Array(masked ? 0 : shape.sampleSize * shape.trees),
    used: new Int32Array(shape.trees),
    node: new Int32Array(all * FIELDS),
    cutVal: new Float64Array(all),
    rng: new Uint32Array(all),
    box: new Float64Array(all * d * 2),
    span: new Float64Array(all),
    rootBox: new Float64Array(d * 2),
    masked,
    order: new Int32Array(masked ? d * shape.sampleSize : 0),
    orderCount: 0,
    sorted: new Float64Array(masked ? d * shape.sampleSize : 0),
    rankBit: new Int32Array(masked ? d * shape.sampleSize : 0),
    canonMask: 0,
  };
}

/** Index of the lowest set bit of a non-zero int32. */
const lowestBit = (m: number): number => 31 - Math.clz32(m & -m);

/** Set bits of an int32 (no loop). */
function bitCount(m: number): number {
  let v = m - ((m >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/**
 * Sorts each dimension's slots by value and derives `sorted` and `rankBit`. After one accepted shingle (`changed`,
 * the slot `loadSample` copied alone) only that slot moves: the entries between its old and new place shift by
 * one. Ties may sit in any order: equal values give the same bounds (at most the sign of a zero differs, which no
 * cut, range or distance can tell apart).
 */
function sortDimensions(T: Trees, count: number, changed: number): void {
  const d = T.d;
  const n = T.sampleSize;
  const order = T.order;
  const points = T.points;
  if (changed >= 0 && (T.orderCount === count || (T.orderCount === count - 1 && changed === count - 1))) {
    moveSlot(T, count, changed);
    return;
  }
  for (let j = 0; j < d; j++) for (let i = 0; i < count; i++) order[j * n + i] = i;
  T.orderCount = count;
  for (let j = 0; j < d; j++) {
    const o = j * n;
    for (let i = 1; i < count; i++) {
      const slot = order[o + i] as number;
      const v = points[slot * d + j] as number;
      let k = i - 1;
      while (k >= 0 && (points[(order[o + k] as number) * d + j] as number) > v) {
        order[o + k + 1] = order[o + k] as number;
        k--;
      }
      order[o + k + 1] = slot;
    }
    for (let i = 0; i < count; i++) {
      const slot = order[o + i] as number;
      T.sorted[o + i] = points[slot * d + j] as number;
      T.rankBit[slot * d + j] = 1 << i;
    }
  }
  setCanonMask(T, count);
}

/** Moves slot `s` (new value, or new at the end) to its place in each dimension's order, shifting those between. */
function moveSlot(T: Trees, count: number, s: number): void {
  const d = T.d;
  const n = T.sampleSize;
  const order = T.order;
  const sorted = T.sorted;
  const rankBit = T.rankBit;
  const appended = T.orderCount === count - 1;
  T.orderCount = count;
  for (let j = 0; j < d; j++) {
    const o = j * n;
    const v = T.points[s * d + j] as number;
    let p = appended ? count - 1 : 31 - Math.clz32(rankBit[s * d + j] as number);
    while (p > 0 && (sorted[o + p - 1] as number) > v) {
      const slot = order[o + p - 1] as number;
      order[o + p] = slot;
      sorted[o + p] = sorted[o + p - 1] as number;
      rankBit[slot * d + j] = 1 << p;
      p--;
    }
    while (!appended && p < count - 1 && (sorted[o + p + 1] as number) < v) {
      const slot = order[o + p + 1] as number;
      order[o + p] = slot;
      sorted[o + p] = sorted[o + p + 1] as number;
      rankBit[slot * d + j] = 1 << p;
      p++;
    }
    order[o + p] = s;
    sorted[o + p] = v;
    rankBit[s * d + j] = 1 << p;
  }
  setCanonMask(T, count);
}

/** `canonMask` from `canon` (0 without duplicates: then every slot counts). */
function setCanonMask(T: Trees, count: number): void {
  let canon = 0;
  if (T.hasDuplicates) for (let i = 0; i < count; i++) if (T.canon[i] === i) canon |= 1 << i;
  T.canonMask = canon;
}

/** Scratch of `boxOfMask`: per dimension, the OR of the node's rank bits. */
let rankOr = new Int32Array(0);

/** `boxOf` in mask mode: fills `box[at..]` for the slots of `mask` and returns the summed ranges. */
function boxOfMask(T: Trees, at: number, mask: number): number {
  if (T.d === 4) return boxOfMask4(T, at, mask);
  const d = T.d;
  const n = T.sampleSize;
  const rankBit = T.rankBit;
  if (rankOr.length < d) rankOr = new Int32Array(d);
  rankOr.fill(0);
  for (let m = mask; m !== 0; m &= m - 1) {
    const r = lowestBit(m) * d;
    for (let j = 0; j < d; j++) rankOr[j] = (rankOr[j] as number) | (rankBit[r + j] as number);
  }
  const sorted = T.sorted;
  const box = T.box;
  let span = 0;
  for (let j = 0; j < d; j++) {
    const bits = rankOr[j] as number;
    const mn = sorted[j * n + lowestBit(bits)] as number;
    const mx = sorted[j * n + 31 - Math.clz32(bits)] as number;
    box[at + 2 * j] = mn;
    box[at + 2 * j + 1] = mx;
    span += mx - mn;
  }
  return span;
}

/** `boxOfMask` for the default shingle size, unrolled. */
function boxOfMask4(T: Trees, at: number, mask: number): number {
  const rankBit = T.rankBit;
  let b0 = 0;
  let b1 = 0;
  let b2 = 0;
  let b3 = 0;
  for (let m = mask; m !== 0; m &= m - 1) {
    const r = lowestBit(m) * 4;
    b0 |= rankBit[r] as number;
    b1 |= rankBit[r + 1] as number;
    b2 |= rankBit[r + 2] as number;
    b3 |= rankBit[r + 3] as number;
  }
  const sorted = T.sorted;
  const n = T.sampleSize;
  const mn0 = sorted[lowestBit(b0)] as number;
  const mx0 = sorted[31 - Math.clz32(b0)] as number;
  const mn1 = sorted[n + lowestBit(b1)] as number;
  const mx1 = sorted[n + 31 - Math.clz32(b1)] as number;
  const mn2 = sorted[2 * n + lowestBit(b2)] as number;
  const mx2 = sorted[2 * n + 31 - Math.clz32(b2)] as number;
  const mn3 = sorted[3 * n + lowestBit(b3)] as number;
  const mx3 = sorted[3 * n + 31 - Math.clz32(b3)] as number;
  const box = T.box;
  box[at] = mn0;
  box[at + 1] = mx0;
  box[at + 2] = mn1;
  box[at + 3] = mx1;
  box[at + 4] = mn2;
  box[at + 5] = mx2;
  box[at + 6] = mn3;
  box[at + 7] = mx3;
  return 0 + (mx0 - mn0) + (mx1 - mn1) + (mx2 - mn2) + (mx3 - mn3);
}

/** Fills `box[at..]` with the min and max of the points `idx[lo..hi)` per dimension; returns the summed ranges. */
function boxOf(T: Trees, at: number, lo: number, hi: number): number {
  if (T.d === 4) return boxOf4(T, at, lo, hi);
  const d = T.d;
  const box = T.box;
  const points = T.points;
  const idx = T.idx;
  let span = 0;
  // Dimension by dimension, so the running min and max stay in registers.
  for (let j = 0; j < d; j++) {
    let mn = points[(idx[lo] as number) * d + j] as number;
    let mx = mn;
    for (let i = lo + 1; i < hi; i++) {
      const v = points[(idx[i] as number) * d + j] as number;
      mn = Math.min(mn, v);
      mx = Math.max(mx, v);
    }
    box[at + 2 * j] = mn;
    box[at + 2 * j + 1] = mx;
    span += mx - mn;
  }
  return span;
}

/**
 * `boxOf` for the default shingle size, unrolled: one pass, all eight bounds in registers. `Math.min`/`max`
 * rather than comparisons (whose outcome is as good as random): a bound can only differ from the branchy
 * version's in the sign of a zero, which no cut, range or distance can tell apart.
 */
function boxOf4(T: Trees, at: number, lo: number, hi: number): number {
  const points = T.points;
  const idx = T.idx;
  let p = (idx[lo] as number) * 4;
  let mn0 = points[p] as number;
  let mn1 = points[p + 1] as number;
  let mn2 = points[p + 2] as number;
  let mn3 = points[p + 3] as number;
  let mx0 = mn0;
  let mx1 = mn1;
  let mx2 = mn2;
  let mx3 = mn3;
  for (let i = lo + 1; i < hi; i++) {
    p = (idx[i] as number) * 4;
    const v0 = points[p] as number;
    const v1 = points[p + 1] as number;
    const v2 = points[p + 2] as number;
    const v3 = points[p + 3] as number;
    mn0 = Math.min(mn0, v0);
    mx0 = Math.max(mx0, v0);
    mn1 = Math.min(mn1, v1);
    mx1 = Math.max(mx1, v1);
    mn2 = Math.min(mn2, v2);
    mx2 = Math.max(mx2, v2);
    mn3 = Math.min(mn3, v3);
    mx3 = Math.max(mx3, v3);
  }
  const box = T.box;
  box[at] = mn0;
  box[at + 1] = mx0;
  box[at + 2] = mn1;
  box[at + 3] = mx1;
  box[at + 4] = mn2;
  box[at + 5] = mx2;
  box[at + 6] = mn3;
  box[at + 7] = mx3;
  // Summed in dimension order, as the general loop does: the same double.
  return 0 + (mx0 - mn0) + (mx1 - mn1) + (mx2 - mn2) + (mx3 - mn3);
}

const bits = new Float64Array(1);
const words = new Int32Array(bits.buffer);

/** Duplicate slots of the sample (`canon`), found through a small open-addressing hash of each point. */
function findDuplicates(T: Trees, count: number): void {
  const d = T.d;
  const points = T.points;
  const slots = T.slots;
  const mask = slots.length - 1;
  T.hasDuplicates = false;
  slots.fill(-1);
  for (let i = 0; i < count; i++) {
    let h = 0x2545f491;
    for (let k = 0; k < d; k++) {
      // + 0 turns -0 into 0: the trees treat them as one value.
      bits[0] = (points[i * d + k] as number) + 0;
      h = Math.imul(h ^ (words[0] as number), 0x9e3779b1);
      h = Math.imul(h ^ (words[1] as number), 0x85ebca6b);
    }
    let slot = (h ^ (h >>> 16)) & mask;
    T.canon[i] = i;
    for (;;) {
      const j = slots[slot] as number;
      if (j < 0) {
        slots[slot] = i;
        break;
      }
      let k = 0;
      while (k < d && points[j * d + k] === points[i * d + k]) k++;
      if (k === d) {
        T.canon[i] = j;
        T.hasDuplicates = true;
        break;
      }
      slot = (slot + 1) & mask;
    }
  }
}

/**
 * True when `T` holds this forest's sample as it was one accepted shingle ago, without duplicates:
 * only the slot that shingle went to differs (the trees themselves are all new, the epoch seeds them).
 */
function oneSlotBehind(T: Trees, forest: ForestState, count: number): boolean {
  return T.owner === forest && offeredTo === forest && offeredEpoch === forest.epoch && T.epoch === forest.epoch - 1 &&
    !T.hasDuplicates && (count === T.count ? offeredSlot < count : count === T.count + 1 && offeredSlot === T.count);
}

/**
 * Copies the sample into `T` and finds its duplicates; after one accepted shingle, only its slot is copied and
 * checked. Returns that slot, or -1 when the whole sample was copied.
 */
function loadSample(T: Trees, forest: ForestState, count: number): number {
  if (!oneSlotBehind(T, forest, count)) {
    T.points.set(forest.points);
    findDuplicates(T, count);
    return -1;
  }
  const d = T.d;
  const points = T.points;
  const s = offeredSlot;
  for (let j = 0; j < d; j++) points[s * d + j] = forest.points[s * d + j] as number;
  T.canon[s] = s;
  // The sample had no duplicates: there is one now only if the new point equals another.
  for (let i = 0; i < count; i++) {
    if (i === s) continue;
    let k = 0;
    while (k < d && points[i * d + k] === points[s * d + k]) k++;
    if (k === d) {
      findDuplicates(T, count);
      return s;
    }
  }
  return s;
}

/** Resets the trees to their roots for the forest's current sample and epoch. */
function resetTrees(T: Trees, forest: ForestState, shape: ForestShape): void {
  const d = T.d;
  const count = forest.weights.length;
  const changed = loadSample(T, forest, count);
  T.owner = forest;
  T.epoch = forest.epoch;
  T.count = count;
  const idx = T.idx;
  let span = 0;
  if (T.masked) {
    sortDimensions(T, count, changed);
    // The root's box is each dimension's first and last sorted value, summed in dimension order as `boxOf` does.
    for (let j = 0; j < d; j++) {
      const mn = T.sorted[j * T.sampleSize] as number;
      const mx = T.sorted[j * T.sampleSize + count - 1] as number;
      T.rootBox[2 * j] = mn;
      T.rootBox[2 * j + 1] = mx;
      span += mx - mn;
    }
  } else {
    for (let i = 0; i < count; i++) idx[i] = i;
    span = boxOf(T, 0, 0, count);
    for (let j = 0; j < 2 * d; j++) T.rootBox[j] = T.box[j] as number;
  }
  const all = count === 32 ? -1 : (1 << count) - 1;
  for (let t = 0; t < T.trees; t++) {
    const root = t * T.nodes;
    T.used[t] = 1;
    if (T.masked) T.node[root * FIELDS + MASK] = all;
    else {
      const base = t * T.sampleSize;
      for (let i = 0; i < count; i++) idx[base + i] = i;
      T.node[root * FIELDS + LO] = 0;
      T.node[root * FIELDS + HI] = count;
    }
    T.rng[root] = mixSeed3(shape.seed, t, forest.epoch);
    T.box.set(T.rootBox, root * 2 * d);
    T.span[root] = span;
    split(T, t, root, span);
  }
}

/**
 * Makes a node whose box is known a leaf or cuts it, exactly as a full top-down build would:
 * cut dimension in proportion to its range, value uniform within it; children get their ranges
 * and stream positions (the right one skips the draws of the whole left subtree).
 */
function split(T: Trees, t: number, node: number, span: number): void {
  const d = T.d;
  const idx = T.idx;
  const points = T.points;
  const box = T.box;
  const f = node * FIELDS;
  const masked = T.masked;
  // In mask mode lo holds the slot mask (hi unused): at most one slot is `mask & (mask - 1)` = 0.
  const lo = T.node[f + LO] as number;
  const hi = T.node[f + HI] as number;
  if (!(span > 0) || (masked ? (lo & (lo - 1)) === 0 : hi - lo <= 1)) {
    T.node[f + KIND] = LEAF;
    return;
  }
  T.node[f + KIND] = INTERNAL;
  const state = advanceRandom(T.rng[node] as number, 1);
  let r = uniformAt(state) * span;
  let dim = -1;
  let lastPositive = 0;
  const at = node * 2 * d;
  for (let k = 0; k < d; k++) {
    const range = (box[at + 2 * k + 1] as number) - (box[at + 2 * k] as number);
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
  const mn = box[at + 2 * dim] as number;
  const mx = box[at + 2 * dim + 1] as number;
  let cut = mn + r;
  // Where rounding puts the cut on the maximum, cut at the minimum instead: both sides stay non-empty.
  if (!(cut < mx)) cut = mn;
  const used = T.used[t] as number;
  T.used[t] = used + 2;
  const left = t * T.nodes + used;
  T.node[f + CUT_DIM] = dim;
  T.node[f + LEFT] = left;
  T.cutVal[node] = cut;
  const l = left * FIELDS;
  T.node[l + KIND] = UNVISITED;
  T.node[l + FIELDS + KIND] = UNVISITED;
  T.rng[left] = state;
  if (masked) {
    // The slots at or below the cut, without a branch on the data (-(v <= cut) is all ones or 0).
    let leftMask = 0;
    for (let m = lo; m !== 0; m &= m - 1) {
      const low = m & -m;
      leftMask |= low & -((points[lowestBit(low) * d + dim] as number) <= cut);
    }
    T.node[l + MASK] = leftMask;
    T.node[l + FIELDS + MASK] = lo ^ leftMask;
    T.rng[left + 1] = advanceRandom(state, bitCount(T.hasDuplicates ? leftMask & T.canonMask : leftMask) - 1);
    return;
  }
  const base = t * T.sampleSize;
  // Partition without a branch on the data (the side of a point is as good as random): every slot is
  // swapped, the boundary moves by the comparison's 0 or 1. Only the children's sets matter, not their order.
  let i = base + lo;
  for (let k = i; k < base + hi; k++) {
    const p = idx[k] as number;
    idx[k] = idx[i] as number;
    idx[i] = p;
    i += +((points[p * d + dim] as number) <= cut);
  }
  const mid = i - base;
  let distinctLeft = mid - lo;
  if (T.hasDuplicates) {
    distinctLeft = 0;
    for (let k = base + lo; k < i; k++) if (T.canon[idx[k] as number] === idx[k]) distinctLeft++;
  }
  T.node[l + LO] = lo;
  T.node[l + HI] = mid;
  T.node[l + FIELDS + LO] = mid;
  T.node[l + FIELDS + HI] = hi;
  T.rng[left + 1] = advanceRandom(state, distinctLeft - 1);
}

const sameShape = (T: Trees, shape: ForestShape): boolean =>
  T.d === shape.shingleSize && T.sampleSize === shape.sampleSize && T.trees === shape.trees;

/** Bytes of the pool's sets, kept within POOL_BYTES unless MIN_POOL sets alone exceed it. */
let poolBytes = 0;

/** Takes the least recently used set out of its forest's hands; returns its index in the pool. */
function releaseLeastUsed(except: Trees | null): number {
  let victim = -1;
  for (let i = 0; i < pool.length; i++) {
    const T = pool[i] as Trees;
    if (T !== except && (victim < 0 || T.lastUse < (pool[victim] as Trees).lastUse)) victim = i;
  }
  const T = pool[victim] as Trees;
  if (T.owner !== null) treesByForest.delete(T.owner);
  T.owner = null;
  return victim;
}

/**
 * A set of trees for a forest that has none: a new one while the pool has room, else the least recently used
 * one (reallocated if its shape differs, dropping more sets if the new shape is larger than the budget allows).
 */
function claimTrees(shape: ForestShape): Trees {
  const bytes = treesBytes(shape);
  if (pool.length < MIN_POOL || poolBytes + bytes <= POOL_BYTES) {
    const fresh = allocTrees(shape);
    pool.push(fresh);
    poolBytes += bytes;
    return fresh;
  }
  const victim = releaseLeastUsed(null);
  let T = pool[victim] as Trees;
  if (sameShape(T, shape)) return T;
  poolBytes -= T.bytes;
  pool[victim] = T = allocTrees(shape);
  poolBytes += bytes;
  while (poolBytes > POOL_BYTES && pool.length > MIN_POOL) {
    const drop = releaseLeastUsed(T);
    poolBytes -= (pool[drop] as Trees).bytes;
    pool.splice(drop, 1);
  }
  return T;
}

function treesOf(forest: ForestState, shape: ForestShape): Trees {
  let T = forest === lastForest ? lastTrees : treesByForest.get(forest);
  if (!T || T.owner !== forest || !sameShape(T, shape)) {
    // The same forest scored under another shape gives up its set (and keeps no stale entry).
    if (T && T.owner === forest) T.owner = null;
    T = claimTrees(shape);
    treesByForest.set(forest, T);
  }
  lastForest = forest;
  lastTrees = T;
  T.lastUse = ++useClock;
  if (T.owner === forest && T.seed === shape.seed && T.epoch === forest.epoch && T.count === forest.weights.length) {
    return T;
  }
  // Another seed builds other trees from the same sample: the sample is copied again (not one slot behind).
  if (T.seed !== shape.seed) T.owner = null;
  T.seed = shape.seed;
  resetTrees(T, forest, shape);
  return T;
}

const path = new Int32Array(256);
/** `Math.log2(i)` for the masses + 1 a score takes (samples hold at most 64 points): the same doubles, read from a table. */
const LOG2 = Float64Array.from({ length: 66 }, (_, i) => Math.log2(i));
const log2Of = (i: number): number => (i < LOG2.length ? (LOG2[i] as number) : Math.log2(i));
let query = new Float64Array(0);

function scoreTree(T: Trees, t: number, q: Float64Array, total: number): number {
  const d = T.d;
  const nodes = T.node;
  const cutVal = T.cutVal;
  const base = t * T.sampleSize;
  const masked = T.masked;
  let node = t * T.nodes;
  let depth = 0;
  for (;;) {
    const f = node * FIELDS;
    let kind = nodes[f + KIND] as number;
    if (kind === UNVISITED) {
      const lo = nodes[f + LO] as number;
      const hi = nodes[f + HI] as number;
      // A single point is a leaf, and a leaf's box is never read: skip it.
      if (masked) {
        if ((lo & (lo - 1)) === 0) nodes[f + KIND] = LEAF;
        else {
          const span = boxOfMask(T, node * 2 * d, lo);
          T.span[node] = span;
          split(T, t, node, span);
        }
      } else if (hi - lo <= 1) nodes[f + KIND] = LEAF;
      else {
        const span = boxOf(T, node * 2 * d, base + lo, base + hi);
        T.span[node] = span;
        split(T, t, node, span);
      }
      kind = nodes[f + KIND] as number;
    }
    if (kind === LEAF) break;
    path[depth++] = node;
    const left = nodes[f + LEFT] as number;
    node = (q[nodes[f + CUT_DIM] as number] as number) <= (cutVal[node] as number) ? left : left + 1;
  }
  const f = node * FIELDS;
  const lo = nodes[f + LO] as number;
  const leafIdx = masked ? lowestBit(lo) : T.idx[base + lo] as number;
  const leafMass = masked ? bitCount(lo) : (nodes[f + HI] as number) - lo;
  const points = T.points;
  let same = true;
  for (let j = 0; j < d && same; j++) same = points[leafIdx * d + j] === q[j];
  // AWS RCF's default score functions: seen points are damped by their mass.
  const score = same
    ? (1 - leafMass / (2 * total)) / (depth + log2Of(leafMass + 1))
    : 1 / (depth + 1);
  return d === 4 ? walkBack4(T, q, depth, score) : walkBack(T, q, depth, score);
}

/**
 * Folds in, from the leaf's parent up, the chance that a cut at each node on the path would have
 * separated the query (its distance outside the node's box over the box's span).
 */
function walkBack(T: Trees, q: Float64Array, depth: number, leafScore: number): number {
  const d = T.d;
  const box = T.box;
  const spans = T.span;
  let score = leafScore;
  for (let k = depth - 1; k >= 0; k--) {
    const n = path[k] as number;
    const at = n * 2 * d;
    let outside = 0;
    for (let j = 0; j < d; j++) {
      const lo = box[at + 2 * j] as number;
      const hi = box[at + 2 * j + 1] as number;
      const v = q[j] as number;
      if (v < lo) outside += lo - v;
      else if (v > hi) outside += v - hi;
    }
    // Boxes nest: a query inside this box is inside every ancestor's, which add nothing.
    if (!(outside > 0)) break;
    const p = outside / ((spans[n] as number) + outside);
    score = (1 - p) * score + p / (k + 1);
  }
  return score;
}

/** `walkBack` for the default shingle size, unrolled; sums in the same order, so the same doubles. */
function walkBack4(T: Trees, q: Float64Array, depth: number, leafScore: number): number {
  const box = T.box;
  const spans = T.span;
  const q0 = q[0] as number;
  const q1 = q[1] as number;
  const q2 = q[2] as number;
  const q3 = q[3] as number;
  let score = leafScore;
  for (let k = depth - 1; k >= 0; k--) {
    const n = path[k] as number;
    const at = n * 8;
    let outside = 0;
    let lo = box[at] as number;
    let hi = box[at + 1] as number;
    if (q0 < lo) outside += lo - q0;
    else if (q0 > hi) outside += q0 - hi;
    lo = box[at + 2] as number;
    hi = box[at + 3] as number;
    if (q1 < lo) outside += lo - q1;
    else if (q1 > hi) outside += q1 - hi;
    lo = box[at + 4] as number;
    hi = box[at + 5] as number;
    if (q2 < lo) outside += lo - q2;
    else if (q2 > hi) outside += q2 - hi;
    lo = box[at + 6] as number;
    hi = box[at + 7] as number;
    if (q3 < lo) outside += lo - q3;
    else if (q3 > hi) outside += q3 - hi;
    if (!(outside > 0)) break;
    const p = outside / ((spans[n] as number) + outside);
    score = (1 - p) * score + p / (k + 1);
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
  const T = treesOf(forest, shape);
  // The query as a typed array: the walks read it monomorphically, whatever array was passed.
  if (query.length !== T.d) query = new Float64Array(T.d);
  for (let j = 0; j < T.d; j++) query[j] = shingle[j] as number;
  let sum = 0;
  for (let t = 0; t < shape.trees; t++) sum += scoreTree(T, t, query, count);
  return (sum / shape.trees) * log2Of(count + 1);
}
