import { plannedDetail, remediationEventId, signApproval, type Plan, type Policy } from "../../core/remediation";
import { getPlan } from "../../core/store/remediation-records";
import { listRemediationsByStatus } from "../../core/store/queries";
import type { Remediation } from "../../core/store/service";
import { updateRemediation } from "../../core/store/versioned";
import type { VigilPutEventsEntry } from "../../events/outbound/entry";
import { remediationEntry } from "../../events/outbound/remediation";
import { approvalKey, approvalUrl, APPROVAL_TTL_SECONDS } from "./approval-settings";
import { recordedTransition, wasPublished, type RecordedTransition, type RemediationContext } from "./remediation-audit";
import { isDue, runPlan, skip } from "./remediation-run";

const OUTCOMES = ["executed", "failed", "skipped"] as const;

/**
 * The `Remediation Planned` entry of a plan, dated at planning time. In mode `approve` it carries a
 * freshly signed approval link: tokens are never stored, so a republished plan gets a new one (the
 * first link stays valid; whichever is used first decides, the other then finds it decided).
 */
export function plannedEntry(plan: Plan): VigilPutEventsEntry {
  const now = new Date(plan.plannedAt);
  if (plan.mode !== "approve") return remediationEntry("Remediation Planned", plannedDetail(plan, { now }));
  // Wall clock, not event time: the link gives a human a day from when it is sent (a replay's events are old).
  const { token, expiresAt } = signApproval(approvalKey(), plan, APPROVAL_TTL_SECONDS, new Date());
  return remediationEntry("Remediation Planned", plannedDetail(plan, { now, approvalUrl: approvalUrl(plan.remediationId, token), expiresAt }));
}

/** What {@link recoverRemediation} did for a remediation an earlier delivery claimed. */
export interface Recovery {
  item: Remediation;
  /** Detail-types published again because no audit entry showed them published. */
  republished: string[];
  /** Whether it ran the plan (an auto plan whose action had not started). */
  ran: boolean;
}

// Finishes a transition the outbox recorded but the status write never made, then publishes it.
async function finish(ctx: RemediationContext, item: Remediation, recorded: RecordedTransition): Promise<Remediation> {
  const next = await updateRemediation(ctx.store, item.remediationId, item.version, { ...recorded.changes, updatedAt: ctx.now.toISOString() });
  await ctx.publish([remediationEntry(recorded.detailType, recorded.detail as never)]);
  return next;
}

/**
 * Recovers a remediation an earlier delivery of the same trigger claimed, after a crash anywhere
 * between its writes and its publishes: publishes again (same event ids) `Remediation Planned` and
 * the outcome event when the audit writer never saw them, finishes a status change the outbox
 * recorded but the item does not show, and finishes a dry-run or runs an auto plan whose action
 * never started. Never runs
 * an action twice: a plan whose `before` is set has started, and only its recorded outcome is replayed.
 */
export async function recoverRemediation(ctx: RemediationContext, item: Remediation, plan: Plan, policy: Policy | undefined): Promise<Recovery> {
  const republished: string[] = [];
  if (!(await wasPublished(ctx, remediationEventId("Remediation Planned", plan.remediationId)))) {
    await ctx.publish([plannedEntry(plan)]);
    republished.push("Remediation Planned");
  }
  if ((OUTCOMES as readonly string[]).includes(item.status)) {
    const recorded = await recordedTransition(ctx, item.remediationId, item.status);
    if (recorded && !(await wasPublished(ctx, recorded.detail.eventId))) {
      await ctx.publish([remediationEntry(recorded.detailType, recorded.detail as never)]);
      republished.push(recorded.detailType);
    }
    return { item, republished, ran: false };
  }
  for (const status of OUTCOMES) {
    const recorded = await recordedTransition(ctx, item.remediationId, status);
    if (recorded) return { item: await finish(ctx, item, recorded), republished: [...republished, recorded.detailType], ran: false };
  }
  if (policy && item.status === "planned" && item.before === undefined) {
    // A dry-run that crashed before saying so; an auto plan whose reads were throttled, or whose run
    // crashed before the action started.
    if (plan.mode === "dry-run") return { item: await skip(ctx, item, plan, "dry_run"), republished, ran: true };
    if (plan.mode === "auto" && isDue(plan, ctx.now)) return { item: await runPlan(ctx, item, plan, policy.guardrails), republished, ran: true };
  }
  return { item, republished, ran: false };
}

/**
 * Runs every plan that waited for its `notBefore` (a just-in-time grant's end) and is now due:
 * auto plans still `planned`, and approved ones, whose action has not started. Meant for a
 * schedule tick; a plan whose policy is gone from the config is left as it is.
 *
 * @param policies - the configured policies, by name
 * @returns the remediations it ran, with their new status
 */
export async function runDuePlans(ctx: RemediationContext, policies: ReadonlyMap<string, Policy>): Promise<{ remediationId: string; status: string }[]> {
  const waiting = [...(await listRemediationsByStatus(ctx.store, "planned")), ...(await listRemediationsByStatus(ctx.store, "approved"))];
  const ran: { remediationId: string; status: string }[] = [];
  for (const item of waiting) {
    if (item.before !== undefined || (item.status === "planned" && item.mode !== "auto")) continue;
    const plan = await getPlan(ctx.store, item.remediationId);
    const policy = policies.get(item.policy);
    if (!plan?.notBefore || !policy || !isDue(plan, ctx.now)) continue;
    const done = await runPlan(ctx, item, plan, policy.guardrails);
    ran.push({ remediationId: item.remediationId, status: done.status });
  }
  return ran;
}
