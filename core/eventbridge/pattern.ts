import { compileSubRules } from "./pattern-compile";
import { flattenEvent, indexPaths } from "./pattern-event";
import { nodeFromValue, parseJsonNode, type JsonNode } from "./pattern-json";
import { fieldMatchers, matchesSubRule } from "./pattern-match";

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
  return (event) => {
    const object = toEvent(event);
    if (!object) return false;
    const leaves = flattenEvent(object, index);
    return subRules.some((fields) => matchesSubRule(fields, leaves));
  };
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
