import { createHash } from "node:crypto";
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from "aws-lambda";
import * as z from "zod";
import { approvedDetail, skippedDetail, verifyApproval, type Plan } from "../core/remediation";
import { publishEvents } from "../core/publish/publisher";
import { getPlan, spendApprovalNonce } from "../core/store/remediation-records";
import { createStore, type Remediation } from "../core/store/service";
import { approvalKey } from "./lib/approval-settings";
import { ApprovalRefusedError, ApprovalRequestError, decided, errorResponse, NotPendingApprovalError, UnknownRemediationError } from "./lib/approval-http";
import { config } from "./lib/config";
import { MetricUnit } from "@aws-lambda-powertools/metrics";
import { lambda, metrics } from "./lib/powertools";
import { auditStep, runPlan, skip, transition, type RemediationContext } from "./lib/remediation-run";
import { dynamodb, eventbridge, resources } from "./lib/resources";

const QuerySchema = z.object({
  remediationId: z.string().min(1),
  token: z.string().min(1),
  decision: z.enum(["approve", "reject"]).default("approve"),
});

let store: ReturnType<typeof createStore> | undefined;

function parseQuery(event: APIGatewayProxyEventV2) {
  const parsed = QuerySchema.safeParse(event.queryStringParameters ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ApprovalRequestError(`${issue.path.join(".") || "query"}: ${issue.message}`);
  }
  return parsed.data;
}

// Every refusal is audited (keyed on the token, so a retried request adds no entry); an expired
// token also ends a remediation still waiting, as `Remediation Skipped`.
async function refuse(ctx: RemediationContext, plan: Plan, token: string, reason: ApprovalRefusedError["reason"]): Promise<never> {
  const tokenHash = createHash("sha256").update(token).digest("hex").slice(0, 16);
  await auditStep(ctx, plan, `approval-refused:${reason}:${tokenHash}`, { reason, tokenHash });
  if (reason === "expired") {
    const item = await current(ctx, plan.remediationId);
    if (item.status === "pending-approval") await skip(ctx, item, plan, "approval_expired", "the approval link expired");
  }
  throw new ApprovalRefusedError(reason, plan.remediationId);
}

async function current(ctx: RemediationContext, remediationId: string): Promise<Remediation> {
  const item = (await ctx.store.entities.remediation.get({ remediationId }).go()).data;
  if (!item) throw new UnknownRemediationError(remediationId);
  return item;
}

async function decide(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyResultV2> {
  const { remediationId, token, decision } = parseQuery(event);
  const ctx: RemediationContext = {
    store: (store ??= createStore({ client: dynamodb, table: resources.table() })),
    chainId: config().audit.chainId,
    now: new Date(),
    actor: "approval-link",
    publish: (entries) => publishEvents(eventbridge, resources.bus(), entries),
  };
  const plan = await getPlan(ctx.store, remediationId);
  if (!plan) throw new UnknownRemediationError(remediationId);
  // Single use is decided by the conditional write below, not by a read that could race.
  const verdict = verifyApproval(approvalKey(), token, remediationId, ctx.now, () => false);
  if ("refused" in verdict) return refuse(ctx, plan, token, verdict.refused);
  if (!(await spendApprovalNonce(ctx.store, { nonce: verdict.nonce, remediationId, decision, at: ctx.now }))) {
    return refuse(ctx, plan, token, "already_used");
  }
  const item = await current(ctx, remediationId);
  if (item.status !== "pending-approval") throw new NotPendingApprovalError(remediationId, item.status);
  await auditStep(ctx, plan, decision === "approve" ? "approved" : "rejected", { decision, by: ctx.actor });
  if (decision === "reject") {
    const done = await transition(ctx, item, { status: "skipped" }, "Remediation Skipped", skippedDetail(plan, { now: ctx.now, skip: "rejected", detail: `by ${ctx.actor}` }));
    return decided({ remediationId, decision, status: done.status });
  }
  const approved = await transition(ctx, item, { status: "approved" }, "Remediation Approved", approvedDetail(plan, { now: ctx.now, by: ctx.actor }));
  const policy = config().remediation.policies.find((p) => p.name === plan.policy);
  const done = policy
    ? await runPlan(ctx, approved, plan, policy.guardrails)
    : await skip(ctx, approved, plan, "precondition_failed", `policy ${plan.policy} is no longer configured`);
  return decided({ remediationId, decision, status: done.status });
}

/**
 * The approve function, behind a Lambda function URL: `?remediationId=…&token=…&decision=approve|reject`.
 * Verifies the HMAC token (forged, expired, already used or for another plan are refused with that
 * reason, and audited), spends its nonce with a conditional write, then runs the plan or skips it.
 * Answers JSON; errors become HTTP statuses in {@link errorResponse} only.
 */
export const handler = lambda(async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyResultV2> => {
  let response: APIGatewayProxyResultV2;
  try {
    response = await decide(event);
  } catch (error) {
    response = errorResponse(error);
  }
  const ok = typeof response === "object" && response.statusCode === 200;
  metrics.addMetric(ok ? "ApprovalDecisions" : "ApprovalRequestsRefused", MetricUnit.Count, 1);
  return response;
});
