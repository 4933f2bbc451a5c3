import { createHash } from "node:crypto";
import type { ResourceRef } from "../../events/outbound/envelope";
import type { Policy } from "./config";
import { readEnvelope } from "./event-fields";
import { playbookSteps, type Precondition, type Rollback, type Step } from "./steps";
import type { ResourceTarget, TargetFacts } from "./target-types";

/** The event that triggered a plan. */
export interface Trigger {
  eventId: string;
  source: string;
  detailType: string;
}

/** One action a policy chose for one resource, before anything ran: all the executor needs, as data. */
export interface Plan {
  /** hash(policy, resource, trigger event): the idempotency key, so no trigger runs an action twice. */
  remediationId: string;
  policy: string;
  action: Policy["action"];
  mode: Policy["mode"];
  resource: ResourceRef;
  facts: TargetFacts;
  trigger: Trigger;
  plannedAt: string;
  /** Earliest time the action may run (just-in-time grants run out after `maxDurationMinutes`). */
  notBefore?: string;
  /** Reads whose results are recorded as the previous state (`before`), for rollback and audit. */
  capture: Step[];
  preconditions: Precondition[];
  steps: Step[];
  rollback: Rollback;
}

/**
 * The idempotency key of a remediation: the same policy, resource and triggering event always give the
 * same id, whatever the delivery; a different event for the same resource gives a new one.
 */
export function remediationIdOf(policy: string, resourceId: string, triggerEventId: string): string {
  const hash = createHash("sha256").update([policy, resourceId, triggerEventId].join("\u0000")).digest("hex");
  return `rem-${hash.slice(0, 32)}`;
}

// An event without an id (hand-made, or a partial envelope) is identified by its content.
function triggerOf(event: unknown): Trigger {
  const e = readEnvelope(event);
  const eventId = e?.id ?? `sha256:${createHash("sha256").update(JSON.stringify(event) ?? "").digest("hex")}`;
  return { eventId, source: e?.source ?? "unknown", detailType: e?.["detail-type"] ?? "unknown" };
}

/**
 * Plans what `policy` does to `target` for `event`. Pure: decides nothing about guardrails or
 * approval, which the caller checks against the plan.
 *
 * @param context.now - planning time (event time in replays)
 * @throws TargetMismatchError when the target is not a resource the policy's playbook acts on
 */
export function planRemediation(policy: Policy, event: unknown, target: ResourceTarget, context: { now: Date }): Plan {
  const trigger = triggerOf(event);
  const remediationId = remediationIdOf(policy.name, target.resource.id, trigger.eventId);
  const notBefore =
    policy.action === "iam.expire-jit-access"
      ? new Date(context.now.getTime() + policy.params.maxDurationMinutes * 60_000).toISOString()
      : undefined;
  return {
    remediationId,
    policy: policy.name,
    action: policy.action,
    mode: policy.mode,
    resource: target.resource,
    facts: target.facts,
    trigger,
    plannedAt: context.now.toISOString(),
    ...(notBefore ? { notBefore } : {}),
    ...playbookSteps(policy, target, remediationId),
  };
}
