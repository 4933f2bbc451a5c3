/** How long an approval link stays valid. */
export const APPROVAL_TTL_SECONDS = 24 * 60 * 60;

/** Where approval links point when VIGIL_APPROVAL_URL is unset: the local runtime's approve function. */
export const LOCAL_APPROVAL_URL = "http://127.0.0.1:4010/approve";

/** Approval tokens cannot be signed or checked without a key. */
export class MissingApprovalKeyError extends Error {
  override name = "MissingApprovalKeyError";
  readonly code = "remediation.approval_key_missing";

  constructor() {
    super("VIGIL_APPROVAL_KEY is not set: infra passes the ApprovalKey secret, the local runtime a random key");
  }
}

/**
 * The HMAC key approval tokens are signed with: the `ApprovalKey` SST Secret in AWS, a random
 * per-process key locally, both passed as VIGIL_APPROVAL_KEY.
 *
 * @throws MissingApprovalKeyError when it is not set
 */
export function approvalKey(): string {
  const key = process.env.VIGIL_APPROVAL_KEY;
  if (!key) throw new MissingApprovalKeyError();
  return key;
}

/** The link a human follows to approve or reject one remediation (the function URL of `approve`). */
export function approvalUrl(remediationId: string, token: string): string {
  const url = new URL(process.env.VIGIL_APPROVAL_URL || LOCAL_APPROVAL_URL);
  url.searchParams.set("remediationId", remediationId);
  url.searchParams.set("token", token);
  return url.toString();
}
