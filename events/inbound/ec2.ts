import * as z from "zod";
import { eventBridgeEvent } from "./envelope";
import { lazily, pick } from "../lazy";

/** Builds the schemas below on first call, once (events/lazy.ts): the route of their event kind calls it. */
export const instanceStateChangeSchemas = lazily(() => {
  const InstanceState = z.enum(["pending", "running", "shutting-down", "stopping", "stopped", "terminated"]);
  const Ec2InstanceStateChangeDetailSchema = z.looseObject({
    "instance-id": z.string().trim().min(1),
    state: InstanceState,
  });
  const Ec2InstanceStateChangeEventSchema = eventBridgeEvent(
    z.literal("aws.ec2"),
    ["EC2 Instance State-change Notification"],
    Ec2InstanceStateChangeDetailSchema,
  );
  return { InstanceState, Ec2InstanceStateChangeDetailSchema, Ec2InstanceStateChangeEventSchema };
});

/** Instance lifecycle states EC2 reports. */
export const InstanceState = /* @__PURE__ */ pick(instanceStateChangeSchemas, "InstanceState");
/** `detail` of `EC2 Instance State-change Notification`. */
export const Ec2InstanceStateChangeDetailSchema = /* @__PURE__ */ pick(instanceStateChangeSchemas, "Ec2InstanceStateChangeDetailSchema");
export type Ec2InstanceStateChangeDetail = z.infer<typeof Ec2InstanceStateChangeDetailSchema>;
/** `aws.ec2` / `EC2 Instance State-change Notification`. */
export const Ec2InstanceStateChangeEventSchema = /* @__PURE__ */ pick(instanceStateChangeSchemas, "Ec2InstanceStateChangeEventSchema");
export type Ec2InstanceStateChangeEvent = z.infer<typeof Ec2InstanceStateChangeEventSchema>;

/** Builds the schemas below on first call, once (events/lazy.ts): the route of their event kind calls it. */
export const ebsNotificationSchemas = lazily(() => {
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
  const EbsVolumeNotificationDetailSchema = z.looseObject(EbsNotificationBase);
  const EbsSnapshotNotificationDetailSchema = z.looseObject({
    ...EbsNotificationBase,
    snapshot_id: z.string(),
    /** The volume (create) or source snapshot (copy) ARN. */
    source: z.string(),
    startTime: z.string(),
    endTime: z.string(),
  });
  const EbsMultiVolumeSnapshotsDetailSchema = z.looseObject({
    ...EbsNotificationBase,
    startTime: z.string(),
    endTime: z.string(),
    snapshots: z.array(z.looseObject({ snapshot_id: z.string(), source: z.string(), status: z.string() })).min(1),
  });
  const EbsVolumeNotificationEventSchema = eventBridgeEvent(
    z.literal("aws.ec2"),
    ["EBS Volume Notification"],
    EbsVolumeNotificationDetailSchema,
  );
  const EbsSnapshotNotificationEventSchema = eventBridgeEvent(
    z.literal("aws.ec2"),
    ["EBS Snapshot Notification"],
    EbsSnapshotNotificationDetailSchema,
  );
  const EbsMultiVolumeSnapshotsEventSchema = eventBridgeEvent(
    z.literal("aws.ec2"),
    ["EBS Multi-Volume Snapshots Completion Status"],
    EbsMultiVolumeSnapshotsDetailSchema,
  );
  return { EbsNotificationBase, EbsVolumeNotificationDetailSchema, EbsSnapshotNotificationDetailSchema, EbsMultiVolumeSnapshotsDetailSchema, EbsVolumeNotificationEventSchema, EbsSnapshotNotificationEventSchema, EbsMultiVolumeSnapshotsEventSchema };
});

/** `detail` of `EBS Volume Notification`. */
export const EbsVolumeNotificationDetailSchema = /* @__PURE__ */ pick(ebsNotificationSchemas, "EbsVolumeNotificationDetailSchema");
export type EbsVolumeNotificationDetail = z.infer<typeof EbsVolumeNotificationDetailSchema>;
/** `detail` of `EBS Snapshot Notification` (createSnapshot, copySnapshot, shareSnapshot). */
export const EbsSnapshotNotificationDetailSchema = /* @__PURE__ */ pick(ebsNotificationSchemas, "EbsSnapshotNotificationDetailSchema");
export type EbsSnapshotNotificationDetail = z.infer<typeof EbsSnapshotNotificationDetailSchema>;
/** `detail` of `EBS Multi-Volume Snapshots Completion Status` (createSnapshots). */
export const EbsMultiVolumeSnapshotsDetailSchema = /* @__PURE__ */ pick(ebsNotificationSchemas, "EbsMultiVolumeSnapshotsDetailSchema");
export type EbsMultiVolumeSnapshotsDetail = z.infer<typeof EbsMultiVolumeSnapshotsDetailSchema>;
/** `aws.ec2` / `EBS Volume Notification`. */
export const EbsVolumeNotificationEventSchema = /* @__PURE__ */ pick(ebsNotificationSchemas, "EbsVolumeNotificationEventSchema");
export type EbsVolumeNotificationEvent = z.infer<typeof EbsVolumeNotificationEventSchema>;
/** `aws.ec2` / `EBS Snapshot Notification`. */
export const EbsSnapshotNotificationEventSchema = /* @__PURE__ */ pick(ebsNotificationSchemas, "EbsSnapshotNotificationEventSchema");
export type EbsSnapshotNotificationEvent = z.infer<typeof EbsSnapshotNotificationEventSchema>;
/** `aws.ec2` / `EBS Multi-Volume Snapshots Completion Status`. */
export const EbsMultiVolumeSnapshotsEventSchema = /* @__PURE__ */ pick(ebsNotificationSchemas, "EbsMultiVolumeSnapshotsEventSchema");
export type EbsMultiVolumeSnapshotsEvent = z.infer<typeof EbsMultiVolumeSnapshotsEventSchema>;
