import * as z from "zod";
import { eventBridgeEvent } from "./envelope";
import { lazily, pick } from "../lazy";

/** Builds the schemas below on first call, once (events/lazy.ts): the route of their event kind calls it. */
export const securityHubFindingsSchemas = lazily(() => {
  const AsffSeverityLabel = z.enum(["INFORMATIONAL", "LOW", "MEDIUM", "HIGH", "CRITICAL"]);
  const AsffResourceSchema = z.looseObject({
    /** e.g. `AwsEc2Instance`, `AwsAccount`. */
    Type: z.string(),
    Id: z.string(),
    Partition: z.string().optional(),
    Region: z.string().optional(),
    Tags: z.record(z.string(), z.string()).optional(),
  });
  const AsffFindingSchema = z.looseObject({
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
  const SecurityHubFindingsImportedDetailSchema = z.looseObject({
    findings: z.array(AsffFindingSchema).min(1),
  });
  const SecurityHubFindingsImportedEventSchema = eventBridgeEvent(
    z.literal("aws.securityhub"),
    ["Security Hub Findings - Imported"],
    SecurityHubFindingsImportedDetailSchema,
  );
  return { AsffSeverityLabel, AsffResourceSchema, AsffFindingSchema, SecurityHubFindingsImportedDetailSchema, SecurityHubFindingsImportedEventSchema };
});

/** Security Hub severity labels (ASFF `Severity.Label`). */
export const AsffSeverityLabel = /* @__PURE__ */ pick(securityHubFindingsSchemas, "AsffSeverityLabel");
/** A resource a finding is about (ASFF `Resources[]`). */
export const AsffResourceSchema = /* @__PURE__ */ pick(securityHubFindingsSchemas, "AsffResourceSchema");
/** One finding in the AWS Security Finding Format (an element of `detail.findings`). */
export const AsffFindingSchema = /* @__PURE__ */ pick(securityHubFindingsSchemas, "AsffFindingSchema");
export type AsffFinding = z.infer<typeof AsffFindingSchema>;
/** `detail` of `Security Hub Findings - Imported`. */
export const SecurityHubFindingsImportedDetailSchema = /* @__PURE__ */ pick(securityHubFindingsSchemas, "SecurityHubFindingsImportedDetailSchema");
export type SecurityHubFindingsImportedDetail = z.infer<typeof SecurityHubFindingsImportedDetailSchema>;
/** `aws.securityhub` / `Security Hub Findings - Imported`. */
export const SecurityHubFindingsImportedEventSchema = /* @__PURE__ */ pick(securityHubFindingsSchemas, "SecurityHubFindingsImportedEventSchema");
export type SecurityHubFindingsImportedEvent = z.infer<typeof SecurityHubFindingsImportedEventSchema>;
