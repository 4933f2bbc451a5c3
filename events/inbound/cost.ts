import * as z from "zod";
import { eventBridgeEvent } from "./envelope";
import { lazily, pick } from "../lazy";

/** Builds the schemas below on first call, once (events/lazy.ts): the route of their event kind calls it. */
export const costAnomalySchemas = lazily(() => {
  const CostAnomalyDetailSchema = z.looseObject({
    anomalyId: z.string(),
    /** In the SNS body; EventBridge events carry the account in the envelope. */
    accountId: z.string().optional(),
    /** In the SNS body; EventBridge events name the monitor in `resources`. */
    monitorArn: z.string().optional(),
    /** Date (`2020-12-13`) in older alerts, ISO date-time in current ones. */
    anomalyStartDate: z.string(),
    anomalyEndDate: z.string(),
    /** The monitored dimension's value, e.g. the service name: `dimensionalValue` in SNS alerts, `dimensionValue` on EventBridge. */
    dimensionalValue: z.string().optional(),
    dimensionValue: z.string().optional(),
    anomalyScore: z.looseObject({ maxScore: z.number(), currentScore: z.number() }),
    /** Money in the account's billing currency. */
    impact: z.looseObject({
      maxImpact: z.number(),
      totalImpact: z.number(),
      totalActualSpend: z.number().optional(),
      totalExpectedSpend: z.number().optional(),
      totalImpactPercentage: z.number().optional(),
    }),
    rootCauses: z.array(
      z.looseObject({
        service: z.string().optional(),
        region: z.string().optional(),
        linkedAccount: z.string().optional(),
        usageType: z.string().optional(),
      }),
    ),
    anomalyDetailsLink: z.url().optional(),
  });
  const CostAnomalyEventSchema = eventBridgeEvent(z.literal("aws.ce"), ["Anomaly Detected"], CostAnomalyDetailSchema);
  return { CostAnomalyDetailSchema, CostAnomalyEventSchema };
});

/** `detail` of Cost Anomaly Detection's `Anomaly Detected` (also the SNS message body of its alerts). */
export const CostAnomalyDetailSchema = /* @__PURE__ */ pick(costAnomalySchemas, "CostAnomalyDetailSchema");
export type CostAnomalyDetail = z.infer<typeof CostAnomalyDetailSchema>;
/** `aws.ce` / `Anomaly Detected`. */
export const CostAnomalyEventSchema = /* @__PURE__ */ pick(costAnomalySchemas, "CostAnomalyEventSchema");
export type CostAnomalyEvent = z.infer<typeof CostAnomalyEventSchema>;
