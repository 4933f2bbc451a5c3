/** Base class of every error the remediation domain raises; `code` is stable and dotted. */
export class RemediationError extends Error {
  override name = "RemediationError";
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

/** The `remediation` config section is wrong; `path` names the first problem (e.g. `remediation.policies.0.on`). */
export class InvalidRemediationConfigError extends RemediationError {
  override name = "InvalidRemediationConfigError";

  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super("remediation.invalid_config", `${path}: ${reason}`);
  }
}

/** An approval key too short to make HMAC tokens unforgeable. */
export class InvalidApprovalKeyError extends RemediationError {
  override name = "InvalidApprovalKeyError";

  constructor(bytes: number) {
    super("remediation.invalid_approval_key", `approval key has ${bytes} bytes; at least 32 are required`);
  }
}

/** A plan was asked of a playbook for a resource type it does not act on. */
export class TargetMismatchError extends RemediationError {
  override name = "TargetMismatchError";

  constructor(action: string, resourceType: string) {
    super("remediation.target_mismatch", `playbook ${action} does not act on ${resourceType}`);
  }
}
