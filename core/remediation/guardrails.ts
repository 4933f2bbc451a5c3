import { inChangeWindow } from "./change-window";
import type { Guardrails, RateLimit } from "./guardrails-schema";

/** An action Vigil took (or started) recently: what rate and blast-radius limits count. */
export interface ActionRecord {
  remediationId: string;
  policy: string;
  /** Account of the resource acted on. */
  account?: string;
  /** Id of the resource acted on. */
  resource: string;
  at: Date;
}

/** What the guardrails need to know about the world when a plan is about to run. */
export interface GuardrailContext {
  /** The resource's current tags. */
  tags: Readonly<Record<string, string>>;
  now: Date;
  /** Recent actions, at least as far back as the longest window. */
  history: readonly ActionRecord[];
  /** How many resources the policy's scope holds, for `blastRadius.maxPercent`. */
  inScope?: number;
}

/** The part of a plan the guardrails judge. */
export interface GuardedPlan {
  remediationId: string;
  policy: string;
  resource: { id: string; account?: string };
}

export type GuardrailName = "protected_tag" | "rate_limit" | "blast_radius" | "change_window";

export type GuardrailVerdict =
  | { allowed: true }
  | { allowed: false; code: "remediation.guardrail_blocked"; guardrail: GuardrailName; reason: string };

const MS_PER_MINUTE = 60_000;

function blocked(guardrail: GuardrailName, reason: string): GuardrailVerdict {
  return { allowed: false, code: "remediation.guardrail_blocked", guardrail, reason };
}

// Actions within the window before `now`, other than this plan's own (a retry must not count itself).
function recent(ctx: GuardrailContext, plan: GuardedPlan, windowMinutes: number, keep: (a: ActionRecord) => boolean) {
  const since = ctx.now.getTime() - windowMinutes * MS_PER_MINUTE;
  return ctx.history.filter((a) => a.remediationId !== plan.remediationId && a.at.getTime() > since && a.at.getTime() <= ctx.now.getTime() && keep(a));
}

function rateLimitReason(label: string, limit: RateLimit | undefined, count: () => number): string | undefined {
  if (!limit) return undefined;
  const n = count();
  return n >= limit.max ? `${label} already ran ${n} action(s) in the last ${limit.windowMinutes} min (max ${limit.max})` : undefined;
}

/**
 * Judges a plan against a policy's guardrails, in order: protected tags, change windows, rate limits,
 * blast radius. Pure: the caller supplies the resource's tags, the time and the recent actions.
 *
 * @returns `{ allowed: true }`, or the first guardrail that blocks and why
 */
export function checkGuardrails(plan: GuardedPlan, context: GuardrailContext, guardrails: Guardrails): GuardrailVerdict {
  const protectedBy = Object.entries(guardrails.protectedTags).find(([k, v]) => context.tags[k] === v);
  if (protectedBy) return blocked("protected_tag", `${plan.resource.id} is tagged ${protectedBy[0]}=${protectedBy[1]}`);

  if (guardrails.changeWindows.length > 0 && !guardrails.changeWindows.some((w) => inChangeWindow(w, context.now))) {
    return blocked("change_window", `${context.now.toISOString()} is outside every change window of policy ${plan.policy}`);
  }

  const { perPolicy, perAccount } = guardrails.rateLimit ?? {};
  const policyReason = rateLimitReason(`policy ${plan.policy}`, perPolicy, () => recent(context, plan, perPolicy!.windowMinutes, (a) => a.policy === plan.policy).length);
  if (policyReason) return blocked("rate_limit", policyReason);
  const account = plan.resource.account;
  if (perAccount && account === undefined) return blocked("rate_limit", `${plan.resource.id} has no account, so the per-account limit cannot be checked`);
  const accountReason = rateLimitReason(`account ${account}`, perAccount, () => recent(context, plan, perAccount!.windowMinutes, (a) => a.account === account).length);
  if (accountReason) return blocked("rate_limit", accountReason);

  const radius = guardrails.blastRadius;
  if (radius) {
    const touched = new Set(recent(context, plan, radius.windowMinutes, (a) => a.policy === plan.policy).map((a) => a.resource));
    touched.add(plan.resource.id);
    if (radius.maxResources !== undefined && touched.size > radius.maxResources) {
      return blocked("blast_radius", `policy ${plan.policy} would touch ${touched.size} resources in ${radius.windowMinutes} min (max ${radius.maxResources})`);
    }
    if (radius.maxPercent !== undefined) {
      // Without the size of the scope a percentage means nothing: fail closed.
      if (context.inScope === undefined || context.inScope <= 0) return blocked("blast_radius", `policy ${plan.policy} has maxPercent but the number of resources in scope is unknown`);
      const percent = (touched.size / context.inScope) * 100;
      if (percent > radius.maxPercent) {
        return blocked("blast_radius", `policy ${plan.policy} would touch ${touched.size} of ${context.inScope} resources (${percent.toFixed(1)}%, max ${radius.maxPercent}%) in ${radius.windowMinutes} min`);
      }
    }
  }
  return { allowed: true };
}
