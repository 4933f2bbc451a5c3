import * as z from "zod";
import { detailBaseSchemas } from "./envelope";
import { buildAll, lazily, pick } from "../lazy";
import { entryBuilder } from "./entry";

// Fresh field schemas get their description with `.register(z.globalRegistry, …)`, not `.describe()`,
// which clones: the same JSON Schema, one schema construction fewer per field at every cold start.

/** Builds the schemas below on first call, once (events/lazy.ts): the first detail of the domain emitted or received calls it. */
export const remediationSchemas = lazily(() => {
  const { DetailBaseSchema, ResourceRefSchema, UtcTimestamp } = detailBaseSchemas();
  const RemediationModeSchema = z
    .enum(["dry-run", "approve", "auto"])
    .register(z.globalRegistry, { description: "dry-run only describes, approve waits for a human, auto acts alone." });
  const RemediationStatusSchema = z
    .enum(["planned", "pending-approval", "approved", "executed", "failed", "skipped"])
    .register(z.globalRegistry, { description: "Where the remediation stands." });
  const RemediationPayloadSchema = z
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
  const remediationDetail = <S extends z.ZodType>(status: S, description: string) =>
    DetailBaseSchema.extend({ remediation: RemediationPayloadSchema.extend({ status }) }).register(z.globalRegistry, { description: description });
  const RemediationPlannedDetailSchema = remediationDetail(
    z.enum(["planned", "pending-approval"]),
    "Vigil 'Remediation Planned': a policy chose an action.",
  );
  const RemediationApprovedDetailSchema = remediationDetail(
    z.literal("approved"),
    "Vigil 'Remediation Approved': a human approved a planned action.",
  );
  const RemediationExecutedDetailSchema = remediationDetail(
    z.literal("executed"),
    "Vigil 'Remediation Executed': the action ran and succeeded.",
  );
  const RemediationFailedDetailSchema = DetailBaseSchema.extend({
    remediation: RemediationPayloadSchema.extend({
      status: z.literal("failed"),
      reason: z.string().min(1).register(z.globalRegistry, { description: "Why it failed." }),
    }),
  }).register(z.globalRegistry, { description: "Vigil 'Remediation Failed': the action ran and failed." });
  const RemediationSkippedDetailSchema = DetailBaseSchema.extend({
    remediation: RemediationPayloadSchema.extend({
      status: z.literal("skipped"),
      reason: z.string().min(1).register(z.globalRegistry, { description: "Which guardrail, dry-run or expiry stopped it." }),
    }),
  }).register(z.globalRegistry, { description: "Vigil 'Remediation Skipped': a guardrail, dry-run or expiry stopped it." });
  return { RemediationModeSchema, RemediationStatusSchema, RemediationPayloadSchema, RemediationPlannedDetailSchema, RemediationApprovedDetailSchema, RemediationExecutedDetailSchema, RemediationFailedDetailSchema, RemediationSkippedDetailSchema };
});

/** How a policy lets Vigil act: only describe, wait for a human, or act alone. */
export const RemediationModeSchema = /* @__PURE__ */ pick(remediationSchemas, "RemediationModeSchema");
/** Where a remediation stands. */
export const RemediationStatusSchema = /* @__PURE__ */ pick(remediationSchemas, "RemediationStatusSchema");
/** A remediation: one action a policy chose for one resource. */
export const RemediationPayloadSchema = /* @__PURE__ */ pick(remediationSchemas, "RemediationPayloadSchema");
export type RemediationPayload = z.infer<typeof RemediationPayloadSchema>;
/** `Remediation Planned`: a policy chose an action (and, in `approve` mode, awaits a human). */
export const RemediationPlannedDetailSchema = /* @__PURE__ */ pick(remediationSchemas, "RemediationPlannedDetailSchema");
export type RemediationPlannedDetail = z.infer<typeof RemediationPlannedDetailSchema>;
/** `Remediation Approved`: a human approved a planned action. */
export const RemediationApprovedDetailSchema = /* @__PURE__ */ pick(remediationSchemas, "RemediationApprovedDetailSchema");
export type RemediationApprovedDetail = z.infer<typeof RemediationApprovedDetailSchema>;
/** `Remediation Executed`: the action ran and succeeded. */
export const RemediationExecutedDetailSchema = /* @__PURE__ */ pick(remediationSchemas, "RemediationExecutedDetailSchema");
export type RemediationExecutedDetail = z.infer<typeof RemediationExecutedDetailSchema>;
/** `Remediation Failed`: the action ran and failed; `reason` says why. */
export const RemediationFailedDetailSchema = /* @__PURE__ */ pick(remediationSchemas, "RemediationFailedDetailSchema");
export type RemediationFailedDetail = z.infer<typeof RemediationFailedDetailSchema>;
/** `Remediation Skipped`: a guardrail, dry-run or expiry stopped it; `reason` says which. */
export const RemediationSkippedDetailSchema = /* @__PURE__ */ pick(remediationSchemas, "RemediationSkippedDetailSchema");
export type RemediationSkippedDetail = z.infer<typeof RemediationSkippedDetailSchema>;

/** The getter of each of the domain's detail schemas (events/lazy.ts), for the entry builder and the registry. */
export const REMEDIATION_DETAIL_SCHEMA_GETTERS = {
  "Remediation Planned": () => remediationSchemas().RemediationPlannedDetailSchema,
  "Remediation Approved": () => remediationSchemas().RemediationApprovedDetailSchema,
  "Remediation Executed": () => remediationSchemas().RemediationExecutedDetailSchema,
  "Remediation Failed": () => remediationSchemas().RemediationFailedDetailSchema,
  "Remediation Skipped": () => remediationSchemas().RemediationSkippedDetailSchema,
} as const;

/** The remediation detail-types and their schemas. */
export const REMEDIATION_DETAIL_SCHEMAS = /* @__PURE__ */ buildAll(REMEDIATION_DETAIL_SCHEMA_GETTERS);

/** A detail-type the remediator and the approval endpoint emit. */
export type RemediationDetailType = keyof typeof REMEDIATION_DETAIL_SCHEMAS;

/** Validates a remediation detail and builds its PutEvents entry, building no other domain's schemas (see {@link entryBuilder}). */
export const remediationEntry = entryBuilder(REMEDIATION_DETAIL_SCHEMA_GETTERS, "a remediation");
