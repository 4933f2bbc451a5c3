import * as z from "zod";
import { AwsTimestamp, eventBridgeEvent } from "./envelope";
import { lazily, pick } from "../lazy";

/** Builds the schemas below on first call, once (events/lazy.ts): the route of their event kind calls it. */
export const healthEventSchemas = lazily(() => {
  const HealthEventDetailSchema = z.looseObject({
    eventArn: z.string(),
    /** e.g. `EC2`, `RDS`, `RISK`. */
    service: z.string(),
    /** e.g. `AWS_EC2_PERSISTENT_INSTANCE_RETIREMENT_SCHEDULED`. */
    eventTypeCode: z.string(),
    /** `issue`, `accountNotification`, `scheduledChange` or `investigation`. */
    eventTypeCategory: z.string(),
    /** `open`, `upcoming` or `closed`; absent on older events. */
    statusCode: z.string().optional(),
    /** RFC 1123, e.g. `Thu, 1 Nov 2018 22:00:00 GMT`. */
    startTime: AwsTimestamp,
    endTime: AwsTimestamp.optional(),
    eventDescription: z
      .array(z.looseObject({ language: z.string(), latestDescription: z.string() }))
      .min(1),
    affectedEntities: z
      .array(
        z.looseObject({
          entityValue: z.string(),
          tags: z.record(z.string(), z.string()).optional(),
        }),
      )
      .optional(),
  });
  const HealthEventSchema = eventBridgeEvent(z.literal("aws.health"), ["AWS Health Event"], HealthEventDetailSchema);
  return { HealthEventDetailSchema, HealthEventSchema };
});

/** `detail` of `AWS Health Event`. */
export const HealthEventDetailSchema = /* @__PURE__ */ pick(healthEventSchemas, "HealthEventDetailSchema");
export type HealthEventDetail = z.infer<typeof HealthEventDetailSchema>;
/** `aws.health` / `AWS Health Event`. */
export const HealthEventSchema = /* @__PURE__ */ pick(healthEventSchemas, "HealthEventSchema");
export type HealthEvent = z.infer<typeof HealthEventSchema>;
