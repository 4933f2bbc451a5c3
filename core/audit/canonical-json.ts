import { NonCanonicalValueError } from "./errors";

/**
 * Canonical JSON: object keys sorted by code unit, no whitespace, `undefined` object
 * members omitted. Anything JSON cannot carry exactly is rejected rather than silently
 * changed: non-finite numbers, `undefined` in arrays, functions, symbols, bigints and
 * non-plain objects (Date, Map, class instances). The same value always yields the same
 * text, so its hash is stable.
 */
export function canonicalJson(value: unknown): string {
  return encode(value, "$");
}

function encode(value: unknown, path: string): string {
  switch (typeof value) {
    case "string":
    case "boolean":
      return JSON.stringify(value);
    case "number":
      if (!Number.isFinite(value)) throw new NonCanonicalValueError(path, `${value} is not a finite number`);
      return JSON.stringify(value);
    case "object":
      if (value === null) return "null";
      if (Array.isArray(value)) {
        return `[${value.map((item, i) => {
          if (item === undefined) throw new NonCanonicalValueError(`${path}[${i}]`, "undefined in an array");
          return encode(item, `${path}[${i}]`);
        }).join(",")}]`;
      }
      return encodeObject(value, path);
    default:
      throw new NonCanonicalValueError(path, `a ${typeof value} has no JSON form`);
  }
}

function encodeObject(value: object, path: string): string {
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    throw new NonCanonicalValueError(path, `${proto?.constructor?.name ?? "an object"} is not a plain object`);
  }
  const members = Object.keys(value)
    .sort()
    .flatMap((key) => {
      const member = (value as Record<string, unknown>)[key];
      return member === undefined ? [] : [`${JSON.stringify(key)}:${encode(member, `${path}.${key}`)}`];
    });
  return `{${members.join(",")}}`;
}
