import { compileSubRules } from "./pattern-compile";
import { flattenEvent, indexPaths } from "./pattern-event";
import { nodeFromValue, parseJsonNode, type JsonNode } from "./pattern-json";
import { fieldMatchers, matchesSubRule, type FieldMatcher } from "./pattern-match";

export { InvalidEventPatternError } from "./pattern-error";

function toNode(pattern: unknown): JsonNode {
  // A JSON string goes through our own parser so duplicate keys behave as in AWS (merge objects, last leaf wins).
  return typeof pattern === "string" ? parseJsonNode(pattern) : nodeFromValue(pattern);
}

function toEvent(event: unknown): Record<string, unknown> | undefined {
  let value = event;
  if (typeof value === "string") {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/**
 * Compiles an EventBridge event pattern (an object, or its JSON text) into a matcher, with event-ruler's
 * semantics: all operators, `$or`, and array-consistent matching. Validation is eager.
 *
 * @throws InvalidEventPatternError when AWS would reject the pattern.
 * @returns a predicate over events (objects or JSON text); anything but a JSON object never matches.
 */
export function compilePattern(pattern: unknown): (event: unknown) => boolean {
  const subRules = compileSubRules(toNode(pattern)).map(fieldMatchers);
  const index = indexPaths(subRules.flatMap((fields) => fields.map((field) => field.path)));
  // Fields of the event's top level that a sub-rule needs a value at (most rules name a source and a detail-type).
  const topLevel = subRules.map((fields) => fields.filter((field) => !field.acceptsAbsent && !field.path.includes(".")));
  return (event) => {
    const object = toEvent(event);
    if (!object) return false;
    // Most events on a bus match few of its rules: ruling them out on top-level scalars skips flattening them.
    if (topLevel.every((fields) => fields.some((field) => failsAtTopLevel(field, object)))) return false;
    const leaves = flattenEvent(object, index);
    return subRules.some((fields) => matchesSubRule(fields, leaves));
  };
}

/**
 * True when a field that needs a value cannot be satisfied by the event: its top-level key is missing, or holds
 * a scalar the field rejects. An array or object there is left to the full match.
 */
function failsAtTopLevel(field: FieldMatcher, event: Record<string, unknown>): boolean {
  if (!Object.hasOwn(event, field.path)) return true;
  const value = event[field.path];
  if (value !== null && typeof value === "object") return false;
  if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean" && value !== null) return true;
  return field.acceptsValue === undefined || !field.acceptsValue(value);
}

/**
 * Tests one event against one pattern; compile once with {@link compilePattern} when matching many events.
 *
 * @throws InvalidEventPatternError when AWS would reject the pattern.
 */
export function matchesPattern(pattern: unknown, event: unknown): boolean {
  return compilePattern(pattern)(event);
}

/**
 * Checks a pattern without keeping a matcher.
 *
 * @throws InvalidEventPatternError naming the first problem, in AWS's words.
 */
export function validatePattern(pattern: unknown): void {
  compileSubRules(toNode(pattern));
}
