import * as z from "zod";
import { InvalidEventPatternError, validatePattern } from "../eventbridge/pattern";
import { InvalidRemediationConfigError } from "./errors";
import { GuardrailsSchema } from "./guardrails-schema";
import { PLAYBOOK_IDS, PLAYBOOK_PARAMS, type PlaybookId } from "./playbooks";

export { GuardrailsSchema, type Guardrails } from "./guardrails-schema";

/** A policy's mode; `dry-run` unless the policy says otherwise. */
export const PolicyModeSchema = z.enum(["dry-run", "approve", "auto"]).default("dry-run");

/** An EventBridge event pattern, checked with the same matcher the local bus routes with. */
export const EventPatternSchema = z.record(z.string(), z.unknown()).superRefine((pattern, ctx) => {
  try {
    validatePattern(pattern);
  } catch (error) {
    if (!(error instanceof InvalidEventPatternError)) throw error;
    ctx.addIssue({ code: "custom", message: error.reason });
  }
});

const PolicyBase = {
  /** Unique within the file; part of every remediation id, so renaming a policy re-arms it. */
  name: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, "must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit"),
  description: z.string().optional(),
  /** Which events trigger the policy: any inbound AWS event or Vigil event. */
  on: EventPatternSchema,
  mode: PolicyModeSchema,
  guardrails: GuardrailsSchema.prefault({}),
};

function policyVariant<A extends PlaybookId>(action: A) {
  return z.strictObject({ ...PolicyBase, action: z.literal(action), params: PLAYBOOK_PARAMS[action] });
}

// Listed one by one so each variant keeps its own params type.
const variants = [
  policyVariant("ec2.delete-unattached-volume"),
  policyVariant("ec2.release-unassociated-address"),
  policyVariant("ec2.delete-orphaned-snapshot"),
  policyVariant("s3.block-public-access"),
  policyVariant("ec2.revoke-open-ingress"),
  policyVariant("ec2.isolate-instance"),
  policyVariant("iam.deactivate-access-key"),
  policyVariant("iam.expire-jit-access"),
  policyVariant("ssm.start-automation"),
] as const;

/** One policy: when `on` matches an event, run playbook `action` on the resource(s) it names. */
export const PolicySchema = z.discriminatedUnion("action", variants, {
  error: (issue) =>
    issue.code === "invalid_union" ? `unknown action; expected one of ${PLAYBOOK_IDS.join(", ")}` : undefined,
});
export type Policy = z.infer<typeof PolicySchema>;
/** A policy of one playbook, with that playbook's params typed. */
export type PolicyOf<A extends PlaybookId> = Extract<Policy, { action: A }>;

/** The `remediation` section of `vigil.config.yaml`. Policy names are unique. */
export const RemediationConfigSchema = z
  .strictObject({ policies: z.array(PolicySchema).default([]) })
  .superRefine((section, ctx) => {
    const seen = new Set<string>();
    section.policies.forEach((policy, i) => {
      if (seen.has(policy.name)) {
        ctx.addIssue({ code: "custom", path: ["policies", i, "name"], message: `duplicate policy name "${policy.name}"` });
      }
      seen.add(policy.name);
    });
  });
export type RemediationConfig = z.infer<typeof RemediationConfigSchema>;

/**
 * Validates the `remediation` section on its own; the whole section is refused on the first error.
 *
 * @param raw - the section as read from YAML or JSON
 * @param path - where the section sits in the file, prefixed to error paths
 * @throws InvalidRemediationConfigError naming the path of the first error, e.g. `remediation.policies.0.on`
 */
export function parseRemediationConfig(raw: unknown, path = "remediation"): RemediationConfig {
  const result = RemediationConfigSchema.safeParse(raw ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw new InvalidRemediationConfigError([path, ...issue.path.map(String)].join("."), issue.message);
}
