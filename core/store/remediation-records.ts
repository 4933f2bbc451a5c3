import { Entity } from "electrodb";
import type { ActionRecord } from "../remediation/guardrails";
import type { Plan } from "../remediation/plan";
import { isConditionalCheckFailure } from "./errors";
import type { Store } from "./service";
import { INDEX_NAMES, KEY_FIELDS, MODEL_VERSION, SERVICE_NAME } from "./table";

// Records the remediation item does not hold: the plan itself (so an approval hours later runs
// exactly what was planned), spent approval nonces, and the actions taken (guardrail history).
// Entities of their own on the same table, bound per store, so the existing layout is untouched.

const planSchema = {
  model: { entity: "remediationPlan", version: MODEL_VERSION, service: SERVICE_NAME },
  attributes: {
    remediationId: { type: "string", required: true, readOnly: true },
    /** The whole plan as JSON text: steps hold arbitrary SDK inputs. */
    plan: { type: "string", required: true, readOnly: true },
    createdAt: { type: "string", required: true, readOnly: true },
  },
  indexes: {
    byRemediation: {
      pk: { field: KEY_FIELDS.pk, composite: ["remediationId"] },
      sk: { field: KEY_FIELDS.sk, composite: [] },
    },
  },
} as const;

const nonceSchema = {
  model: { entity: "approvalNonce", version: MODEL_VERSION, service: SERVICE_NAME },
  attributes: {
    nonce: { type: "string", required: true, readOnly: true },
    remediationId: { type: "string", required: true, readOnly: true },
    decision: { type: "string", required: true, readOnly: true },
    usedAt: { type: "string", required: true, readOnly: true },
  },
  indexes: {
    byNonce: {
      pk: { field: KEY_FIELDS.pk, composite: ["nonce"] },
      sk: { field: KEY_FIELDS.sk, composite: [] },
    },
  },
} as const;

const NO_ACCOUNT = "-";

const actionSchema = {
  model: { entity: "remediationAction", version: MODEL_VERSION, service: SERVICE_NAME },
  attributes: {
    policy: { type: "string", required: true, readOnly: true },
    account: { type: "string", required: true, readOnly: true },
    resource: { type: "string", required: true, readOnly: true },
    remediationId: { type: "string", required: true, readOnly: true },
    at: { type: "string", required: true, readOnly: true },
  },
  indexes: {
    byPolicy: {
      pk: { field: KEY_FIELDS.pk, composite: ["policy"] },
      sk: { field: KEY_FIELDS.sk, composite: ["at", "remediationId"] },
    },
    byAccount: {
      index: INDEX_NAMES.byLookup,
      pk: { field: KEY_FIELDS.gsi2pk, composite: ["account"] },
      sk: { field: KEY_FIELDS.gsi2sk, composite: ["at", "remediationId"] },
    },
  },
} as const;

function entities(store: Store) {
  const options = { client: store.client, table: store.table };
  return { plan: new Entity(planSchema, options), nonce: new Entity(nonceSchema, options), action: new Entity(actionSchema, options) };
}

/** Stores a plan once under its remediation id; a second save of the same id is a no-op. */
export async function savePlan(store: Store, plan: Plan): Promise<void> {
  try {
    await entities(store).plan.create({ remediationId: plan.remediationId, plan: JSON.stringify(plan), createdAt: plan.plannedAt }).go();
  } catch (error) {
    if (!isConditionalCheckFailure(error)) throw error;
  }
}

/** The plan stored for a remediation id, or undefined when none was. */
export async function getPlan(store: Store, remediationId: string): Promise<Plan | undefined> {
  const { data } = await entities(store).plan.get({ remediationId }).go();
  return data ? (JSON.parse(data.plan) as Plan) : undefined;
}

/**
 * Spends an approval nonce with a conditional create: true for the first caller, false for any
 * later one, so a token acts once however many times it is presented.
 */
export async function spendApprovalNonce(store: Store, use: { nonce: string; remediationId: string; decision: string; at: Date }): Promise<boolean> {
  try {
    await entities(store).nonce.create({ ...use, usedAt: use.at.toISOString() }).go();
    return true;
  } catch (error) {
    if (isConditionalCheckFailure(error)) return false;
    throw error;
  }
}

/** Records an action about to run, so rate and blast-radius guardrails count it. */
export async function recordAction(store: Store, record: ActionRecord): Promise<void> {
  await entities(store)
    .action.put({ policy: record.policy, account: record.account ?? NO_ACCOUNT, resource: record.resource, remediationId: record.remediationId, at: record.at.toISOString() })
    .go();
}

/**
 * Actions of a policy, and of an account when given, taken at or after `since` (all pages),
 * deduplicated: the history {@link checkGuardrails} judges rate and blast radius on.
 */
export async function recentActions(store: Store, scope: { policy: string; account?: string; since: Date }): Promise<ActionRecord[]> {
  const { action } = entities(store);
  const since = scope.since.toISOString();
  const byPolicy = action.query.byPolicy({ policy: scope.policy }).gte({ at: since }).go({ pages: "all" });
  const byAccount = scope.account ? action.query.byAccount({ account: scope.account }).gte({ at: since }).go({ pages: "all" }) : undefined;
  const rows = [...(await byPolicy).data, ...((await byAccount)?.data ?? [])];
  const unique = new Map(rows.map((r) => [r.remediationId, r]));
  return [...unique.values()].map((r) => ({
    remediationId: r.remediationId,
    policy: r.policy,
    resource: r.resource,
    at: new Date(r.at),
    ...(r.account === NO_ACCOUNT ? {} : { account: r.account }),
  }));
}
