import * as z from "zod";

/** Every playbook a policy's `action` may name. */
export const PLAYBOOK_IDS = [
  "ec2.delete-unattached-volume",
  "ec2.release-unassociated-address",
  "ec2.delete-orphaned-snapshot",
  "s3.block-public-access",
  "ec2.revoke-open-ingress",
  "ec2.isolate-instance",
  "iam.deactivate-access-key",
  "iam.expire-jit-access",
  "ssm.start-automation",
] as const;
export type PlaybookId = (typeof PLAYBOOK_IDS)[number];

const NoParams = z.strictObject({}).prefault({});

/**
 * `params` each playbook accepts, defaulted when absent (ssm.start-automation requires them). Strict, so a misspelt parameter is an error
 * rather than a default silently used.
 */
export const PLAYBOOK_PARAMS = {
  "ec2.delete-unattached-volume": z.strictObject({
    /** Snapshot the volume before deleting it (the rollback path); on unless turned off explicitly. */
    snapshotFirst: z.boolean().default(true),
  }).prefault({}),
  "ec2.release-unassociated-address": NoParams,
  "ec2.delete-orphaned-snapshot": z.strictObject({
    /** Only snapshots older than this many days are deleted. */
    olderThanDays: z.number().int().positive().default(30),
  }).prefault({}),
  "s3.block-public-access": NoParams,
  "ec2.revoke-open-ingress": z.strictObject({
    /** Ports left open to the world on purpose (e.g. 443 on a public load balancer's group). */
    allowedPorts: z.array(z.number().int().min(0).max(65535)).default([]),
  }).prefault({}),
  "ec2.isolate-instance": z.strictObject({
    /** Name of the security group, with no rules, that replaces the instance's groups. */
    quarantineSecurityGroupName: z.string().min(1).max(255).default("vigil-quarantine"),
    /** Snapshot the instance's volumes for forensics before isolating it. */
    snapshotVolumes: z.boolean().default(true),
  }).prefault({}),
  "iam.deactivate-access-key": NoParams,
  "iam.expire-jit-access": z.strictObject({
    /** How long a just-in-time grant lives before it is revoked. */
    maxDurationMinutes: z.number().int().positive().default(60),
  }).prefault({}),
  "ssm.start-automation": z.strictObject({
    /** Automation runbook name or ARN, e.g. `AWS-DisablePublicAccessForSecurityGroup`. */
    documentName: z.string().min(1),
    /** Runbook parameters; `{{resourceId}}` in a value is replaced by the target's id. */
    parameters: z.record(z.string().min(1), z.array(z.string())).default({}),
    /** Runbook version; the default version when absent. */
    documentVersion: z.string().min(1).optional(),
  }),
} as const satisfies Record<PlaybookId, z.ZodType>;

/** The parsed `params` of one playbook. */
export type PlaybookParams<A extends PlaybookId> = z.output<(typeof PLAYBOOK_PARAMS)[A]>;
