import * as z from "zod";
import { DetailBaseSchema, ResourceRefSchema, UtcTimestamp } from "./envelope";

/** The signal an RPO observation rests on. */
export const ReplicationSignalSchema = z
  .enum(["s3-replication-event", "s3-replication-metric", "s3-canary", "rds-snapshot", "dynamodb-replication-latency", "dynamodb-canary", "none"])
  .describe("The signal the observation rests on; none when no signal arrived in time.");

/** Replication health of one protected resource against its recovery point objective. */
export const ReplicationPayloadSchema = z
  .object({
    /** Stable id of the replication target from the config (same as the detail's `id`). */
    targetId: z.string().min(1).describe("Stable id of the replication target (same as the detail's id)."),
    /** What is replicated. */
    kind: z.enum(["s3", "rds", "dynamodb"]).describe("What is replicated."),
    /** The protected (source) resource. */
    resource: ResourceRefSchema,
    /** The replica, when there is one to name. */
    replica: ResourceRefSchema.optional(),
    /** Recovery point objective, minutes. */
    rpoMinutes: z.number().positive().describe("Recovery point objective, minutes."),
    /** Observed data-loss window, minutes; null when unknown. */
    observedRpoMinutes: z.number().nonnegative().nullable().describe("Observed data-loss window, minutes; null when unknown."),
    /** ok, breached (over RPO), stale (signals stopped) or unknown (never seen a signal). */
    status: z.enum(["ok", "breached", "stale", "unknown"]).describe("ok, breached, stale (signals stopped) or unknown."),
    /** Event time of the latest signal; null when none was ever seen. */
    lastSignalAt: UtcTimestamp.nullable().describe("Event time of the latest signal; null when none was seen."),
    /** The signal the observation rests on. */
    signal: ReplicationSignalSchema,
  })
  .describe("Replication health of one protected resource against its RPO.");
export type ReplicationPayload = z.infer<typeof ReplicationPayloadSchema>;

/** `Replication RPO Breached`: the observed window exceeds the RPO, or signals stopped for longer than it. */
export const ReplicationRpoBreachedDetailSchema = DetailBaseSchema.extend({
  replication: ReplicationPayloadSchema.extend({
    status: z.enum(["breached", "stale"]).describe("breached (over RPO) or stale (signals stopped)."),
  }),
}).describe("Vigil 'Replication RPO Breached': replication is behind its RPO.");

/** `Replication RPO Restored`: back within the RPO after a breach. */
export const ReplicationRpoRestoredDetailSchema = DetailBaseSchema.extend({
  replication: ReplicationPayloadSchema.extend({
    status: z.literal("ok").describe("Always ok."),
    observedRpoMinutes: z.number().nonnegative().describe("Observed data-loss window, minutes."),
  }),
}).describe("Vigil 'Replication RPO Restored': back within the RPO.");

export type ReplicationRpoBreachedDetail = z.infer<typeof ReplicationRpoBreachedDetailSchema>;
export type ReplicationRpoRestoredDetail = z.infer<typeof ReplicationRpoRestoredDetailSchema>;
