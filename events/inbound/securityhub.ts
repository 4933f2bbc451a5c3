import * as z from "zod";
import { eventBridgeEvent } from "./envelope";

/** Security Hub severity labels (ASFF `Severity.Label`). */
export const AsffSeverityLabel = z.enum(["INFORMATIONAL", "LOW", "MEDIUM", "HIGH", "CRITICAL"]);

/** A resource a finding is about (ASFF `Resources[]`). */
export const AsffResourceSchema = z.looseObject({
  /** e.g. `AwsEc2Instance`, `AwsAccount`. */
  Type: z.string(),
  Id: z.string(),
  Partition: z.string().optional(),
  Region: z.string().optional(),
  Tags: z.record(z.string(), z.string()).optional(),
});

/** One finding in the AWS Security Finding Format (an element of `detail.findings`). */
export const AsffFindingSchema = z.looseObject({
  SchemaVersion: z.string(),
  Id: z.string(),
  ProductArn: z.string(),
  GeneratorId: z.string(),
  AwsAccountId: z.string(),
  Types: z.array(z.string()).optional(),
  CreatedAt: z.string(),
  UpdatedAt: z.string(),
  FirstObservedAt: z.string().optional(),
  LastObservedAt: z.string().optional(),
  Severity: z.looseObject({
    Label: AsffSeverityLabel,
    Normalized: z.number().min(0).max(100).optional(),
  }),
  Title: z.string(),
  Description: z.string(),
  Resources: z.array(AsffResourceSchema).min(1),
  Compliance: z.looseObject({ Status: z.string() }).optional(),
  Workflow: z.looseObject({ Status: z.string() }).optional(),
  RecordState: z.enum(["ACTIVE", "ARCHIVED"]).optional(),
});
export type AsffFinding = z.infer<typeof AsffFindingSchema>;

/** `detail` of `Security Hub Findings - Imported`. */
export const SecurityHubFindingsImportedDetailSchema = z.looseObject({
  findings: z.array(AsffFindingSchema).min(1),
});
export type SecurityHubFindingsImportedDetail = z.infer<typeof SecurityHubFindingsImportedDetailSchema>;

/** `aws.securityhub` / `Security Hub Findings - Imported`. */
export const SecurityHubFindingsImportedEventSchema = eventBridgeEvent(
  z.literal("aws.securityhub"),
  ["Security Hub Findings - Imported"],
  SecurityHubFindingsImportedDetailSchema,
);
export type SecurityHubFindingsImportedEvent = z.infer<typeof SecurityHubFindingsImportedEventSchema>;
