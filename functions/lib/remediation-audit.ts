import type { PutEventsRequestEntry } from "@aws-sdk/client-eventbridge";
import { appendAuditEntry, findAuditEntry, type AuditAppendResult } from "../../core/audit/append";
import type { Remediation, Store } from "../../core/store/service";
import type { RemediationDetailType } from "../../events/outbound/remediation";

/** What running a remediation step needs: where to persist, audit and publish, and the time. */
export interface RemediationContext {
  store: Store;
  chainId: string;
  now: Date;
  /** Actor recorded in audit entries (`vigil-remediator`, or who approved). */
  actor: string;
  publish: (entries: PutEventsRequestEntry[]) => Promise<unknown>;
}

/**
 * Appends one step of a remediation to the audit chain directly: refusals and before/after state
 * must be recorded even when no event describes them. Idempotent on `remediationId + step`: a
 * second append of the same step returns the first one's entry with `duplicate: true`.
 */
export async function auditStep(ctx: RemediationContext, subject: { remediationId: string }, step: string, payload: unknown): Promise<AuditAppendResult> {
  return appendAuditEntry(ctx.store, {
    chainId: ctx.chainId,
    eventId: `${subject.remediationId}:${step}`,
    at: ctx.now.toISOString(),
    kind: `remediation.${step.split(":")[0]}`,
    subjectId: subject.remediationId,
    actor: ctx.actor,
    payload,
  });
}

/** The payload of an audit entry found by its event id, or undefined when none was appended. */
async function auditedPayload(ctx: RemediationContext, eventId: string): Promise<unknown> {
  const entry = await findAuditEntry(ctx.store, ctx.chainId, eventId);
  return entry === undefined ? undefined : (JSON.parse(entry.payload) as unknown);
}

/** The payload of step `step` of a remediation (as {@link auditStep} appended it), or undefined. */
export function auditedStep(ctx: RemediationContext, remediationId: string, step: string): Promise<unknown> {
  return auditedPayload(ctx, `${remediationId}:${step}`);
}

/**
 * Whether an emitted event reached the audit writer (its entry is keyed on the detail's event id):
 * the evidence that it was published. One that was published but not yet audited reads as not
 * published, so a republish may repeat it, under the same event id.
 */
export async function wasPublished(ctx: RemediationContext, eventId: string): Promise<boolean> {
  return (await auditedPayload(ctx, eventId)) !== undefined;
}

/** A status change as the outbox records it, before the write: enough to finish it and publish it again. */
export interface RecordedTransition {
  changes: { status: Remediation["status"]; before?: unknown; after?: unknown };
  detailType: RemediationDetailType;
  detail: { eventId: string } & Record<string, unknown>;
}

/** The outbox entry of the transition to `status`, or undefined when it was never recorded. */
export async function recordedTransition(ctx: RemediationContext, remediationId: string, status: Remediation["status"]): Promise<RecordedTransition | undefined> {
  return (await auditedStep(ctx, remediationId, `status:${status}`)) as RecordedTransition | undefined;
}
