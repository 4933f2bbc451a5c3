import * as z from "zod";
import { AwsTimestamp, eventBridgeEvent } from "./envelope";

/** Compliance verdicts AWS Config records. */
export const ComplianceType = z.enum(["COMPLIANT", "NON_COMPLIANT", "NOT_APPLICABLE", "INSUFFICIENT_DATA"]);

/** One evaluation of a rule against a resource. */
export const ConfigEvaluationResultSchema = z.looseObject({
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

/** `detail` of `Config Rules Compliance Change` (also the SNS `ComplianceChangeNotification` body). */
export const ConfigRulesComplianceChangeDetailSchema = z.looseObject({
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
export type ConfigRulesComplianceChangeDetail = z.infer<typeof ConfigRulesComplianceChangeDetailSchema>;

/** `aws.config` / `Config Rules Compliance Change`. */
export const ConfigRulesComplianceChangeEventSchema = eventBridgeEvent(
  z.literal("aws.config"),
  ["Config Rules Compliance Change"],
  ConfigRulesComplianceChangeDetailSchema,
);
export type ConfigRulesComplianceChangeEvent = z.infer<typeof ConfigRulesComplianceChangeEventSchema>;

/** A recorded configuration of one resource (configuration item, version 1.2 and later). */
export const ConfigurationItemSchema = z.looseObject({
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

/** `detail` of `Config Configuration Item Change` (also the SNS `ConfigurationItemChangeNotification` body). */
export const ConfigConfigurationItemChangeDetailSchema = z.looseObject({
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
export type ConfigConfigurationItemChangeDetail = z.infer<typeof ConfigConfigurationItemChangeDetailSchema>;

/** `aws.config` / `Config Configuration Item Change`. */
export const ConfigConfigurationItemChangeEventSchema = eventBridgeEvent(
  z.literal("aws.config"),
  ["Config Configuration Item Change"],
  ConfigConfigurationItemChangeDetailSchema,
);
export type ConfigConfigurationItemChangeEvent = z.infer<typeof ConfigConfigurationItemChangeEventSchema>;
