import type { Plan, Step } from "../../../core/remediation";
import { sdkCaller, type Caller } from "./call";
import { UnresolvedReferenceError } from "./errors";
import { narrowToOpenRules, readAfter, type Execution } from "./execute";
import { describeRef, resolveRefs } from "./refs";

/** A plan whose playbook cannot be undone (a deleted snapshot), or that recorded nothing to undo with. */
export class RollbackUnsupportedError extends Error {
  override name = "RollbackUnsupportedError";
  readonly code = "playbook.rollback_unsupported";

  constructor(remediationId: string, reason: string) {
    super(`remediation ${remediationId} cannot be rolled back: ${reason}`);
  }
}

// A bucket that had no public access block gets none back: PutPublicAccessBlock cannot express "none".
function rollbackSteps(plan: Plan, before: Record<string, unknown>): Step[] {
  if (!plan.rollback.supported) throw new RollbackUnsupportedError(plan.remediationId, plan.rollback.reason);
  if (plan.action === "s3.block-public-access" && before.PublicAccessBlockConfiguration === undefined && plan.facts.kind === "s3-bucket") {
    return [{ service: "s3", operation: "DeletePublicAccessBlock", input: { Bucket: plan.facts.bucket }, purpose: "remove the block the bucket did not have" }];
  }
  return plan.rollback.steps;
}

/**
 * Undoes an executed plan with its `rollback` steps, filling `{ $before }` from the state captured
 * before the action and `{ $step }` from the action's own step results (e.g. the snapshot a deleted
 * volume is recreated from), then re-reads the resource. Re-opened ingress is limited to the
 * world-open rules the group really had, so a rule the action never revoked is not added.
 *
 * @param before - the state captured before the action (the item's `before`)
 * @param results - the action's step outputs, in order, as audited when it finished
 * @throws RollbackUnsupportedError when the playbook has no rollback
 * @throws UnresolvedReferenceError, PlaybookAccessDeniedError, PlaybookThrottledError, PlaybookStepError, ResourceGoneError
 */
export async function executeRollback(
  plan: Plan,
  before: Record<string, unknown>,
  results: readonly Record<string, unknown>[],
  options: { call?: Caller } = {},
): Promise<Execution> {
  const call = options.call ?? sdkCaller(plan.resource.id);
  const outputs: Record<string, unknown>[] = [];
  for (const step of rollbackSteps(plan, before)) {
    const input = resolveRefs(step.input, { before, results }, (ref) => {
      throw new UnresolvedReferenceError(step.operation, describeRef(ref));
    }) as Record<string, unknown>;
    const effective = plan.action === "ec2.revoke-open-ingress" ? narrowToOpenRules(input, before) : input;
    outputs.push(await call(step.service, step.operation, effective));
  }
  return { after: await readAfter(call, plan), results: outputs };
}
