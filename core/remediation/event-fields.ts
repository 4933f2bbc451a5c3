import * as z from "zod";

/** The EventBridge envelope fields targets are read from; the rest of the event is left as is. */
const EnvelopeSchema = z.looseObject({
  id: z.string().optional(),
  source: z.string(),
  "detail-type": z.string(),
  account: z.string().optional(),
  region: z.string().optional(),
  resources: z.array(z.string()).optional(),
  detail: z.unknown(),
});
export type Envelope = z.infer<typeof EnvelopeSchema>;

/** The event's envelope, or undefined when it is not an EventBridge event. */
export function readEnvelope(event: unknown): Envelope | undefined {
  const parsed = EnvelopeSchema.safeParse(event);
  return parsed.success ? parsed.data : undefined;
}

/** Parses `value` with `schema`, or undefined: events are validated, never cast. */
export function read<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> | undefined {
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/** A 12-digit account id, or undefined (ResourceRef rejects anything else). */
export function accountId(...candidates: (string | undefined)[]): string | undefined {
  return candidates.find((c) => c !== undefined && /^\d{12}$/.test(c));
}

/** The successful CloudTrail call an `AWS API Call via CloudTrail` event carries, or undefined. */
export const CloudTrailCallSchema = z.looseObject({
  eventName: z.string(),
  awsRegion: z.string().optional(),
  recipientAccountId: z.string().optional(),
  userIdentity: z.looseObject({ accountId: z.string().optional() }).optional(),
  requestParameters: z.record(z.string(), z.unknown()).nullish(),
  responseElements: z.record(z.string(), z.unknown()).nullish(),
  errorCode: z.string().optional(),
});
export type CloudTrailCall = z.infer<typeof CloudTrailCallSchema>;

/** The call recorded by a CloudTrail event, when it succeeded and is one of `names`. */
export function cloudTrailCall(envelope: Envelope, names: readonly string[]): CloudTrailCall | undefined {
  if (envelope["detail-type"] !== "AWS API Call via CloudTrail") return undefined;
  const call = read(CloudTrailCallSchema, envelope.detail);
  // A denied or failed call changed nothing, so there is nothing to remediate.
  return call && names.includes(call.eventName) && call.errorCode === undefined ? call : undefined;
}

const ConfigComplianceSchema = z.looseObject({
  resourceType: z.string(),
  resourceId: z.string(),
  awsRegion: z.string().optional(),
  awsAccountId: z.string().optional(),
  newEvaluationResult: z.looseObject({ complianceType: z.string() }),
});

/** The resource of a Config compliance change that became NON_COMPLIANT, when of `resourceType`. */
export function nonCompliantConfigResource(envelope: Envelope, resourceType: string) {
  if (envelope.source !== "aws.config" || envelope["detail-type"] !== "Config Rules Compliance Change") return undefined;
  const d = read(ConfigComplianceSchema, envelope.detail);
  return d && d.resourceType === resourceType && d.newEvaluationResult.complianceType === "NON_COMPLIANT" ? d : undefined;
}

const ConfigItemSchema = z.looseObject({
  configurationItem: z.looseObject({
    resourceType: z.string(),
    resourceId: z.string(),
    awsRegion: z.string().optional(),
    awsAccountId: z.string().optional(),
    configurationItemStatus: z.string().optional(),
  }),
});

/** The configuration item of a Config change of `resourceType` that still exists. */
export function configItem(envelope: Envelope, resourceType: string) {
  if (envelope.source !== "aws.config" || envelope["detail-type"] !== "Config Configuration Item Change") return undefined;
  const item = read(ConfigItemSchema, envelope.detail)?.configurationItem;
  const gone = item?.configurationItemStatus === "ResourceDeleted" || item?.configurationItemStatus === "ResourceNotRecorded";
  return item && item.resourceType === resourceType && !gone ? item : undefined;
}

const AsffResourceSchema = z.looseObject({ Type: z.string(), Id: z.string(), Region: z.string().optional() });
const AsffFindingSchema = z.looseObject({
  AwsAccountId: z.string().optional(),
  Resources: z.array(AsffResourceSchema),
  RecordState: z.string().optional(),
  Compliance: z.looseObject({ Status: z.string().optional() }).optional(),
  Workflow: z.looseObject({ Status: z.string().optional() }).optional(),
});
const FindingsDetailSchema = z.looseObject({ findings: z.array(z.unknown()) });

/** Resources of `asffType` in the active, unresolved Security Hub findings an event carries. */
export function securityHubResources(envelope: Envelope, asffType: string) {
  if (envelope.source !== "aws.securityhub" || !envelope["detail-type"].startsWith("Security Hub Findings")) return [];
  const findings = read(FindingsDetailSchema, envelope.detail)?.findings ?? [];
  return findings.flatMap((raw) => {
    const f = read(AsffFindingSchema, raw);
    const settled =
      f === undefined ||
      f.RecordState === "ARCHIVED" ||
      f.Compliance?.Status === "PASSED" ||
      f.Workflow?.Status === "RESOLVED" ||
      f.Workflow?.Status === "SUPPRESSED";
    if (settled) return [];
    return f.Resources.filter((r) => r.Type === asffType).map((r) => ({ ...r, account: f.AwsAccountId }));
  });
}

const GuardDutyFindingSchema = z.looseObject({
  accountId: z.string().optional(),
  region: z.string().optional(),
  resource: z.looseObject({
    resourceType: z.string(),
    instanceDetails: z.looseObject({ instanceId: z.string().optional() }).optional(),
    accessKeyDetails: z.looseObject({ accessKeyId: z.string().optional(), userName: z.string().optional() }).optional(),
  }),
});

/** The finding a `GuardDuty Finding` event carries. */
export function guardDutyFinding(envelope: Envelope) {
  if (envelope.source !== "aws.guardduty" || envelope["detail-type"] !== "GuardDuty Finding") return undefined;
  return read(GuardDutyFindingSchema, envelope.detail);
}

/** The last segment of an ARN's resource part, e.g. `vol-0123` from `…:volume/vol-0123`. */
export function arnResourceId(arn: string): string {
  return arn.split(/[:/]/).pop() ?? arn;
}
