import type { Step } from "../../../core/remediation";
import { clientFor } from "./clients";
import { PlaybookAccessDeniedError, PlaybookStepError, PlaybookThrottledError, ResourceGoneError } from "./errors";
import { commandClass } from "./operations";

/** AWS error codes meaning the resource (or the rule) is not there any more. */
export const GONE_CODES = new Set([
  "InvalidVolume.NotFound",
  "InvalidSnapshot.NotFound",
  "InvalidAllocationID.NotFound",
  "InvalidAddress.NotFound",
  "InvalidGroup.NotFound",
  "InvalidInstanceID.NotFound",
  "InvalidPermission.NotFound",
  "InvalidSecurityGroupRuleId.NotFound",
  "NoSuchBucket",
  "NoSuchEntity",
]);
const DENIED_CODES = new Set(["AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "AuthFailure"]);
const THROTTLED_CODES = new Set([
  "Throttling",
  "ThrottlingException",
  "ThrottledException",
  "RequestLimitExceeded",
  "RequestThrottled",
  "RequestThrottledException",
  "TooManyRequestsException",
  "SlowDown",
]);

/** One AWS call as the executor makes it: a service, an operation, a resolved input. */
export type Caller = (service: Step["service"], operation: string, input: Record<string, unknown>) => Promise<Record<string, unknown>>;

/** AWS's error code: SDK v3 names service errors after it; unmodelled ones carry it in `Code`. */
export function awsCodeOf(error: unknown): string {
  const e = error as { Code?: unknown; name?: unknown };
  return typeof e?.Code === "string" ? e.Code : typeof e?.name === "string" ? e.name : "Unknown";
}

// Outputs become plain JSON (dates as ISO strings, no $metadata): they go into events and the audit log.
function plain(output: unknown): Record<string, unknown> {
  const { $metadata: _, ...rest } = (output ?? {}) as Record<string, unknown>;
  return JSON.parse(JSON.stringify(rest)) as Record<string, unknown>;
}

/**
 * Maps an SDK error to the playbook error the handler acts on: gone (skip), access denied (fail,
 * no retry), throttled (after the SDK's own retries), or a step failure.
 */
export function mapAwsError(error: unknown, operation: string, resourceId: string): Error {
  const code = awsCodeOf(error);
  if (GONE_CODES.has(code)) return new ResourceGoneError(resourceId, operation, code, { cause: error });
  if (DENIED_CODES.has(code)) return new PlaybookAccessDeniedError(operation, code, { cause: error });
  if (THROTTLED_CODES.has(code)) {
    const attempts = (error as { $metadata?: { attempts?: number } }).$metadata?.attempts;
    return new PlaybookThrottledError(operation, code, attempts, { cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new PlaybookStepError(operation, code, message, { cause: error });
}

/**
 * A {@link Caller} that sends through the shared clients and maps failures with {@link mapAwsError}.
 *
 * @param resourceId - named by ResourceGoneError when a call finds the resource gone
 */
export function sdkCaller(resourceId: string): Caller {
  return async (service, operation, input) => {
    const Command = await commandClass(service, operation);
    // The registry erases each command's input type; the plan's input is that operation's input.
    const command = new Command(input as never);
    const client = await clientFor(service);
    const send = client.send.bind(client) as (command: object) => Promise<unknown>;
    try {
      return plain(await send(command));
    } catch (error) {
      throw mapAwsError(error, operation, resourceId);
    }
  };
}
