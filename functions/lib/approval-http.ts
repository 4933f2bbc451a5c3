import type { APIGatewayProxyResultV2 } from "aws-lambda";
import type { ApprovalRefusal } from "../../core/remediation";
import { PlaybookThrottledError } from "./playbooks/errors";
import { logger } from "./powertools";

/** Base of the errors the approve function answers with; `code` is stable and dotted. */
export class ApprovalError extends Error {
  override name = "ApprovalError";
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

/** The request lacks or misspells `remediationId`, `token` or `decision`. */
export class ApprovalRequestError extends ApprovalError {
  override name = "ApprovalRequestError";

  constructor(detail: string) {
    super("approval.bad_request", `bad approval request: ${detail}`);
  }
}

/** No plan is stored under the remediation id the link names. */
export class UnknownRemediationError extends ApprovalError {
  override name = "UnknownRemediationError";

  constructor(remediationId: string) {
    super("approval.unknown_remediation", `no planned remediation ${remediationId}`);
  }
}

/** The token was refused; `reason` is the specific one (forged, expired, already used, other plan, malformed). */
export class ApprovalRefusedError extends ApprovalError {
  override name = "ApprovalRefusedError";

  constructor(
    readonly reason: ApprovalRefusal,
    remediationId: string,
  ) {
    super(`approval.${reason}`, `approval token for ${remediationId} refused: ${reason.replace("_", " ")}`);
  }
}

/** The remediation is no longer waiting for a decision. */
export class NotPendingApprovalError extends ApprovalError {
  override name = "NotPendingApprovalError";

  constructor(remediationId: string, status: string) {
    super("approval.not_pending", `remediation ${remediationId} is ${status}, not pending approval`);
  }
}

const REFUSAL_STATUS: Record<ApprovalRefusal, number> = { forged: 403, malformed: 400, other_plan: 403, expired: 410, already_used: 409 };

function json(statusCode: number, body: Record<string, unknown>): APIGatewayProxyResultV2 {
  return { statusCode, headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
}

/** A decision that went through: 200 with what became of the remediation. */
export function decided(body: { remediationId: string; decision: string; status: string }): APIGatewayProxyResultV2 {
  return json(200, { ok: true, ...body });
}

/**
 * The one place errors become HTTP answers: each known error with its status, code and message;
 * anything else as a 500 without internals (logged in full).
 */
export function errorResponse(error: unknown): APIGatewayProxyResultV2 {
  if (error instanceof ApprovalRefusedError) return json(REFUSAL_STATUS[error.reason], { ok: false, code: error.code, reason: error.reason, message: error.message });
  if (error instanceof ApprovalRequestError) return json(400, { ok: false, code: error.code, message: error.message });
  if (error instanceof UnknownRemediationError) return json(404, { ok: false, code: error.code, message: error.message });
  if (error instanceof NotPendingApprovalError) return json(409, { ok: false, code: error.code, message: error.message });
  if (error instanceof PlaybookThrottledError) return json(503, { ok: false, code: error.code, message: "AWS is throttling the action; the remediation stays approved, ask an operator to re-run it" });
  logger.error("approval failed", error as Error);
  return json(500, { ok: false, code: "approval.internal", message: "the approval could not be processed" });
}
