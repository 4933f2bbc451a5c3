import * as z from "zod";
import { DetailBaseSchema, ResourceRefSchema, UtcTimestamp } from "./envelope";
import { entryBuilder } from "./entry";

// Fresh field schemas get their description with `.register(z.globalRegistry, …)`, not `.describe()`,
// which clones: the same JSON Schema, one schema construction fewer per field at every cold start.

/** How a policy lets Vigil act: only describe, wait for a human, or act alone. */
export const RemediationModeSchema = z
  .enum(["dry-run", "approve", "auto"])
  .register(z.globalRegistry, { description: "dry-run only describes, approve waits for a human, auto acts alone." });

/** Where a remediation stands. */
export const RemediationStatusSchema = z
  .enum(["planned", "pending-approval", "approved", "executed", "failed", "skipped"])
  .register(z.globalRegistry, { description: "Where the remediation stands." });

/** A remediation: one action a policy chose for one resource. */
export const RemediationPayloadSchema = z
  .object({
    /** Stable remediation id (same as the detail's `id`). */
    remediationId: z.string().min(1).register(z.globalRegistry, { description: "Stable remediation id (same as the detail's id)." }),
    /** Name of the policy that chose the action. */
    policy: z.string().min(1).register(z.globalRegistry, { description: "Name of the policy that chose the action." }),
    /** The action, e.g. `ec2.stop-instance`, `s3.block-public-access`. */
    action: z.string().min(1).register(z.globalRegistry, { description: "The action, e.g. s3.block-public-access." }),
    /** The policy's mode. */
    mode: RemediationModeSchema,
    /** The resource acted on. */
    resource: ResourceRefSchema,
    /** Where it stands. */
    status: RemediationStatusSchema,
    /** Why it was skipped or failed, or what triggered it. */
    reason: z.string().min(1).optional().register(z.globalRegistry, { description: "Why it was skipped or failed, or what triggered it." }),
    /** Relevant state of the resource before the action. */
    before: z.record(z.string(), z.unknown()).optional().register(z.globalRegistry, { description: "Relevant state of the resource before the action." }),
    /** Relevant state after the action (or as planned, in dry-run). */
    after: z.record(z.string(), z.unknown()).optional().register(z.globalRegistry, { description: "Relevant state after the action (planned, in dry-run)." }),
    /** Where a human approves it (mode `approve`). */
    approvalUrl: z.url().optional().register(z.globalRegistry, { description: "Where a human approves it (mode approve)." }),
    /** When an unapproved plan lapses. */
    expiresAt: UtcTimestamp.optional().register(z.globalRegistry, { description: "When an unapproved plan lapses." }),
    /** What ran: the policy's action, or the rollback of an executed one; `action` when absent. */
    operation: z
      .enum(["action", "rollback"])
      .optional()
      .register(z.globalRegistry, { description: "What ran: the policy's action, or the rollback of an executed one; action when absent." }),
  })
  .register(z.globalRegistry, { description: "A remediation: one action a policy chose for one resource." });
export type RemediationPayload = z.infer<typeof RemediationPayloadSchema>;

function remediationDetail<S extends z.ZodType>(status: S, description: string) {
  return DetailBaseSchema.extend({ remediation: RemediationPayloadSchema.extend({ status }) }).register(z.globalRegistry, { description: description });
}

/** `Remediation Planned`: a policy chose an action (and, in `approve` mode, awaits a human). */
export const RemediationPlannedDetailSchema = remediationDetail(
  z.enum(["planned", "pending-approval"]),
  "Vigil 'Remediation Planned': a policy chose an action.",
);
/** `Remediation Approved`: a human approved a planned action. */
export const RemediationApprovedDetailSchema = remediationDetail(
  z.literal("approved"),
  "Vigil 'Remediation Approved': a human approved a planned action.",
);
/** `Remediation Executed`: the action ran and succeeded. */
export const RemediationExecutedDetailSchema = remediationDetail(
  z.literal("executed"),
  "Vigil 'Remediation Executed': the action ran and succeeded.",
);
/** `Remediation Failed`: the action ran and failed; `reason` says why. */
export const RemediationFailedDetailSchema = DetailBaseSchema.extend({
  remediation: RemediationPayloadSchema.extend({
    status: z.literal("failed"),
    reason: z.string().min(1).register(z.globalRegistry, { description: "Why it failed." }),
  }),
}).register(z.globalRegistry, { description: "Vigil 'Remediation Failed': the action ran and failed." });
/** `Remediation Skipped`: a guardrail, dry-run or expiry stopped it; `reason` says which. */
export const RemediationSkippedDetailSchema = DetailBaseSchema.extend({
  remediation: RemediationPayloadSchema.extend({
    status: z.literal("skipped"),
    reason: z.string().min(1).register(z.globalRegistry, { description: "Which guardrail, dry-run or expiry stopped it." }),
  }),
}).register(z.globalRegistry, { description: "Vigil 'Remediation Skipped': a guardrail, dry-run or expiry stopped it." });

export type RemediationPlannedDetail = z.infer<typeof RemediationPlannedDetailSchema>;
export type RemediationApprovedDetail = z.infer<typeof RemediationApprovedDetailSchema>;
export type RemediationExecutedDetail = z.infer<typeof RemediationExecutedDetailSchema>;
export type RemediationFailedDetail = z.infer<typeof RemediationFailedDetailSchema>;
export type RemediationSkippedDetail = z.infer<typeof RemediationSkippedDetailSchema>;

/** The remediation detail-types and their schemas. */
export const REMEDIATION_DETAIL_SCHEMAS = {
  "Remediation Planned": RemediationPlannedDetailSchema,
  "Remediation Approved": RemediationApprovedDetailSchema,
  "Remediation Executed": RemediationExecutedDetailSchema,
  "Remediation Failed": RemediationFailedDetailSchema,
  "Remediation Skipped": RemediationSkippedDetailSchema,
} as const;

/** A detail-type the remediator and the approval endpoint emit. */
export type RemediationDetailType = keyof typeof REMEDIATION_DETAIL_SCHEMAS;

/** Validates a remediation detail and builds its PutEvents entry, building no other domain's schemas (see {@link entryBuilder}). */
export const remediationEntry = entryBuilder(REMEDIATION_DETAIL_SCHEMAS, "a remediation");
