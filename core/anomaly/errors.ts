/** Base class of every error the anomaly detectors raise; `code` is stable and dotted. */
export class AnomalyError extends Error {
  override name = "AnomalyError";
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

/** A detector configuration is out of range (names the field and the bound). */
export class InvalidDetectorConfigError extends AnomalyError {
  override name = "InvalidDetectorConfigError";

  constructor(
    readonly field: string,
    reason: string,
  ) {
    super("anomaly.invalid_config", `Invalid detector config "${field}": ${reason}`);
  }
}

/** A serialised detector state cannot be loaded (wrong version, shape or size). */
export class InvalidDetectorStateError extends AnomalyError {
  override name = "InvalidDetectorStateError";

  constructor(reason: string) {
    super("anomaly.invalid_state", `Cannot load detector state: ${reason}`);
  }
}
