import { parser } from "@aws-lambda-powertools/parser/middleware";
import { EventBridgeSchema } from "../events/inbound/envelope";
import { MetricUnit } from "@aws-lambda-powertools/metrics";
import type { z } from "zod";
import { compilePolicies, planRemediation, policiesFor, skippedDetail, targetsForPolicy, type CompiledPolicy, type Plan, type Policy } from "../core/remediation";
import { publishEvents } from "../core/publish/publisher";
import { savePlan } from "../core/store/remediation-records";
import { createStore } from "../core/store/service";
import { ConcurrencyConflictError } from "../core/store/errors";
import { createRemediation } from "../core/store/versioned";
import { config } from "./lib/config";
import { lambda, logger, metrics } from "./lib/powertools";
import { plannedEntry, recoverRemediation, runDuePlans } from "./lib/remediation-recovery";
import { auditStep, runPlan, transition, type RemediationContext } from "./lib/remediation-run";
import { dynamodb, eventbridge, resources } from "./lib/resources";

type BusEvent = z.infer<typeof EventBridgeSchema>;
/**
 * What one remediation came to in this invocation; `duplicate` when an earlier delivery owns it,
 * with the events published again because that delivery crashed before publishing them.
 */
export type RemediatorOutcome = { remediationId: string; status: string } | { remediationId: string; duplicate: true; republished?: string[] };

let store: ReturnType<typeof createStore> | undefined;
let compiled: CompiledPolicy[] | undefined;

// The conditional create (attribute_not_exists) is the claim: losing it means another delivery owns it.
async function claim(ctx: RemediationContext, plan: Plan, status: "planned" | "pending-approval" | "skipped") {
  try {
    return await createRemediation(ctx.store, {
      remediationId: plan.remediationId, policy: plan.policy, action: plan.action, mode: plan.mode, resource: plan.resource.id,
      status, createdAt: ctx.now.toISOString(), updatedAt: ctx.now.toISOString(),
    });
  } catch (error) {
    if (error instanceof ConcurrencyConflictError) return undefined;
    throw error;
  }
}

// A redelivery: an earlier delivery claimed the remediation; recover whatever it left unfinished.
async function resume(ctx: RemediationContext, policy: Policy, plan: Plan): Promise<RemediatorOutcome> {
  const existing = (await ctx.store.entities.remediation.get({ remediationId: plan.remediationId }).go()).data;
  if (!existing) return { remediationId: plan.remediationId, duplicate: true };
  const { item, republished, ran } = await recoverRemediation(ctx, existing, plan, policy);
  if (ran) return { remediationId: plan.remediationId, status: item.status };
  return { remediationId: plan.remediationId, duplicate: true, ...(republished.length > 0 ? { republished } : {}) };
}

async function remediate(ctx: RemediationContext, policy: Policy, plan: Plan): Promise<RemediatorOutcome> {
  await savePlan(ctx.store, plan);
  const item = await claim(ctx, plan, plan.mode === "approve" ? "pending-approval" : "planned");
  if (!item) return resume(ctx, policy, plan);
  await auditStep(ctx, plan, "planned", { plan });
  await ctx.publish([plannedEntry(plan)]);
  if (plan.mode === "approve") return { remediationId: plan.remediationId, status: item.status };
  if (plan.mode === "dry-run") {
    const done = await transition(ctx, item, { status: "skipped" }, "Remediation Skipped", skippedDetail(plan, { now: ctx.now, skip: "dry_run" }));
    return { remediationId: plan.remediationId, status: done.status };
  }
  const done = await runPlan(ctx, item, plan, policy.guardrails);
  return { remediationId: plan.remediationId, status: done.status };
}

/**
 * The remediator: for each policy whose `on` pattern matches an ops-bus event, plans an action per
 * target the event names, claims it once (idempotent on policy, resource and event), then dry-runs
 * it, asks for approval, or runs it (mode `auto`). Every step is stored, then audited and published.
 * Event time, not arrival time, dates the plan.
 *
 * Idempotency is the conditional create of the Remediation item under its deterministic id, not
 * Powertools idempotency: that keys a whole invocation and replays its cached result, while one event
 * may plan several remediations, each with its own id, and the item has to be written anyway.
 */
export const handler = lambda(async (event: BusEvent): Promise<RemediatorOutcome[]> => {
  compiled ??= compilePolicies(config().remediation);
  const ctx: RemediationContext = {
    store: (store ??= createStore({ client: dynamodb, table: resources.table() })),
    chainId: config().audit.chainId,
    now: new Date(event.time),
    actor: "vigil-remediator",
    publish: (entries) => publishEvents(eventbridge, resources.bus(), entries),
  };
  const outcomes: RemediatorOutcome[] = [];
  // A schedule tick runs the plans that waited for their time (just-in-time grants that ended).
  if (event.source === "aws.events" && event["detail-type"] === "Scheduled Event") {
    outcomes.push(...(await runDuePlans(ctx, new Map(compiled.map((c) => [c.policy.name, c.policy])))));
  }
  for (const policy of policiesFor(compiled, event)) {
    for (const target of targetsForPolicy(policy, event)) {
      outcomes.push(await remediate(ctx, policy, planRemediation(policy, event, target, { now: ctx.now })));
    }
  }
  const duplicates = outcomes.filter((o) => "duplicate" in o).length;
  if (duplicates > 0) logger.info("remediations already claimed by an earlier delivery", { eventId: event.id, duplicates });
  metrics.addMetric("RemediationsPlanned", MetricUnit.Count, outcomes.length - duplicates);
  return outcomes;
}).use(parser({ schema: EventBridgeSchema }));
