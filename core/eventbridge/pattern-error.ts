/** A pattern EventBridge would reject, with AWS's wording of the reason. */
export class InvalidEventPatternError extends Error {
  override readonly name = "InvalidEventPatternError";
  readonly code = "eventbridge.invalid_pattern";
  /** The reason alone, without AWS's "Event pattern is not valid" preamble. */
  readonly reason: string;

  constructor(reason: string) {
    super(`Event pattern is not valid. Reason: ${reason}`);
    this.reason = reason;
  }
}
