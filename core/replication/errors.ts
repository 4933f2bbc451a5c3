/** Base class of every error the replication domain raises; `code` is stable and dotted. */
export class ReplicationError extends Error {
  override name = "ReplicationError";
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

/** The `replication` config section does not match its schema (names the path of the first problem). */
export class InvalidReplicationConfigError extends ReplicationError {
  override name = "InvalidReplicationConfigError";

  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super("replication.invalid_config", `Invalid replication config: ${reason}`);
  }
}

/** A signal was applied to the state of a different protected resource. */
export class TargetMismatchError extends ReplicationError {
  override name = "TargetMismatchError";

  constructor(stateTarget: string, target: string) {
    super("replication.target_mismatch", `State of target "${stateTarget}" cannot be evaluated against target "${target}"`);
  }
}
