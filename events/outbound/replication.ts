import * as z from "zod";
import { detailBaseSchemas } from "./envelope";
import { buildAll, lazily, pick } from "../lazy";
import { entryBuilder } from "./entry";

// Fresh field schemas get their description with `.register(z.globalRegistry, …)`, not `.describe()`,
// which clones: the same JSON Schema, one schema construction fewer per field at every cold start.

/** Builds the schemas below on first call, once (events/lazy.ts): the first detail of the domain emitted or received calls it. */
export const replicationSchemas = lazily(() => {
  const { DetailBaseSchema, ResourceRefSchema, UtcTimestamp } = detailBaseSchemas();
  const ReplicationSignalSchema = z
    .enum(["s3-replication-event", "s3-replication-metric", "s3-canary", "rds-snapshot", "dynamodb-replication-latency", "dynamodb-canary", "none"])
    .register(z.globalRegistry, { description: "The signal the observation rests on; none when no signal arrived in time." });
  const ReplicationPayloadSchema = z
    .object({
      /** Stable id of the replication target from the config (same as the detail's `id`). */
      targetId: z.string().min(1).register(z.globalRegistry, { description: "Stable id of the replication target (same as the detail's id)." }),
      /** What is replicated. */
      kind: z.enum(["s3", "rds", "dynamodb"]).register(z.globalRegistry, { description: "What is replicated." }),
      /** The protected (source) resource. */
      resource: ResourceRefSchema,
      /** The replica, when there is one to name. */
      replica: ResourceRefSchema.optional(),
      /** Recovery point objective, minutes. */
      rpoMinutes: z.number().positive().register(z.globalRegistry, { description: "Recovery point objective, minutes." }),
      /** Observed data-loss window, minutes; null when unknown. */
      observedRpoMinutes: z.number().nonnegative().nullable().register(z.globalRegistry, { description: "Observed data-loss window, minutes; null when unknown." }),
      /** ok, breached (over RPO), stale (signals stopped) or unknown (never seen a signal). */
      status: z.enum(["ok", "breached", "stale", "unknown"]).register(z.globalRegistry, { description: "ok, breached, stale (signals stopped) or unknown." }),
      /** Event time of the latest signal; null when none was ever seen. */
      lastSignalAt: UtcTimestamp.nullable().register(z.globalRegistry, { description: "Event time of the latest signal; null when none was seen." }),
      /** The signal the observation rests on. */
      signal: ReplicationSignalSchema,
    })
    .register(z.globalRegistry, { description: "Replication health of one protected resource against its RPO." });
  const ReplicationRpoBreachedDetailSchema = DetailBaseSchema.extend({
    replication: ReplicationPayloadSchema.extend({
      status: z.enum(["breached", "stale"]).register(z.globalRegistry, { description: "breached (over RPO) or stale (signals stopped)." }),
    }),
  }).register(z.globalRegistry, { description: "Vigil 'Replication RPO Breached': replication is behind its RPO." });
  const ReplicationRpoRestoredDetailSchema = DetailBaseSchema.extend({
    replication: ReplicationPayloadSchema.extend({
      status: z.literal("ok").register(z.globalRegistry, { description: "Always ok." }),
      observedRpoMinutes: z.number().nonnegative().register(z.globalRegistry, { description: "Observed data-loss window, minutes." }),
    }),
  }).register(z.globalRegistry, { description: "Vigil 'Replication RPO Restored': back within the RPO." });
  return { ReplicationSignalSchema, ReplicationPayloadSchema, ReplicationRpoBreachedDetailSchema, ReplicationRpoRestoredDetailSchema };
});

/** The signal an RPO observation rests on. */
export const ReplicationSignalSchema = /* @__PURE__ */ pick(replicationSchemas, "ReplicationSignalSchema");
/** Replication health of one protected resource against its recovery point objective. */
export const ReplicationPayloadSchema = /* @__PURE__ */ pick(replicationSchemas, "ReplicationPayloadSchema");
export type ReplicationPayload = z.infer<typeof ReplicationPayloadSchema>;
/** `Replication RPO Breached`: the observed window exceeds the RPO, or signals stopped for longer than it. */
export const ReplicationRpoBreachedDetailSchema = /* @__PURE__ */ pick(replicationSchemas, "ReplicationRpoBreachedDetailSchema");
export type ReplicationRpoBreachedDetail = z.infer<typeof ReplicationRpoBreachedDetailSchema>;
/** `Replication RPO Restored`: back within the RPO after a breach. */
export const ReplicationRpoRestoredDetailSchema = /* @__PURE__ */ pick(replicationSchemas, "ReplicationRpoRestoredDetailSchema");
export type ReplicationRpoRestoredDetail = z.infer<typeof ReplicationRpoRestoredDetailSchema>;

/** The getter of each of the domain's detail schemas (events/lazy.ts), for the entry builder and the registry. */
export const REPLICATION_DETAIL_SCHEMA_GETTERS = {
  "Replication RPO Breached": () => replicationSchemas().ReplicationRpoBreachedDetailSchema,
  "Replication RPO Restored": () => replicationSchemas().ReplicationRpoRestoredDetailSchema,
} as const;

/** The replication detail-types and their schemas. */
export const REPLICATION_DETAIL_SCHEMAS = /* @__PURE__ */ buildAll(REPLICATION_DETAIL_SCHEMA_GETTERS);

/** Validates a replication detail and builds its PutEvents entry, building no other domain's schemas (see {@link entryBuilder}). */
export const replicationEntry = entryBuilder(REPLICATION_DETAIL_SCHEMA_GETTERS, "a replication");
