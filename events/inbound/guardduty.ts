import * as z from "zod";
import { eventBridgeEvent } from "./envelope";
import { lazily, pick } from "../lazy";

/** Builds the schemas below on first call, once (events/lazy.ts): the route of their event kind calls it. */
export const guardDutyFindingSchemas = lazily(() => {
  const GuardDutyFindingDetailSchema = z.looseObject({
    schemaVersion: z.string(),
    accountId: z.string(),
    region: z.string(),
    partition: z.string(),
    id: z.string(),
    arn: z.string(),
    /** e.g. `UnauthorizedAccess:EC2/SSHBruteForce`. */
    type: z.string(),
    resource: z.looseObject({
      /** `Instance`, `AccessKey`, `S3Bucket`, `EKSCluster`, … */
      resourceType: z.string(),
    }),
    service: z
      .looseObject({
        archived: z.boolean().optional(),
        count: z.number().optional(),
        eventFirstSeen: z.string().optional(),
        eventLastSeen: z.string().optional(),
      })
      .optional(),
    /** 0.1–8.9 in practice: low < 4, medium < 7, high otherwise (10 reserved). */
    severity: z.number().min(0).max(10),
    createdAt: z.string(),
    updatedAt: z.string(),
    title: z.string(),
    description: z.string(),
  });
  const GuardDutyFindingEventSchema = eventBridgeEvent(
    z.literal("aws.guardduty"),
    ["GuardDuty Finding"],
    GuardDutyFindingDetailSchema,
  );
  return { GuardDutyFindingDetailSchema, GuardDutyFindingEventSchema };
});

/** `detail` of `GuardDuty Finding`: the finding object itself. */
export const GuardDutyFindingDetailSchema = /* @__PURE__ */ pick(guardDutyFindingSchemas, "GuardDutyFindingDetailSchema");
export type GuardDutyFindingDetail = z.infer<typeof GuardDutyFindingDetailSchema>;
/** `aws.guardduty` / `GuardDuty Finding`. */
export const GuardDutyFindingEventSchema = /* @__PURE__ */ pick(guardDutyFindingSchemas, "GuardDutyFindingEventSchema");
export type GuardDutyFindingEvent = z.infer<typeof GuardDutyFindingEventSchema>;
