import * as z from "zod";
import { eventBridgeEvent } from "./envelope";

/** Instance lifecycle states EC2 reports. */
export const InstanceState = z.enum(["pending", "running", "shutting-down", "stopping", "stopped", "terminated"]);

/** `detail` of `EC2 Instance State-change Notification`. */
export const Ec2InstanceStateChangeDetailSchema = z.looseObject({
  "instance-id": z.string().trim().min(1),
  state: InstanceState,
});
export type Ec2InstanceStateChangeDetail = z.infer<typeof Ec2InstanceStateChangeDetailSchema>;

/** `aws.ec2` / `EC2 Instance State-change Notification`. */
export const Ec2InstanceStateChangeEventSchema = eventBridgeEvent(
  z.literal("aws.ec2"),
  ["EC2 Instance State-change Notification"],
  Ec2InstanceStateChangeDetailSchema,
);
export type Ec2InstanceStateChangeEvent = z.infer<typeof Ec2InstanceStateChangeEventSchema>;

/** Fields every EBS notification carries; the volume or snapshot ARN is in the envelope's `resources`. */
const EbsNotificationBase = {
  /** The API action, e.g. `createVolume`, `attachVolume`, `copySnapshot`. */
  event: z.string(),
  /** `available`, `failed`, `succeeded`, `deleted`, `optimizing`, … */
  result: z.string(),
  /** Why it failed; empty on success. */
  cause: z.string(),
  "request-id": z.string(),
};

/** `detail` of `EBS Volume Notification`. */
export const EbsVolumeNotificationDetailSchema = z.looseObject(EbsNotificationBase);
export type EbsVolumeNotificationDetail = z.infer<typeof EbsVolumeNotificationDetailSchema>;

/** `detail` of `EBS Snapshot Notification` (createSnapshot, copySnapshot, shareSnapshot). */
export const EbsSnapshotNotificationDetailSchema = z.looseObject({
  ...EbsNotificationBase,
  snapshot_id: z.string(),
  /** The volume (create) or source snapshot (copy) ARN. */
  source: z.string(),
  startTime: z.string(),
  endTime: z.string(),
});
export type EbsSnapshotNotificationDetail = z.infer<typeof EbsSnapshotNotificationDetailSchema>;

/** `detail` of `EBS Multi-Volume Snapshots Completion Status` (createSnapshots). */
export const EbsMultiVolumeSnapshotsDetailSchema = z.looseObject({
  ...EbsNotificationBase,
  startTime: z.string(),
  endTime: z.string(),
  snapshots: z.array(z.looseObject({ snapshot_id: z.string(), source: z.string(), status: z.string() })).min(1),
});
export type EbsMultiVolumeSnapshotsDetail = z.infer<typeof EbsMultiVolumeSnapshotsDetailSchema>;

/** `aws.ec2` / `EBS Volume Notification`. */
export const EbsVolumeNotificationEventSchema = eventBridgeEvent(
  z.literal("aws.ec2"),
  ["EBS Volume Notification"],
  EbsVolumeNotificationDetailSchema,
);
/** `aws.ec2` / `EBS Snapshot Notification`. */
export const EbsSnapshotNotificationEventSchema = eventBridgeEvent(
  z.literal("aws.ec2"),
  ["EBS Snapshot Notification"],
  EbsSnapshotNotificationDetailSchema,
);
/** `aws.ec2` / `EBS Multi-Volume Snapshots Completion Status`. */
export const EbsMultiVolumeSnapshotsEventSchema = eventBridgeEvent(
  z.literal("aws.ec2"),
  ["EBS Multi-Volume Snapshots Completion Status"],
  EbsMultiVolumeSnapshotsDetailSchema,
);
export type EbsVolumeNotificationEvent = z.infer<typeof EbsVolumeNotificationEventSchema>;
export type EbsSnapshotNotificationEvent = z.infer<typeof EbsSnapshotNotificationEventSchema>;
export type EbsMultiVolumeSnapshotsEvent = z.infer<typeof EbsMultiVolumeSnapshotsEventSchema>;
