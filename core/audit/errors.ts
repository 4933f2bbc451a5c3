/** Base class of every error the audit chain raises; `code` is stable and dotted. */
export class AuditError extends Error {
  override name = "AuditError";
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** A value cannot be canonically encoded (non-finite number, undefined in an array, a class instance...). */
export class NonCanonicalValueError extends AuditError {
  override name = "NonCanonicalValueError";
  readonly path: string;

  constructor(path: string, reason: string) {
    super("audit.non_canonical_value", `Cannot canonically encode the value at ${path}: ${reason}`);
    this.path = path;
  }
}

/** An append lost the race for the chain head more times than it was allowed to retry. */
export class AppendContentionError extends AuditError {
  override name = "AppendContentionError";

  constructor(chainId: string, eventId: string, attempts: number) {
    super(
      "audit.append_contention",
      `Could not append event "${eventId}" to audit chain "${chainId}": lost the head to other writers ${attempts} times`,
    );
  }
}
