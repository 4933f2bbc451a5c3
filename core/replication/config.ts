import * as z from "zod";
import { describeFirstIssue } from "../../events/format-issue";
import { InvalidReplicationConfigError } from "./errors";

const Partition = "arn:aws(?:-[a-z]+)*";
const S3BucketArn = z
  .string()
  .regex(new RegExp(`^${Partition}:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`), "expected an S3 bucket ARN (arn:aws:s3:::name)");
const DynamoDbTableArn = z
  .string()
  .regex(
    new RegExp(`^${Partition}:dynamodb:[a-z0-9-]+:\\d{12}:table/[A-Za-z0-9_.-]{3,255}$`),
    "expected a DynamoDB table ARN (arn:aws:dynamodb:region:account:table/name)",
  );
const RdsSourceArn = z
  .string()
  .regex(
    new RegExp(`^${Partition}:rds:[a-z0-9-]+:\\d{12}:(db|cluster):[A-Za-z][A-Za-z0-9-]{0,62}$`),
    "expected an RDS DB instance or cluster ARN (arn:aws:rds:region:account:db:name)",
  );
const Region = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "expected a region name such as us-west-2");

/** Fields every protected resource has, whatever its kind. */
const Common = {
  /** Stable id, used as the outbound detail's `id` and in `dedupKey`. */
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/, "expected 1-128 letters, digits, '.', '_' or '-'"),
  /** Recovery point objective, minutes. */
  rpoMinutes: z.number().positive().default(15),
  /** Recovery time objective, minutes; informational here. */
  rtoMinutes: z.number().positive().optional(),
  /** How often a signal is expected (canary schedule, snapshot schedule); staleness scales with it. */
  signalIntervalMinutes: z.number().positive().optional(),
};

/** An S3 bucket replicated (CRR/SRR) to one replica bucket. */
export const S3ProtectedSchema = z.strictObject({
  ...Common,
  kind: z.literal("s3"),
  resource: S3BucketArn,
  replica: S3BucketArn,
  /** Whether the canary probe writes markers here (off for buckets that must hold only their own data). */
  canary: z.boolean().default(true),
});

/** A DynamoDB global table and the regions whose replicas must keep up. */
export const DynamoDbProtectedSchema = z.strictObject({
  ...Common,
  kind: z.literal("dynamodb"),
  resource: DynamoDbTableArn,
  replicaRegions: z.array(Region).min(1),
  /** Whether the canary probe writes its marker item here (off for tables whose scans must see only their own items). */
  canary: z.boolean().default(true),
});

/** An RDS DB instance or cluster whose snapshots are copied to DR regions. */
export const RdsProtectedSchema = z.strictObject({
  ...Common,
  kind: z.literal("rds"),
  resource: RdsSourceArn,
  replicaRegions: z.array(Region).min(1),
  /** Identifier prefix of this database's snapshots and their copies; defaults to the DB identifier. */
  snapshotPrefix: z.string().min(1).optional(),
});

/** One protected resource: `kind` decides which replica fields it needs. */
export const ProtectedResourceSchema = z.discriminatedUnion("kind", [S3ProtectedSchema, DynamoDbProtectedSchema, RdsProtectedSchema]);
export type ProtectedResource = z.infer<typeof ProtectedResourceSchema>;
export type ReplicationKind = ProtectedResource["kind"];

/** Thresholds of the model, shared by every protected resource. */
export const ReplicationSettingsSchema = z.strictObject({
  /** Floor of the staleness window: stale after max(3 × signal interval, this), minutes. */
  staleAfterMinutes: z.number().positive().default(30),
  /** Restore only when the observed RPO is below `rpoMinutes × restoreRatio`. */
  restoreRatio: z.number().gt(0).max(1).default(0.8),
  /** ... for this many consecutive observations, */
  restoreObservations: z.number().int().positive().default(3),
  /** ... or for this long, minutes (whichever comes first). */
  restoreAfterMinutes: z.number().positive().default(10),
  /** Signals dated further than this in the future are clamped to their arrival and flagged, seconds. */
  clockSkewToleranceSeconds: z.number().nonnegative().default(120),
});
export type ReplicationSettings = z.infer<typeof ReplicationSettingsSchema>;

/** The default signal interval of each kind, minutes: canary schedule (S3, DynamoDB), daily snapshots (RDS). */
export const DEFAULT_SIGNAL_INTERVAL_MINUTES: Readonly<Record<ReplicationKind, number>> = Object.freeze({
  s3: 5,
  dynamodb: 5,
  rds: 1440,
});

/** The `replication` section of `vigil.config.yaml`. */
export const ReplicationConfigSchema = z
  .strictObject({
    ...ReplicationSettingsSchema.shape,
    protected: z.array(ProtectedResourceSchema).default([]),
  })
  .superRefine((config, ctx) => {
    const seen = new Set<string>();
    config.protected.forEach((target, index) => {
      if (seen.has(target.id)) ctx.addIssue({ code: "custom", path: ["protected", index, "id"], message: `duplicate id "${target.id}"` });
      seen.add(target.id);
    });
  });
export type ReplicationConfig = z.infer<typeof ReplicationConfigSchema>;

/**
 * Validates the `replication` section and fills its defaults.
 *
 * @param raw - the section as read from the config file (undefined when absent)
 * @throws InvalidReplicationConfigError naming the path of the first problem, e.g. `replication.protected[1].replica`.
 */
export function parseReplicationConfig(raw: unknown): ReplicationConfig {
  const parsed = ReplicationConfigSchema.safeParse(raw ?? {});
  if (parsed.success) return parsed.data;
  const reason = describeFirstIssue(parsed.error, ["replication"]);
  throw new InvalidReplicationConfigError(reason.slice(0, reason.indexOf(":")), reason);
}

/**
 * Staleness window of one target, minutes: max(3 × its signal interval, `staleAfterMinutes`).
 *
 * @param target - the protected resource
 * @param settings - the model's thresholds
 */
export function staleAfterMinutes(target: ProtectedResource, settings: ReplicationSettings): number {
  const interval = target.signalIntervalMinutes ?? DEFAULT_SIGNAL_INTERVAL_MINUTES[target.kind];
  return Math.max(3 * interval, settings.staleAfterMinutes);
}

/** The thresholds with every default, for callers without a config. */
export const DEFAULT_REPLICATION_SETTINGS: Readonly<ReplicationSettings> = Object.freeze(ReplicationSettingsSchema.parse({}));
