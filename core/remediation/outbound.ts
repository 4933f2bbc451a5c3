import { createHash } from "node:crypto";
import type { z } from "zod";
import { describeFirstIssue } from "../../events/format-issue";
import type { Severity } from "../../events/outbound/envelope";
import {
  RemediationApprovedDetailSchema,
  RemediationExecutedDetailSchema,
  RemediationFailedDetailSchema,
  RemediationPlannedDetailSchema,
  RemediationSkippedDetailSchema,
} from "../../events/outbound/remediation";
import { RemediationError } from "./errors";
import type { GuardrailVerdict } from "./guardrails";
import type { Plan } from "./plan";

/** Why a remediation was skipped, as the first word of `reason`. */
export type SkipReason = "dry_run" | "guardrail_blocked" | "resource_not_found" | "precondition_failed" | "approval_expired" | "rejected";

/** What a remediation event is about: the policy's action, or its rollback. */
export type RemediationOperation = "action" | "rollback";

/** State recorded around an action. */
export interface Outcome {
  now: Date;
  /** `rollback` when the event is about undoing an executed action; the action itself when absent. */
  operation?: RemediationOperation;
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
}

const HEADLINE = {
  "Remediation Planned": "planned",
  "Remediation Approved": "approved",
  "Remediation Executed": "executed",
  "Remediation Failed": "failed",
  "Remediation Skipped": "skipped",
} as const;
export type RemediationDetailType = keyof typeof HEADLINE;

/**
 * The event id of a remediation's emission of `detailType`: one per detail-type and operation, so a
 * redelivery or a republish after a crash re-emits the same id, and a rollback gets its own.
 */
export function remediationEventId(detailType: RemediationDetailType, remediationId: string, operation?: RemediationOperation): string {
  const key = operation === "rollback" ? `${detailType}\u0000${remediationId}\u0000rollback` : `${detailType}\u0000${remediationId}`;
  return createHash("sha256").update(key).digest("hex").slice(0, 32);
}

function build<S extends z.ZodType>(
  schema: S,
  detailType: RemediationDetailType,
  plan: Plan,
  severity: Severity,
  status: string,
  outcome: Outcome & { reason?: string; approvalUrl?: string; expiresAt?: string },
): z.output<S> {
  const { now, before, after, reason, approvalUrl, expiresAt, operation } = outcome;
  const what = operation === "rollback" ? `rollback of ${plan.action}` : plan.action;
  const summary = `${plan.policy}: ${what} on ${plan.resource.id} ${HEADLINE[detailType]} (${plan.mode})${reason ? `: ${reason}` : ""}`;
  const detail = {
    schemaVersion: "1",
    id: plan.remediationId,
    eventId: remediationEventId(detailType, plan.remediationId, operation),
    severity,
    summary: summary.replace(/[\r\n]+/g, " ").slice(0, 1024),
    dedupKey: `remediation:${plan.remediationId}`.slice(0, 255),
    occurredAt: now.toISOString(),
    links: approvalUrl ? [{ href: approvalUrl, text: "Approve or reject" }] : [],
    remediation: {
      remediationId: plan.remediationId,
      policy: plan.policy,
      action: plan.action,
      mode: plan.mode,
      resource: plan.resource,
      status,
      ...(reason ? { reason } : {}),
      ...(before ? { before } : {}),
      ...(after ? { after } : {}),
      ...(approvalUrl ? { approvalUrl } : {}),
      ...(expiresAt ? { expiresAt } : {}),
      ...(operation === "rollback" ? { operation } : {}),
    },
  };
  const parsed = schema.safeParse(detail);
  if (!parsed.success) {
    throw new RemediationError("remediation.invalid_detail", `invalid "${detailType}" detail: ${describeFirstIssue(parsed.error)}`);
  }
  return parsed.data;
}

/**
 * `Remediation Planned`: `pending-approval` in mode `approve` (with where and until when to approve), else `planned`.
 *
 * @throws RemediationError (`remediation.invalid_detail`) when the detail breaks the outbound schema
 */
export function plannedDetail(plan: Plan, outcome: Outcome & { approvalUrl?: string; expiresAt?: Date }) {
  const pending = plan.mode === "approve";
  return build(RemediationPlannedDetailSchema, "Remediation Planned", plan, pending ? "warning" : "info", pending ? "pending-approval" : "planned", {
    ...outcome,
    reason: `triggered by ${plan.trigger.detailType} ${plan.trigger.eventId}`,
    expiresAt: outcome.expiresAt?.toISOString(),
  });
}

/** `Remediation Approved`: a human approved the plan (`by` names who). */
export function approvedDetail(plan: Plan, outcome: Outcome & { by: string }) {
  return build(RemediationApprovedDetailSchema, "Remediation Approved", plan, "info", "approved", { ...outcome, reason: `approved by ${outcome.by}` });
}

/** `Remediation Executed`: the steps ran; `before` holds the captured previous state. */
export function executedDetail(plan: Plan, outcome: Outcome) {
  return build(RemediationExecutedDetailSchema, "Remediation Executed", plan, "info", "executed", outcome);
}

/** `Remediation Failed`: a step failed; `reason` says which and why. */
export function failedDetail(plan: Plan, outcome: Outcome & { reason: string }) {
  return build(RemediationFailedDetailSchema, "Remediation Failed", plan, "error", "failed", outcome);
}

/** `Remediation Skipped`: dry-run, a guardrail, a vanished resource, a failed precondition, an expired or a rejected approval. */
export function skippedDetail(plan: Plan, outcome: Outcome & { skip: SkipReason; detail?: string }) {
  const reason = outcome.detail ? `${outcome.skip}: ${outcome.detail}` : outcome.skip;
  return build(RemediationSkippedDetailSchema, "Remediation Skipped", plan, "info", "skipped", { ...outcome, reason });
}

/** `Remediation Skipped` for a guardrail's refusal, naming the guardrail and its reason. */
export function guardrailSkippedDetail(plan: Plan, verdict: Extract<GuardrailVerdict, { allowed: false }>, now: Date) {
  return skippedDetail(plan, { now, skip: "guardrail_blocked", detail: `${verdict.guardrail}: ${verdict.reason}` });
}
