import {
  checkGuardrails,
  executedDetail,
  failedDetail,
  guardrailSkippedDetail,
  skippedDetail,
  type Guardrails,
  type Plan,
  type SkipReason,
} from "../../core/remediation";
import { recentActions, recordAction } from "../../core/store/remediation-records";
import type { Remediation } from "../../core/store/service";
import { updateRemediation } from "../../core/store/versioned";
import type { OutboundDetailInput } from "../../events/outbound/registry";
import { remediationEntry, type RemediationDetailType } from "../../events/outbound/remediation";
import { PlaybookAccessDeniedError, ResourceGoneError } from "./playbooks/errors";
import { capture, checkPreconditions, execute } from "./playbooks/execute";
import { auditStep, type RecordedTransition, type RemediationContext } from "./remediation-audit";
import { resourceTags } from "./resource-tags";

export { auditStep, type RemediationContext } from "./remediation-audit";

/**
 * Moves the item to its next status, then (only after the write) publishes the event that says so.
 * The event is first recorded in the audit chain (`remediation.status`, the outbox), so a crash
 * between the write and the publish leaves what a redelivery needs to publish it again, with the
 * same event id (see `recoverRemediation`). A transition recorded already publishes what was recorded.
 */
export async function transition<T extends RemediationDetailType>(
  ctx: RemediationContext,
  item: Remediation,
  changes: { status: Remediation["status"]; before?: unknown; after?: unknown },
  detailType: T,
  detail: OutboundDetailInput<T>,
): Promise<Remediation> {
  const recorded = await auditStep(ctx, item, `status:${changes.status}`, { changes, detailType, detail });
  const entry = recorded.duplicate ? (JSON.parse(recorded.entry.payload) as RecordedTransition) : undefined;
  const next = await updateRemediation(ctx.store, item.remediationId, item.version, { ...(entry?.changes ?? changes), updatedAt: ctx.now.toISOString() });
  await ctx.publish([entry ? remediationEntry(entry.detailType, entry.detail as never) : remediationEntry(detailType, detail as never)]);
  return next;
}

/** Records a skip (store, audit through the event, publish). */
export function skip(ctx: RemediationContext, item: Remediation, plan: Plan, reason: SkipReason, detail?: string, before?: Record<string, unknown>) {
  return transition(ctx, item, { status: "skipped", ...(before ? { before } : {}) }, "Remediation Skipped", skippedDetail(plan, { now: ctx.now, skip: reason, detail, before }));
}

const MINUTE = 60_000;

/** Whether a plan may act at `now`: always, unless it names a later `notBefore`. */
export function isDue(plan: Plan, now: Date): boolean {
  return plan.notBefore === undefined || Date.parse(plan.notBefore) <= now.getTime();
}

// The longest window any of the policy's limits looks back over.
function historyWindowMinutes(g: Guardrails): number {
  return Math.max(0, g.rateLimit?.perPolicy?.windowMinutes ?? 0, g.rateLimit?.perAccount?.windowMinutes ?? 0, g.blastRadius?.windowMinutes ?? 0);
}

/**
 * Runs a plan that may act (mode `auto`, or approved): guardrails against the resource's current tags
 * and the recorded history, capture, preconditions, then the steps, with an audit entry before and
 * after the action. Ends in Executed, Failed or Skipped; never acts twice, because the item's
 * `before` is written (a version-conditional update) before the first step and a run that finds it
 * set does nothing.
 *
 * @throws PlaybookThrottledError when AWS throttles the reads before any action (the invocation is retried)
 */
export async function runPlan(ctx: RemediationContext, item: Remediation, plan: Plan, guardrails: Guardrails): Promise<Remediation> {
  if (item.before !== undefined) return item;
  // Not due yet (a just-in-time grant still running): the item waits, planned, for `runDuePlans`.
  if (!isDue(plan, ctx.now)) return item;
  let before: Record<string, unknown>;
  try {
    const window = historyWindowMinutes(guardrails);
    const history = window > 0 ? await recentActions(ctx.store, { policy: plan.policy, account: plan.resource.account, since: new Date(ctx.now.getTime() - window * MINUTE) }) : [];
    const verdict = checkGuardrails(plan, { tags: await resourceTags(plan), now: ctx.now, history }, guardrails);
    if (!verdict.allowed) {
      await auditStep(ctx, plan, "refused", { guardrail: verdict.guardrail, reason: verdict.reason });
      return await transition(ctx, item, { status: "skipped" }, "Remediation Skipped", guardrailSkippedDetail(plan, verdict, ctx.now));
    }
    before = await capture(plan);
  } catch (error) {
    if (error instanceof ResourceGoneError) return skip(ctx, item, plan, "resource_not_found", error.message);
    throw error;
  }
  const pre = checkPreconditions(plan, before, ctx.now);
  if (!pre.ok) return skip(ctx, item, plan, "precondition_failed", pre.reason, before);

  await auditStep(ctx, plan, "action-started", { action: plan.action, resource: plan.resource, steps: plan.steps, before });
  const started = await updateRemediation(ctx.store, item.remediationId, item.version, { status: item.status, before, updatedAt: ctx.now.toISOString() });
  await recordAction(ctx.store, { remediationId: plan.remediationId, policy: plan.policy, account: plan.resource.account, resource: plan.resource.id, at: ctx.now });
  let execution: Awaited<ReturnType<typeof execute>>;
  try {
    execution = await execute(plan, before);
  } catch (error) {
    if (error instanceof ResourceGoneError) {
      await auditStep(ctx, plan, "action-finished", { outcome: "skipped", reason: error.message, before });
      return skip(ctx, started, plan, "resource_not_found", error.message, before);
    }
    // Access denied cannot succeed on retry, and any other failure mid-steps must not re-run the
    // steps that did succeed: both end the remediation as Failed.
    const reason = error instanceof Error ? `${(error as { code?: string }).code ?? error.name}: ${error.message}` : String(error);
    await auditStep(ctx, plan, "action-finished", { outcome: "failed", reason, retryable: !(error instanceof PlaybookAccessDeniedError), before });
    return transition(ctx, started, { status: "failed" }, "Remediation Failed", failedDetail(plan, { now: ctx.now, reason, before }));
  }
  const { after, results } = execution;
  // The step results (a snapshot id…) are what a rollback may need, beside `before`. Outside the
  // try: a failure to record or publish the outcome is not a failed action (the redelivery recovers it).
  await auditStep(ctx, plan, "action-finished", { outcome: "executed", before, after, results });
  return transition(ctx, started, { status: "executed", after }, "Remediation Executed", executedDetail(plan, { now: ctx.now, before, after }));
}
