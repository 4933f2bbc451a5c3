/**
 * A memoised builder: `build` runs the first time the getter is called, then its result is returned.
 * Event schemas are built this way, per event kind, because a Lambda batch holds few kinds: an
 * invocation pays for the schemas of the kinds it receives, and the schemas of kinds a function never
 * receives are never built (alert-grouper routes 26 kinds; most invocations see one or two).
 *
 * @param build - builds the value (a zod schema, or an object of the schemas of one event kind)
 */
// No side effects: a getter no bundle calls is left out with everything its builder references.
/* @__NO_SIDE_EFFECTS__ */
export function lazily<T>(build: () => T): () => T {
  let built: T | undefined;
  return () => (built ??= build());
}

/**
 * One schema of a lazily built set, for modules that import it by name: `/* @__PURE__ *\/ pick(set, "XSchema")`
 * builds the set where that export is used, and nowhere else (an unused export is left out of bundles).
 *
 * @param set - the set's getter (`lazily`)
 * @param name - the schema's name in the set
 */
/* @__NO_SIDE_EFFECTS__ */
export function pick<T, K extends keyof T>(set: () => T, name: K): T[K] {
  return set()[name];
}

/** What a table of getters builds: each key's value. */
export type Built<T> = { [K in keyof T]: T[K] extends () => infer V ? V : never };

/**
 * Every getter of a table called: the built values under the same keys, for modules that want them all
 * (e.g. a JSON Schema export). `/* @__PURE__ *\/ buildAll(getters)` builds nothing where its result is unused.
 *
 * @param getters - getters by key (`lazily`)
 */
/* @__NO_SIDE_EFFECTS__ */
export function buildAll<T extends Record<string, () => unknown>>(getters: T): Built<T> {
  return Object.fromEntries(Object.entries(getters).map(([key, get]) => [key, get()])) as Built<T>;
}
