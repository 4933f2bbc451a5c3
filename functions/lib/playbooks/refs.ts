import type { StepRef } from "../../../core/remediation";

/**
 * Reads a dotted path (`Volumes.0.State`); `name[]` maps the rest of the path over an array
 * (`Instances.0.SecurityGroups[].GroupId` gives every group id).
 *
 * @returns the value, or undefined when any segment is missing
 */
export function readPath(value: unknown, path: string): unknown {
  if (path === "") return value;
  const [head = "", ...rest] = path.split(".");
  const projected = head.endsWith("[]");
  const key = projected ? head.slice(0, -2) : head;
  const next = value !== null && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined;
  if (!projected) return next === undefined ? undefined : readPath(next, rest.join("."));
  return Array.isArray(next) ? next.map((item) => readPath(item, rest.join("."))).filter((v) => v !== undefined) : undefined;
}

function isRef(value: unknown): value is StepRef {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return (keys.length === 1 && keys[0] === "$before") || (keys.length === 2 && "$step" in value && "path" in value);
}

/** Where markers point: the captured previous state, and the results of the steps run so far. */
export interface RefSources {
  before: Record<string, unknown>;
  results: readonly Record<string, unknown>[];
}

/** A marker's label for error messages, e.g. `$before:Volumes.0.AvailabilityZone`. */
export function describeRef(ref: StepRef): string {
  return "$before" in ref ? `$before:${ref.$before}` : `$step:${ref.$step}:${ref.path}`;
}

/**
 * Replaces every `{ $before: path }` and `{ $step: i, path }` marker in a step's input with the
 * value it points at; markers that point at nothing become undefined (the caller decides).
 */
export function resolveRefs(input: unknown, sources: RefSources, missing: (ref: StepRef) => void): unknown {
  if (isRef(input)) {
    const value = "$before" in input ? readPath(sources.before, input.$before) : readPath(sources.results[input.$step], input.path);
    if (value === undefined) missing(input);
    return value;
  }
  if (Array.isArray(input)) return input.map((item) => resolveRefs(item, sources, missing));
  if (input !== null && typeof input === "object") {
    return Object.fromEntries(Object.entries(input).map(([k, v]) => [k, resolveRefs(v, sources, missing)]));
  }
  return input;
}
