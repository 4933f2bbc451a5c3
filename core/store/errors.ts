/** Base class of every error the store raises; `code` is stable and dotted. */
export class StoreError extends Error {
  override name = "StoreError";
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/**
 * A conditional write lost a race: the item's `version` was not the one the writer read
 * (or, for a create, the item already existed). Re-read and retry the decision.
 */
export class ConcurrencyConflictError extends StoreError {
  override name = "ConcurrencyConflictError";
  readonly entity: string;
  readonly id: string;
  readonly expectedVersion: number;

  constructor(entity: string, id: string, expectedVersion: number, options?: { cause?: unknown }) {
    const expectation =
      expectedVersion === 0 ? "to not exist yet" : `to be at version ${expectedVersion}`;
    super(
      "store.version_conflict",
      `${entity} "${id}" was changed by another writer: expected it ${expectation}`,
      options,
    );
    this.entity = entity;
    this.id = id;
    this.expectedVersion = expectedVersion;
  }
}

/** A batch operation still had unprocessed keys after its bounded retries. */
export class BatchIncompleteError extends StoreError {
  override name = "BatchIncompleteError";
  readonly unprocessed: number;

  constructor(operation: string, unprocessed: number) {
    super(
      "store.batch_incomplete",
      `${operation} left ${unprocessed} key(s) unprocessed after retries (throttled?)`,
    );
    this.unprocessed = unprocessed;
  }
}

/**
 * True when `err` (or an error it wraps, as ElectroDB does with `cause`) is DynamoDB's
 * ConditionalCheckFailedException.
 */
export function isConditionalCheckFailure(err: unknown): boolean {
  for (let current = err, depth = 0; current !== undefined && depth < 5; depth++) {
    if (!(current instanceof Error)) return false;
    if (current.name === "ConditionalCheckFailedException") return true;
    current = current.cause;
  }
  return false;
}
