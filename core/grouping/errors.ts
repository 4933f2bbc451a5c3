/** Base class of every error the grouping domain raises; `code` is stable and dotted. */
export class GroupingError extends Error {
  override name = "GroupingError";
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

/** A topology (config `topology` section or `--topology` file) does not match the expected format. */
export class InvalidTopologyError extends GroupingError {
  override name = "InvalidTopologyError";

  constructor(reason: string) {
    super("grouping.invalid_topology", `Invalid topology: ${reason}`);
  }
}
