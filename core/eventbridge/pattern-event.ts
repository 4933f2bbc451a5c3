/** A scalar from the event, as a pattern sees it. */
export type LeafValue = string | number | boolean | null;

/**
 * Which array elements a value sits in: flattened (arrayId, index) pairs. Two values may only be matched
 * together when they agree on every array they share, so `a[0].x` never pairs with `a[1].y`.
 */
export type Membership = readonly number[];

export interface Leaf {
  readonly value: LeafValue;
  readonly membership: Membership;
}

/**
 * The paths a compiled pattern can look at (each dotted path and its dotted prefixes), so flattening skips
 * everything else in the event. Paths are compared as joined text: a key written "a.b" is the path a → b.
 */
export type PathIndex = ReadonlySet<string>;

/** Builds the index for a set of dotted field paths. */
export function indexPaths(paths: Iterable<string>): PathIndex {
  const prefixes = new Set<string>();
  for (const path of paths) {
    const parts = path.split(".");
    parts.forEach((_, i) => prefixes.add(parts.slice(0, i + 1).join(".")));
  }
  return prefixes;
}

/**
 * Flattens an event into dotted path → leaves, as event-ruler does: arrays are transparent in paths (arrays of
 * arrays flatten fully), and an element that is an object or array records its array membership.
 */
export function flattenEvent(event: Record<string, unknown>, index: PathIndex): Map<string, Leaf[]> {
  const walk: Walk = { leaves: new Map(), index, arrays: 0 };
  visitObject(walk, event, "", NO_MEMBERSHIP);
  return walk.leaves;
}

// Module-level functions, not closures: the bus flattens every event once per rule, and a closure made per call
// costs more than the walk itself (tsx wraps each named one to keep its name).
interface Walk {
  readonly leaves: Map<string, Leaf[]>;
  readonly index: PathIndex;
  arrays: number;
}

const NO_MEMBERSHIP: Membership = [];

function visit(walk: Walk, value: unknown, path: string, membership: Membership): void {
  if (Array.isArray(value)) {
    const arrayId = walk.arrays++;
    for (let i = 0; i < value.length; i++) {
      const element: unknown = value[i];
      // Scalars in an array carry no membership of their own, exactly as in event-ruler.
      if (element !== null && typeof element === "object") visit(walk, element, path, [...membership, arrayId, i]);
      else visit(walk, element, path, membership);
    }
  } else if (value !== null && typeof value === "object") {
    visitObject(walk, value as Record<string, unknown>, path, membership);
  } else if (typeof value === "string" || typeof value === "number" || typeof value === "boolean" || value === null) {
    const list = walk.leaves.get(path);
    if (list) list.push({ value, membership });
    else walk.leaves.set(path, [{ value, membership }]);
  }
}

function visitObject(walk: Walk, object: Record<string, unknown>, path: string, membership: Membership): void {
  for (const key of Object.keys(object)) {
    const childPath = path === "" ? key : `${path}.${key}`;
    if (walk.index.has(childPath)) visit(walk, object[key], childPath, membership);
  }
}

/** Combines two memberships, or returns undefined when they disagree on an array they share. */
export function joinMemberships(a: Membership, b: Membership): Membership | undefined {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  let extra: number[] | undefined;
  for (let j = 0; j < b.length; j += 2) {
    let shared = false;
    for (let i = 0; i < a.length; i += 2) {
      if (a[i] === b[j]) {
        if (a[i + 1] !== b[j + 1]) return undefined;
        shared = true;
        break;
      }
    }
    if (!shared) (extra ??= []).push(b[j] as number, b[j + 1] as number);
  }
  return extra ? [...a, ...extra] : a;
}
