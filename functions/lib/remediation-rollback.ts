import { executedDetail, failedDetail, type Plan } from "../../core/remediation";
import { getPlan } from "../../core/store/remediation-records";
import { remediationEntry, type RemediationDetailType } from "../../events/outbound/remediation";
import { executeRollback } from "./playbooks/rollback";
import { auditedStep, auditStep, wasPublished, type RemediationContext } from "./remediation-audit";

/** Why a rollback was refused before anything ran. */
export type RollbackRefusal = "unknown_remediation" | "not_executed" | "unsupported" | "in_progress";

/** A rollback that cannot start; `code` is `remediation.rollback_<reason>`. */
export class RollbackRefusedError extends Error {
  override name = "RollbackRefusedError";
  readonly code: string;

  constructor(
    readonly reason: RollbackRefusal,
    remediationId: string,
    detail: string,
  ) {
    super(`cannot roll back ${remediationId}: ${detail}`);
    this.code = `remediation.rollback_${reason}`;
  }
}

/** What a rollback came to; `duplicate` when an earlier rollback of the same remediation finished it. */
export interface RollbackResult {
  remediationId: string;
  outcome: "executed" | "failed";
  after?: Record<string, unknown>;
  reason?: string;
  duplicate: boolean;
}

interface FinishedAction {
  before?: Record<string, unknown>;
  results?: Record<string, unknown>[];
}

interface FinishedRollback {
  outcome: "executed" | "failed";
  after?: Record<string, unknown>;
  reason?: string;
  detailType: RemediationDetailType;
  detail: { eventId: string } & Record<string, unknown>;
}

// A rollback claimed before: publish its recorded outcome again if it never got out, or refuse.
async function finishedBefore(ctx: RemediationContext, plan: Plan): Promise<RollbackResult> {
  const done = (await auditedStep(ctx, plan.remediationId, "rollback-finished")) as FinishedRollback | undefined;
  if (!done) {
    throw new RollbackRefusedError("in_progress", plan.remediationId, "a rollback started earlier and never finished; check the resource, then act by hand (see the audit entry remediation.rollback-started)");
  }
  if (!(await wasPublished(ctx, done.detail.eventId))) await ctx.publish([remediationEntry(done.detailType, done.detail as never)]);
  return { remediationId: plan.remediationId, outcome: done.outcome, ...(done.after ? { after: done.after } : {}), ...(done.reason ? { reason: done.reason } : {}), duplicate: true };
}

/**
 * Rolls an executed remediation back with its plan's rollback steps (restore the previous public
 * access block, re-authorize revoked rules, reactivate a key, restore an instance's security groups…).
 * Audited before (`remediation.rollback-started`, which is also the claim: a rollback runs once) and
 * after (`remediation.rollback-finished`), then published as `Remediation Executed` or
 * `Remediation Failed` with `operation: "rollback"` and an event id of its own. The remediation item
 * keeps its status `executed`; the audit chain records the rollback.
 *
 * @throws RollbackRefusedError when the remediation is unknown, not executed, has no rollback, or
 *   a rollback of it started and never finished
 */
export async function rollbackRemediation(ctx: RemediationContext, remediationId: string): Promise<RollbackResult> {
  const plan = await getPlan(ctx.store, remediationId);
  const item = (await ctx.store.entities.remediation.get({ remediationId }).go()).data;
  if (!plan || !item) throw new RollbackRefusedError("unknown_remediation", remediationId, "no such remediation in this store");
  if (item.status !== "executed") throw new RollbackRefusedError("not_executed", remediationId, `it is ${item.status}, and only an executed action can be undone`);
  if (!plan.rollback.supported) throw new RollbackRefusedError("unsupported", remediationId, `${plan.action}: ${plan.rollback.reason}`);

  const action = ((await auditedStep(ctx, remediationId, "action-finished")) ?? {}) as FinishedAction;
  const before = (item.before ?? action.before ?? {}) as Record<string, unknown>;
  const current = (item.after ?? {}) as Record<string, unknown>;
  const started = await auditStep(ctx, plan, "rollback-started", { action: plan.action, steps: plan.rollback.steps, restoring: before, by: ctx.actor });
  if (started.duplicate) return finishedBefore(ctx, plan);

  let finished: FinishedRollback;
  try {
    const { after, results } = await executeRollback(plan, before, action.results ?? []);
    const detail = executedDetail(plan, { now: ctx.now, before: current, after, operation: "rollback" });
    finished = { outcome: "executed", after, detailType: "Remediation Executed", detail };
    await auditStep(ctx, plan, "rollback-finished", { ...finished, results });
  } catch (error) {
    const reason = error instanceof Error ? `${(error as { code?: string }).code ?? error.name}: ${error.message}` : String(error);
    const detail = failedDetail(plan, { now: ctx.now, reason, before: current, operation: "rollback" });
    finished = { outcome: "failed", reason, detailType: "Remediation Failed", detail };
    await auditStep(ctx, plan, "rollback-finished", finished);
  }
  await ctx.publish([remediationEntry(finished.detailType, finished.detail as never)]);
  return { remediationId, outcome: finished.outcome, ...(finished.after ? { after: finished.after } : {}), ...(finished.reason ? { reason: finished.reason } : {}), duplicate: false };
}
