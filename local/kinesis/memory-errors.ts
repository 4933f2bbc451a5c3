import {
  ExpiredIteratorException,
  ExpiredNextTokenException,
  InvalidArgumentException,
  KinesisServiceException,
  LimitExceededException,
  ResourceInUseException,
  ResourceNotFoundException,
  ValidationException,
} from "@aws-sdk/client-kinesis";

const EXCEPTIONS = {
  ExpiredIteratorException,
  ExpiredNextTokenException,
  InvalidArgumentException,
  LimitExceededException,
  ResourceInUseException,
  ResourceNotFoundException,
  ValidationException,
};

export type KinesisErrorName = keyof typeof EXCEPTIONS | "UnknownOperationException";

/**
 * The SDK's own exception class for `name`, as its deserialiser would throw it, so callers'
 * `instanceof` and `error.name` checks behave as against AWS.
 */
export function kinesisError(name: KinesisErrorName, message: string): KinesisServiceException {
  if (name === "UnknownOperationException") {
    return new KinesisServiceException({ name, $fault: "client", message, $metadata: {} });
  }
  return new EXCEPTIONS[name]({ message, $metadata: {} });
}

/** Kinesis's wording for a request that breaks the API model's constraints. */
export function validationError(path: string, value: unknown, constraint: string): KinesisServiceException {
  const shown = value === undefined || value === null ? "null" : `'${value instanceof Uint8Array ? "java.nio.HeapByteBuffer" : String(value)}'`;
  return kinesisError("ValidationException", `1 validation error detected: Value ${shown} at '${path}' failed to satisfy constraint: ${constraint}`);
}

interface StringRule {
  min?: number;
  max?: number;
  pattern?: RegExp;
}

/** A string member: null-checked when `required`, then length and pattern checked. */
export function stringMember(value: unknown, path: string, rule: StringRule & { required: true }): string;
export function stringMember(value: unknown, path: string, rule?: StringRule & { required?: boolean }): string | undefined;
export function stringMember(value: unknown, path: string, rule: StringRule & { required?: boolean } = {}): string | undefined {
  if (value === undefined || value === null) {
    if (rule.required) throw validationError(path, value, "Member must not be null");
    return undefined;
  }
  if (typeof value !== "string") throw validationError(path, value, "Member must be a string");
  const { min = 0, max = Number.POSITIVE_INFINITY, pattern } = rule;
  if (value.length < min) throw validationError(path, value, `Member must have length greater than or equal to ${min}`);
  if (value.length > max) throw validationError(path, value, `Member must have length less than or equal to ${max}`);
  if (pattern && !pattern.test(value)) {
    throw validationError(path, value, `Member must satisfy regular expression pattern: ${pattern.source.replace(/^\^|\$$/g, "")}`);
  }
  return value;
}

/** An optional integer member within [min, max]. */
export function integerMember(value: unknown, path: string, min: number, max: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value)) throw validationError(path, value, "Member must be an integer");
  if (value < min) throw validationError(path, value, `Member must have value greater than or equal to ${min}`);
  if (value > max) throw validationError(path, value, `Member must have value less than or equal to ${max}`);
  return value;
}

/** One of the enum's values, when present. */
export function enumMember<T extends string>(value: unknown, path: string, values: readonly T[], required: boolean): T | undefined {
  if (value === undefined || value === null) {
    if (required) throw validationError(path, value, "Member must not be null");
    return undefined;
  }
  if (!values.includes(value as T)) throw validationError(path, value, `Member must satisfy enum value set: [${values.join(", ")}]`);
  return value as T;
}

export const STREAM_NAME = /^[a-zA-Z0-9_.-]+$/;
export const HASH_KEY = /^(0|[1-9]\d{0,38})$/;
export const SEQUENCE_NUMBER = /^(0|[1-9]\d{0,128})$/;
export const SHARD_ID = /^[a-zA-Z0-9_.-]+$/;
