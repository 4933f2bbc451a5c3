import type { SubRule, ValueTest } from "./pattern-compile";
import { joinMemberships, type Leaf, type LeafValue, type Membership } from "./pattern-event";
import { inIpRange, ipToHex } from "./pattern-ip";
import { matchesFolded, matchesWildcard } from "./pattern-text";

/** A field of one sub-rule, ready to run: its value test and whether absence also satisfies it. */
export interface FieldMatcher {
  readonly path: string;
  readonly acceptsAbsent: boolean;
  /** Undefined when only absence can satisfy the field. */
  readonly acceptsValue: ((value: LeafValue) => boolean) | undefined;
}

/** Turns a sub-rule into field matchers in event-ruler's evaluation order (sorted by path). */
export function fieldMatchers(rule: SubRule): FieldMatcher[] {
  return [...rule.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([path, tests]) => {
      // event-ruler stops reading strings as IP addresses once a field also has a numeric test.
      const numericField = tests.some((t) => t.kind === "number" || t.kind === "range" || t.kind === "not-numbers");
      const valueTests = tests.filter((t) => t.kind !== "absent").map((t) => valueTest(t, numericField));
      return {
        path,
        acceptsAbsent: tests.some((t) => t.kind === "absent"),
        acceptsValue: valueTests.length === 0 ? undefined : (value) => valueTests.some((test) => test(value)),
      };
    });
}

function valueTest(test: ValueTest, numericField: boolean): (value: LeafValue) => boolean {
  switch (test.kind) {
    case "string":
      return (v) => v === test.value;
    case "literal":
      return (v) => v === test.value;
    case "number":
      return (v) => v === test.value;
    case "range":
      return (v) =>
        typeof v === "number" &&
        (test.lowOpen ? v > test.low : v >= test.low) &&
        (test.highOpen ? v < test.high : v <= test.high);
    case "ip":
      if (numericField) return () => false;
      return (v) => {
        if (typeof v !== "string") return false;
        const hex = ipToHex(v);
        return hex !== undefined && inIpRange(test.range, hex);
      };
    case "prefix":
      return (v) => typeof v === "string" && v.startsWith(test.value);
    case "suffix":
      return (v) => typeof v === "string" && v.endsWith(test.value);
    case "folded":
      return (v) => typeof v === "string" && matchesFolded(test.units, v, test.mode);
    case "wildcard":
      return (v) => typeof v === "string" && matchesWildcard(test.wildcard, v);
    // The anything-but family matches every value, of any type, that the listed values do not rule out.
    case "not-strings":
      return (v) => !(typeof v === "string" && test.values.has(v));
    case "not-numbers":
      return (v) => !(typeof v === "number" && test.values.includes(v));
    case "not-folded":
      return (v) => !(typeof v === "string" && test.values.some((units) => matchesFolded(units, v, "whole")));
    case "not-prefix":
      return (v) => !(typeof v === "string" && test.values.some((p) => v.startsWith(p)));
    case "not-suffix":
      return (v) => !(typeof v === "string" && test.values.some((s) => v.endsWith(s)));
    case "not-wildcard":
      return (v) => !(typeof v === "string" && test.wildcards.some((w) => matchesWildcard(w, v)));
    case "exists":
      return () => true;
    case "absent":
      return () => false;
  }
}

/**
 * True when every field can be satisfied by some leaf, all chosen leaves agreeing on shared arrays. An absence
 * test only sees leaves consistent with the fields already chosen, in path order, as in event-ruler's ACFinder.
 */
export function matchesSubRule(fields: readonly FieldMatcher[], leaves: ReadonlyMap<string, Leaf[]>): boolean {
  return matchesFrom(fields, leaves, 0, []);
}

// A module-level recursion, not a closure per call: this runs for every event and rule on the bus.
function matchesFrom(fields: readonly FieldMatcher[], leaves: ReadonlyMap<string, Leaf[]>, i: number, membership: Membership): boolean {
  const field = fields[i];
  if (!field) return true;
  const candidates = leaves.get(field.path) ?? [];
  if (field.acceptsAbsent && candidates.every((leaf) => joinMemberships(membership, leaf.membership) === undefined)) {
    if (matchesFrom(fields, leaves, i + 1, membership)) return true;
  }
  if (!field.acceptsValue) return false;
  for (const leaf of candidates) {
    if (!field.acceptsValue(leaf.value)) continue;
    const joined = joinMemberships(membership, leaf.membership);
    if (joined && matchesFrom(fields, leaves, i + 1, joined)) return true;
  }
  return false;
}
