import type { OpenIngressRule, Plan, Step } from "../../../core/remediation";
import { sdkCaller, type Caller } from "./call";
import { stillOpen, supplementaryCapture } from "./checks";
import { PlaybookStepError, ResourceGoneError, UnresolvedReferenceError } from "./errors";
import { describeRef, resolveRefs } from "./refs";
import { ensureQuarantineGroup, waitForSnapshot, type SnapshotWait } from "./special";

export { checkPreconditions, type PreconditionVerdict } from "./checks";

/** What the executor did: the state re-read afterwards, and each step's output in order. */
export interface Execution {
  after: Record<string, unknown>;
  results: Record<string, unknown>[];
}

export interface ExecuteOptions {
  /** How long to wait for a snapshot before deleting its volume (default 600 s, polled every 15 s). */
  snapshotWait?: SnapshotWait;
  /** The calls to make; the shared SDK clients by default. */
  call?: Caller;
}

const DEFAULT_SNAPSHOT_WAIT: SnapshotWait = { maxSeconds: 600, pollSeconds: 15 };

// Describe calls that list the target itself: an empty list means it is gone.
const TARGET_LISTS: Readonly<Record<string, string>> = {
  DescribeVolumes: "Volumes",
  DescribeAddresses: "Addresses",
  DescribeSnapshots: "Snapshots",
  DescribeInstances: "Reservations",
};
// Errors that record a state rather than a failure (a bucket with no public access block).
const ABSENT_STATE_CODES = new Set(["NoSuchPublicAccessBlockConfiguration"]);

async function read(call: Caller, plan: Plan, steps: Step[]): Promise<Record<string, unknown>> {
  const before: Record<string, unknown> = {};
  for (const [i, step] of steps.entries()) {
    let unresolved = false;
    const input = resolveRefs(step.input, { before, results: [] }, () => (unresolved = true)) as Record<string, unknown>;
    // A related resource the target no longer names (a snapshot without a source volume) is absent.
    if (unresolved) continue;
    try {
      const out = await call(step.service, step.operation, input);
      const list = i === 0 ? TARGET_LISTS[step.operation] : undefined;
      if (list && Array.isArray(out[list]) && out[list].length === 0) throw new ResourceGoneError(plan.resource.id, step.operation, "EmptyResult");
      Object.assign(before, out);
    } catch (error) {
      // The first read is of the target itself; later ones read what it relates to, where not found is a state.
      if (error instanceof ResourceGoneError && i > 0) continue;
      if (error instanceof PlaybookStepError && ABSENT_STATE_CODES.has(error.awsCode)) continue;
      throw error;
    }
  }
  return before;
}

/**
 * Re-reads the resource as it is now (the plan's capture, plus the executor's own checks' reads):
 * the `before` state that preconditions judge, events report and rollback restores.
 *
 * @throws ResourceGoneError when the target no longer exists (the handler skips with `resource_not_found`)
 * @throws PlaybookAccessDeniedError, PlaybookThrottledError or PlaybookStepError when a read fails
 */
export async function capture(plan: Plan, options: Pick<ExecuteOptions, "call"> = {}): Promise<Record<string, unknown>> {
  const call = options.call ?? sdkCaller(plan.resource.id);
  return read(call, plan, [...plan.capture, ...supplementaryCapture(plan)]);
}

interface IpPermissionInput {
  IpProtocol?: string;
  FromPort?: number;
  ToPort?: number;
  IpRanges?: { CidrIp?: string }[];
  Ipv6Ranges?: { CidrIpv6?: string }[];
}

/**
 * Keeps in an ingress call's `IpPermissions` only the world-open rules the group had in `before`:
 * revoking a rule already gone, or re-authorizing one that never was, fails the whole call.
 */
export function narrowToOpenRules(input: Record<string, unknown>, before: Record<string, unknown>): Record<string, unknown> {
  const permissions = (input.IpPermissions ?? []) as IpPermissionInput[];
  const kept = permissions.filter((p) => {
    const cidr = p.IpRanges?.[0]?.CidrIp ?? p.Ipv6Ranges?.[0]?.CidrIpv6 ?? "";
    const rule: OpenIngressRule = { ipProtocol: p.IpProtocol ?? "", fromPort: p.FromPort, toPort: p.ToPort, cidr };
    return stillOpen(rule, before);
  });
  return { ...input, IpPermissions: kept };
}

async function runStep(call: Caller, plan: Plan, step: Step, input: Record<string, unknown>, before: Record<string, unknown>, wait: SnapshotWait) {
  if (step.service === "ec2" && step.operation === "CreateSecurityGroup") return ensureQuarantineGroup(call, input);
  const effective = plan.action === "ec2.revoke-open-ingress" && step.operation === "RevokeSecurityGroupIngress" ? narrowToOpenRules(input, before) : input;
  const out = await call(step.service, step.operation, effective);
  if (step.service === "ec2" && step.operation === "CreateSnapshot" && typeof out.SnapshotId === "string") {
    await waitForSnapshot(call, out.SnapshotId, wait);
  }
  return out;
}

/**
 * Runs a plan's steps in order, filling `{ $before }` markers from the captured state and
 * `{ $step }` markers from earlier results, then re-reads the resource for `after`.
 * Call {@link capture} and `checkPreconditions` first; this does not check them again.
 *
 * @throws ResourceGoneError when the resource vanished since capture (the handler skips)
 * @throws PlaybookAccessDeniedError (not retryable), PlaybookThrottledError (after the SDK's retries),
 *   PlaybookStepError, UnresolvedReferenceError when a marker points at nothing
 */
export async function execute(plan: Plan, before: Record<string, unknown>, options: ExecuteOptions = {}): Promise<Execution> {
  const call = options.call ?? sdkCaller(plan.resource.id);
  const results: Record<string, unknown>[] = [];
  for (const step of plan.steps) {
    const input = resolveRefs(step.input, { before, results }, (ref) => {
      throw new UnresolvedReferenceError(step.operation, describeRef(ref));
    }) as Record<string, unknown>;
    results.push(await runStep(call, plan, step, input, before, options.snapshotWait ?? DEFAULT_SNAPSHOT_WAIT));
  }
  return { after: await readAfter(call, plan), results };
}

/**
 * Re-reads the resource after an action or a rollback. The change already happened, so a failed
 * re-read is recorded (`gone`, `unreadable`), never thrown: a retry would act twice.
 */
export async function readAfter(call: Caller, plan: Plan): Promise<Record<string, unknown>> {
  if (plan.capture.length === 0) return {};
  try {
    return await read(call, plan, plan.capture);
  } catch (error) {
    if (error instanceof ResourceGoneError) return { gone: true };
    return { unreadable: error instanceof Error ? error.message : String(error) };
  }
}

