import * as z from "zod";
import { eventBridgeEvent } from "./envelope";
import { lazily, pick } from "../lazy";

/** Builds the schemas below on first call, once (events/lazy.ts): the route of their event kind calls it. */
export const s3ObjectCreatedSchemas = lazily(() => {
  // S3's own shapes, field for field as Powertools' S3 schemas (`@aws-lambda-powertools/parser/schemas`),
  // declared here so that schema index (every Powertools schema, with zod's whole namespace) stays out of bundles.
  const S3EventBridgeDetailSchema = z.object({
    version: z.string(),
    bucket: z.object({ name: z.string() }),
    object: z.object({
      key: z.string(),
      /** Absent in DeleteObject events. */
      size: z.number().nonnegative().optional(),
      etag: z.string().optional(),
      "version-id": z.string().optional(),
      sequencer: z.string().optional(),
    }),
    "request-id": z.string(),
    requester: z.string(),
    "source-ip-address": z.ipv4().optional(),
    reason: z.string().optional(),
    "deletion-type": z.string().optional(),
    "restore-expiry-time": z.string().optional(),
    "source-storage-class": z.string().optional(),
    "destination-storage-class": z.string().optional(),
    "destination-access-tier": z.string().optional(),
  });
  const S3ObjectCreatedDetailSchema = S3EventBridgeDetailSchema.loose().extend({
    "source-ip-address": z.string().optional(),
    /** `PutObject`, `POST Object`, `CopyObject` or `CompleteMultipartUpload`. */
    reason: z.string().optional(),
  });
  const S3ObjectCreatedEventSchema = eventBridgeEvent(z.literal("aws.s3"), ["Object Created"], S3ObjectCreatedDetailSchema);
  return { S3EventBridgeDetailSchema, S3ObjectCreatedDetailSchema, S3ObjectCreatedEventSchema };
});

/**
 * `detail` of `Object Created` (S3 via EventBridge): S3's detail, loosened for fields AWS adds,
 * and with `source-ip-address` accepting IPv6 requesters too.
 */
export const S3ObjectCreatedDetailSchema = /* @__PURE__ */ pick(s3ObjectCreatedSchemas, "S3ObjectCreatedDetailSchema");
export type S3ObjectCreatedDetail = z.infer<typeof S3ObjectCreatedDetailSchema>;
/** `aws.s3` / `Object Created`: the replication monitor's canary-arrival signal. */
export const S3ObjectCreatedEventSchema = /* @__PURE__ */ pick(s3ObjectCreatedSchemas, "S3ObjectCreatedEventSchema");
export type S3ObjectCreatedEvent = z.infer<typeof S3ObjectCreatedEventSchema>;

/** S3 replication notification types (S3 Event Notifications only: S3 does not send them to EventBridge). */
export const S3_REPLICATION_OPERATIONS = [
  "OperationFailedReplication",
  "OperationMissedThreshold",
  "OperationReplicatedAfterThreshold",
  "OperationNotTracked",
] as const;
export type S3ReplicationOperation = (typeof S3_REPLICATION_OPERATIONS)[number];

// AWS documents `Replication:Operation…`; some SDK test data prefix it with `s3:` as in the subscription name.
const replicationEventName = new RegExp(`^(s3:)?Replication:(${S3_REPLICATION_OPERATIONS.join("|")})$`);

/** Builds the schemas below on first call, once (events/lazy.ts): the route of their event kind calls it. */
export const s3ReplicationSchemas = lazily(() => {
  const S3IdentitySchema = z.object({ principalId: z.string() });
  /** One `Records[]` entry of an S3 event notification (Lambda, SQS or SNS delivery). */
  const S3RecordSchema = z.object({
    eventVersion: z.string(),
    eventSource: z.literal("aws:s3"),
    awsRegion: z.string(),
    eventTime: z.iso.datetime(),
    eventName: z.string(),
    userIdentity: S3IdentitySchema,
    requestParameters: z.object({ sourceIPAddress: z.union([z.ipv4(), z.literal("s3.amazonaws.com")]) }),
    responseElements: z.object({ "x-amz-request-id": z.string(), "x-amz-id-2": z.string() }),
    s3: z.object({
      s3SchemaVersion: z.string(),
      configurationId: z.string(),
      object: z.object({
        key: z.string(),
        size: z.number().optional(),
        urlDecodedKey: z.string().optional(),
        eTag: z.string().optional(),
        /** Only in PUT and DELETE events. */
        sequencer: z.string().optional(),
        versionId: z.string().optional(),
      }),
      bucket: z.object({ name: z.string(), ownerIdentity: S3IdentitySchema, arn: z.string() }),
    }),
    glacierEventData: z
      .object({ restoreEventData: z.object({ lifecycleRestorationExpiryTime: z.string(), lifecycleRestoreStorageClass: z.string() }) })
      .optional(),
  });
  const S3ReplicationRecordSchema = S3RecordSchema.extend({
    eventName: z.string().regex(replicationEventName, "expected a Replication:Operation… event name"),
    replicationEventData: z.looseObject({
      replicationRuleId: z.string(),
      /** ARN of the destination bucket. */
      destinationBucket: z.string(),
      /** `OBJECT_PUT`, `OBJECT_DELETE`, … */
      s3Operation: z.string(),
      requestTime: z.iso.datetime(),
      /** Set on `OperationFailedReplication`, e.g. `AssumeRoleNotPermitted`. */
      failureReason: z.string().optional(),
      /** Replication Time Control threshold, on threshold events. */
      threshold: z.string().optional(),
      replicationTime: z.string().optional(),
    }),
  });
  const S3ReplicationNotificationSchema = z.object({
    Records: z.array(S3ReplicationRecordSchema).min(1),
  });
  return { S3IdentitySchema, S3RecordSchema, S3ReplicationRecordSchema, S3ReplicationNotificationSchema };
});

/** One `Records[]` entry of an S3 replication event notification. */
export const S3ReplicationRecordSchema = /* @__PURE__ */ pick(s3ReplicationSchemas, "S3ReplicationRecordSchema");
export type S3ReplicationRecord = z.infer<typeof S3ReplicationRecordSchema>;
/** An S3 replication event notification as delivered to Lambda, SQS or SNS (`{ Records: [...] }`). */
export const S3ReplicationNotificationSchema = /* @__PURE__ */ pick(s3ReplicationSchemas, "S3ReplicationNotificationSchema");
export type S3ReplicationNotification = z.infer<typeof S3ReplicationNotificationSchema>;

/**
 * The replication operation a record reports, without the optional `s3:` prefix.
 *
 * @param record - a parsed replication record
 */
export function replicationOperation(record: S3ReplicationRecord): S3ReplicationOperation {
  const operation = record.eventName.replace(/^(s3:)?Replication:/, "");
  const known = S3_REPLICATION_OPERATIONS.find((o) => o === operation);
  // The schema's regex admits only the four operations, so a miss means the record was not parsed.
  if (known === undefined) throw new TypeError(`eventName: not a replication operation: ${record.eventName}`);
  return known;
}
