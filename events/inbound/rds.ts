import * as z from "zod";
import { AwsTimestamp, eventBridgeEvent } from "./envelope";
import { lazily, pick } from "../lazy";

/** RDS event detail-types about instances, clusters and their configuration (one shared detail shape). */
export const RDS_RESOURCE_EVENT_TYPES = [
  "RDS DB Instance Event",
  "RDS DB Cluster Event",
  "RDS DB Parameter Group Event",
  "RDS DB Security Group Event",
  "RDS DB Proxy Event",
] as const;

/** RDS event detail-types about snapshots: the replication monitor's backup signal. */
export const RDS_SNAPSHOT_EVENT_TYPES = ["RDS DB Snapshot Event", "RDS DB Cluster Snapshot Event"] as const;

/** Builds the schemas below on first call, once (events/lazy.ts): the route of their event kind calls it. */
export const rdsEventSchemas = lazily(() => {
  const RdsEventDetailSchema = z.looseObject({
    /** e.g. `["failover"]`, `["backup"]`, `["creation"]`. */
    EventCategories: z.array(z.string()),
    /** `DB_INSTANCE`, `CLUSTER`, `SNAPSHOT`, `CLUSTER_SNAPSHOT`, `DB_PARAM`, `DB_PROXY`, … */
    SourceType: z.string(),
    SourceArn: z.string(),
    Date: AwsTimestamp,
    Message: z.string(),
    SourceIdentifier: z.string(),
    /** e.g. `RDS-EVENT-0049`; see the RDS event catalogue. */
    EventID: z.string().regex(/^RDS-EVENT-\d+$/),
  });
  const RdsResourceEventSchema = eventBridgeEvent(z.literal("aws.rds"), RDS_RESOURCE_EVENT_TYPES, RdsEventDetailSchema);
  const RdsSnapshotEventSchema = eventBridgeEvent(z.literal("aws.rds"), RDS_SNAPSHOT_EVENT_TYPES, RdsEventDetailSchema);
  return { RdsEventDetailSchema, RdsResourceEventSchema, RdsSnapshotEventSchema };
});

/** `detail` shared by every RDS event detail-type. */
export const RdsEventDetailSchema = /* @__PURE__ */ pick(rdsEventSchemas, "RdsEventDetailSchema");
export type RdsEventDetail = z.infer<typeof RdsEventDetailSchema>;
/** `aws.rds` instance, cluster, parameter-group, security-group and proxy events. */
export const RdsResourceEventSchema = /* @__PURE__ */ pick(rdsEventSchemas, "RdsResourceEventSchema");
export type RdsResourceEvent = z.infer<typeof RdsResourceEventSchema>;
/** `aws.rds` DB and cluster snapshot events. */
export const RdsSnapshotEventSchema = /* @__PURE__ */ pick(rdsEventSchemas, "RdsSnapshotEventSchema");
export type RdsSnapshotEvent = z.infer<typeof RdsSnapshotEventSchema>;
