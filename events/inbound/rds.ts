import * as z from "zod";
import { AwsTimestamp, eventBridgeEvent } from "./envelope";

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

/** `detail` shared by every RDS event detail-type. */
export const RdsEventDetailSchema = z.looseObject({
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
export type RdsEventDetail = z.infer<typeof RdsEventDetailSchema>;

/** `aws.rds` instance, cluster, parameter-group, security-group and proxy events. */
export const RdsResourceEventSchema = eventBridgeEvent(z.literal("aws.rds"), RDS_RESOURCE_EVENT_TYPES, RdsEventDetailSchema);
/** `aws.rds` DB and cluster snapshot events. */
export const RdsSnapshotEventSchema = eventBridgeEvent(z.literal("aws.rds"), RDS_SNAPSHOT_EVENT_TYPES, RdsEventDetailSchema);
export type RdsResourceEvent = z.infer<typeof RdsResourceEventSchema>;
export type RdsSnapshotEvent = z.infer<typeof RdsSnapshotEventSchema>;
