import * as z from "zod";
import { AwsTimestamp, eventBridgeEvent } from "./envelope";
import { lazily, pick } from "../lazy";

/** Builds the schemas below on first call, once (events/lazy.ts): the route of their event kind calls it. */
export const complianceChangeSchemas = lazily(() => {
  const ComplianceType = z.enum(["COMPLIANT", "NON_COMPLIANT", "NOT_APPLICABLE", "INSUFFICIENT_DATA"]);
  const ConfigEvaluationResultSchema = z.looseObject({
    evaluationResultIdentifier: z.looseObject({
      evaluationResultQualifier: z.looseObject({
        configRuleName: z.string(),
        resourceType: z.string(),
        resourceId: z.string(),
      }),
      orderingTimestamp: AwsTimestamp,
    }),
    complianceType: ComplianceType,
    resultRecordedTime: AwsTimestamp,
    configRuleInvokedTime: AwsTimestamp,
    annotation: z.string().nullish(),
  });
  const ConfigRulesComplianceChangeDetailSchema = z.looseObject({
    messageType: z.literal("ComplianceChangeNotification"),
    awsAccountId: z.string(),
    awsRegion: z.string(),
    configRuleName: z.string(),
    configRuleARN: z.string(),
    resourceType: z.string(),
    resourceId: z.string(),
    newEvaluationResult: ConfigEvaluationResultSchema,
    /** Absent or null on a resource's first evaluation. */
    oldEvaluationResult: ConfigEvaluationResultSchema.nullish(),
    notificationCreationTime: AwsTimestamp,
    recordVersion: z.string(),
  });
  const ConfigRulesComplianceChangeEventSchema = eventBridgeEvent(
    z.literal("aws.config"),
    ["Config Rules Compliance Change"],
    ConfigRulesComplianceChangeDetailSchema,
  );
  return { ComplianceType, ConfigEvaluationResultSchema, ConfigRulesComplianceChangeDetailSchema, ConfigRulesComplianceChangeEventSchema };
});

/** Compliance verdicts AWS Config records. */
export const ComplianceType = /* @__PURE__ */ pick(complianceChangeSchemas, "ComplianceType");
/** One evaluation of a rule against a resource. */
export const ConfigEvaluationResultSchema = /* @__PURE__ */ pick(complianceChangeSchemas, "ConfigEvaluationResultSchema");
/** `detail` of `Config Rules Compliance Change` (also the SNS `ComplianceChangeNotification` body). */
export const ConfigRulesComplianceChangeDetailSchema = /* @__PURE__ */ pick(complianceChangeSchemas, "ConfigRulesComplianceChangeDetailSchema");
export type ConfigRulesComplianceChangeDetail = z.infer<typeof ConfigRulesComplianceChangeDetailSchema>;
/** `aws.config` / `Config Rules Compliance Change`. */
export const ConfigRulesComplianceChangeEventSchema = /* @__PURE__ */ pick(complianceChangeSchemas, "ConfigRulesComplianceChangeEventSchema");
export type ConfigRulesComplianceChangeEvent = z.infer<typeof ConfigRulesComplianceChangeEventSchema>;

/** Builds the schemas below on first call, once (events/lazy.ts): the route of their event kind calls it. */
export const configurationItemChangeSchemas = lazily(() => {
  const ConfigurationItemSchema = z.looseObject({
    configurationItemCaptureTime: AwsTimestamp,
    /** `OK`, `ResourceDiscovered`, `ResourceNotRecorded`, `ResourceDeleted`, `ResourceDeletedNotRecorded`. */
    configurationItemStatus: z.string(),
    awsAccountId: z.string(),
    awsRegion: z.string(),
    resourceType: z.string(),
    resourceId: z.string(),
    resourceName: z.string().nullish(),
    ARN: z.string().optional(),
    tags: z.record(z.string(), z.string()).optional(),
    /** Service-specific; null when the resource was deleted. */
    configuration: z.unknown(),
  });
  const ConfigConfigurationItemChangeDetailSchema = z.looseObject({
    messageType: z.literal("ConfigurationItemChangeNotification"),
    configurationItem: ConfigurationItemSchema,
    configurationItemDiff: z
      .looseObject({
        changeType: z.enum(["CREATE", "UPDATE", "DELETE"]),
        changedProperties: z.record(z.string(), z.unknown()),
      })
      .nullish(),
    notificationCreationTime: AwsTimestamp,
    recordVersion: z.string(),
  });
  const ConfigConfigurationItemChangeEventSchema = eventBridgeEvent(
    z.literal("aws.config"),
    ["Config Configuration Item Change"],
    ConfigConfigurationItemChangeDetailSchema,
  );
  return { ConfigurationItemSchema, ConfigConfigurationItemChangeDetailSchema, ConfigConfigurationItemChangeEventSchema };
});

/** A recorded configuration of one resource (configuration item, version 1.2 and later). */
export const ConfigurationItemSchema = /* @__PURE__ */ pick(configurationItemChangeSchemas, "ConfigurationItemSchema");
/** `detail` of `Config Configuration Item Change` (also the SNS `ConfigurationItemChangeNotification` body). */
export const ConfigConfigurationItemChangeDetailSchema = /* @__PURE__ */ pick(configurationItemChangeSchemas, "ConfigConfigurationItemChangeDetailSchema");
export type ConfigConfigurationItemChangeDetail = z.infer<typeof ConfigConfigurationItemChangeDetailSchema>;
/** `aws.config` / `Config Configuration Item Change`. */
export const ConfigConfigurationItemChangeEventSchema = /* @__PURE__ */ pick(configurationItemChangeSchemas, "ConfigConfigurationItemChangeEventSchema");
export type ConfigConfigurationItemChangeEvent = z.infer<typeof ConfigConfigurationItemChangeEventSchema>;
