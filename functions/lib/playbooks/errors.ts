/** Base class of the errors a playbook's AWS calls raise; `code` is stable and dotted. */
export class PlaybookError extends Error {
  override name = "PlaybookError";
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** The resource vanished before or while acting: the handler reports `Remediation Skipped`, not a failure. */
export class ResourceGoneError extends PlaybookError {
  override name = "ResourceGoneError";

  constructor(
    readonly resourceId: string,
    readonly operation: string,
    readonly awsCode: string,
    options?: { cause?: unknown },
  ) {
    super("playbook.resource_gone", `${resourceId} no longer exists (${operation}: ${awsCode})`, options);
  }
}

/** The function's role may not make a call; retrying cannot help, so the handler fails without retry. */
export class PlaybookAccessDeniedError extends PlaybookError {
  override name = "PlaybookAccessDeniedError";

  constructor(
    readonly operation: string,
    readonly awsCode: string,
    options?: { cause?: unknown },
  ) {
    super("playbook.access_denied", `access denied to ${operation} (${awsCode})`, options);
  }
}

/** AWS kept throttling a call after the SDK's retries; the invocation may be retried later. */
export class PlaybookThrottledError extends PlaybookError {
  override name = "PlaybookThrottledError";

  constructor(
    readonly operation: string,
    readonly awsCode: string,
    readonly attempts: number | undefined,
    options?: { cause?: unknown },
  ) {
    super("playbook.throttled", `${operation} still throttled (${awsCode}) after ${attempts ?? "all"} attempt(s)`, options);
  }
}

/** Any other failure of a call, naming the operation and AWS's error code. */
export class PlaybookStepError extends PlaybookError {
  override name = "PlaybookStepError";

  constructor(
    readonly operation: string,
    readonly awsCode: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super("playbook.step_failed", `${operation} failed (${awsCode}): ${detail}`, options);
  }
}

/** A step names an operation the executor does not know: the plan and the executor disagree. */
export class UnknownOperationError extends PlaybookError {
  override name = "UnknownOperationError";

  constructor(service: string, operation: string) {
    super("playbook.unknown_operation", `no ${service} operation ${operation} in the playbook executor`);
  }
}

/** A `{ $before }` or `{ $step }` marker points at nothing in the captured state or the step results. */
export class UnresolvedReferenceError extends PlaybookError {
  override name = "UnresolvedReferenceError";

  constructor(operation: string, reference: string) {
    super("playbook.unresolved_reference", `${operation}: ${reference} resolves to nothing`);
  }
}
