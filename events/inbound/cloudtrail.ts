import * as z from "zod";
import { AwsTimestamp, eventBridgeEvent } from "./envelope";
import { lazily, pick } from "../lazy";

/** Builds the schemas below on first call, once (events/lazy.ts): the route of their event kind calls it. */
export const cloudTrailApiCallSchemas = lazily(() => {
  const CloudTrailUserIdentitySchema = z.looseObject({
    /** `Root`, `IAMUser`, `AssumedRole`, `AWSService`, … */
    type: z.string(),
    principalId: z.string().optional(),
    arn: z.string().optional(),
    accountId: z.string().optional(),
    invokedBy: z.string().optional(),
  });
  const CloudTrailRecordSchema = z.looseObject({
    eventVersion: z.string(),
    eventID: z.string(),
    eventTime: AwsTimestamp,
    /** Service endpoint, e.g. `s3.amazonaws.com`. */
    eventSource: z.string(),
    eventName: z.string(),
    awsRegion: z.string(),
    eventType: z.string(),
    userIdentity: CloudTrailUserIdentitySchema,
    sourceIPAddress: z.string().optional(),
    userAgent: z.string().optional(),
    requestParameters: z.record(z.string(), z.unknown()).nullish(),
    responseElements: z.record(z.string(), z.unknown()).nullish(),
    errorCode: z.string().optional(),
    errorMessage: z.string().optional(),
    readOnly: z.boolean().optional(),
    recipientAccountId: z.string().optional(),
  });
  const CloudTrailApiCallEventSchema = eventBridgeEvent(
    z.string().startsWith("aws."),
    ["AWS API Call via CloudTrail"],
    CloudTrailRecordSchema,
  );
  return { CloudTrailUserIdentitySchema, CloudTrailRecordSchema, CloudTrailApiCallEventSchema };
});

/** Who made a call (`userIdentity`). */
export const CloudTrailUserIdentitySchema = /* @__PURE__ */ pick(cloudTrailApiCallSchemas, "CloudTrailUserIdentitySchema");
/** A CloudTrail record: the `detail` of `AWS API Call via CloudTrail`, and each entry of a log file's `Records`. */
export const CloudTrailRecordSchema = /* @__PURE__ */ pick(cloudTrailApiCallSchemas, "CloudTrailRecordSchema");
export type CloudTrailRecord = z.infer<typeof CloudTrailRecordSchema>;
/** `aws.<service>` / `AWS API Call via CloudTrail`: the source is the called service's, so any `aws.` source. */
export const CloudTrailApiCallEventSchema = /* @__PURE__ */ pick(cloudTrailApiCallSchemas, "CloudTrailApiCallEventSchema");
export type CloudTrailApiCallEvent = z.infer<typeof CloudTrailApiCallEventSchema>;
