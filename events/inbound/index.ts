import * as z from "zod";
import { describeFirstIssue } from "../format-issue";
import { OUTBOUND_DETAIL_TYPES, VIGIL_SOURCE } from "../outbound/envelope";
import { VIGIL_EVENT_SCHEMA_GETTERS, type VigilEvent } from "../outbound/registry";
import { cloudTrailApiCallSchemas } from "./cloudtrail";
import { alarmStateChangeSchemas } from "./cloudwatch";
import { complianceChangeSchemas, configurationItemChangeSchemas } from "./config";
import { costAnomalySchemas } from "./cost";
import { ebsNotificationSchemas, instanceStateChangeSchemas } from "./ec2";
import { guardDutyFindingSchemas } from "./guardduty";
import { healthEventSchemas } from "./health";
import { RDS_RESOURCE_EVENT_TYPES, RDS_SNAPSHOT_EVENT_TYPES, rdsEventSchemas } from "./rds";
import { s3ObjectCreatedSchemas } from "./s3";
import { securityHubFindingsSchemas } from "./securityhub";

export * from "./cloudtrail";
export * from "./cloudwatch";
export * from "./config";
export * from "./cost";
export * from "./ec2";
export * from "./guardduty";
export * from "./health";
export * from "./metric-stream";
export * from "./rds";
export * from "./s3";
export * from "./securityhub";

/** Sources whose `AWS API Call via CloudTrail` events Vigil reads: any AWS service. */
const ANY_AWS_SOURCE = "aws.*";

interface InboundRoute {
  /** Exact source, or `aws.*` for any AWS service. */
  source: string;
  detailTypes: readonly string[];
  /**
   * The kind's schema, built the first time an event of the kind arrives (events/lazy.ts): a batch
   * holds few kinds, so an invocation builds only those, and a function never the kinds it never receives.
   */
  schema: () => z.ZodType;
}

function kebab(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, "-");
}

const vigilRoutes = Object.fromEntries(
  OUTBOUND_DETAIL_TYPES.map((dt) => [
    `vigil.${kebab(dt)}`,
    { source: VIGIL_SOURCE, detailTypes: [dt], schema: VIGIL_EVENT_SCHEMA_GETTERS[dt] },
  ]),
) as Record<`vigil.${string}`, InboundRoute>;

/** Every event Vigil's functions read from the ops bus, by kind: AWS events and Vigil's own. */
export const INBOUND_ROUTES = {
  "cloudwatch.alarm-state-change": {
    source: "aws.cloudwatch",
    detailTypes: ["CloudWatch Alarm State Change"],
    schema: () => alarmStateChangeSchemas().CloudWatchAlarmStateChangeEventSchema,
  },
  "guardduty.finding": { source: "aws.guardduty", detailTypes: ["GuardDuty Finding"], schema: () => guardDutyFindingSchemas().GuardDutyFindingEventSchema },
  "securityhub.findings-imported": {
    source: "aws.securityhub",
    detailTypes: ["Security Hub Findings - Imported"],
    schema: () => securityHubFindingsSchemas().SecurityHubFindingsImportedEventSchema,
  },
  "config.compliance-change": {
    source: "aws.config",
    detailTypes: ["Config Rules Compliance Change"],
    schema: () => complianceChangeSchemas().ConfigRulesComplianceChangeEventSchema,
  },
  "config.configuration-item-change": {
    source: "aws.config",
    detailTypes: ["Config Configuration Item Change"],
    schema: () => configurationItemChangeSchemas().ConfigConfigurationItemChangeEventSchema,
  },
  "health.event": { source: "aws.health", detailTypes: ["AWS Health Event"], schema: () => healthEventSchemas().HealthEventSchema },
  "ec2.instance-state-change": {
    source: "aws.ec2",
    detailTypes: ["EC2 Instance State-change Notification"],
    schema: () => instanceStateChangeSchemas().Ec2InstanceStateChangeEventSchema,
  },
  "ebs.volume-notification": { source: "aws.ec2", detailTypes: ["EBS Volume Notification"], schema: () => ebsNotificationSchemas().EbsVolumeNotificationEventSchema },
  "ebs.snapshot-notification": {
    source: "aws.ec2",
    detailTypes: ["EBS Snapshot Notification"],
    schema: () => ebsNotificationSchemas().EbsSnapshotNotificationEventSchema,
  },
  "ebs.multi-volume-snapshots": {
    source: "aws.ec2",
    detailTypes: ["EBS Multi-Volume Snapshots Completion Status"],
    schema: () => ebsNotificationSchemas().EbsMultiVolumeSnapshotsEventSchema,
  },
  "rds.resource-event": { source: "aws.rds", detailTypes: RDS_RESOURCE_EVENT_TYPES, schema: () => rdsEventSchemas().RdsResourceEventSchema },
  "rds.snapshot-event": { source: "aws.rds", detailTypes: RDS_SNAPSHOT_EVENT_TYPES, schema: () => rdsEventSchemas().RdsSnapshotEventSchema },
  "s3.object-created": { source: "aws.s3", detailTypes: ["Object Created"], schema: () => s3ObjectCreatedSchemas().S3ObjectCreatedEventSchema },
  "cloudtrail.api-call": {
    source: ANY_AWS_SOURCE,
    detailTypes: ["AWS API Call via CloudTrail"],
    schema: () => cloudTrailApiCallSchemas().CloudTrailApiCallEventSchema,
  },
  "cost.anomaly-detected": { source: "aws.ce", detailTypes: ["Anomaly Detected"], schema: () => costAnomalySchemas().CostAnomalyEventSchema },
  ...vigilRoutes,
} as const satisfies Record<string, InboundRoute>;

/** Name of one inbound event type, e.g. `guardduty.finding` or `vigil.incident-opened`. */
export type InboundKind = keyof typeof INBOUND_ROUTES;

/** Any inbound AWS event Vigil consumes. */
export type AwsInboundEvent = {
  [K in Exclude<InboundKind, `vigil.${string}`>]: z.infer<ReturnType<(typeof INBOUND_ROUTES)[K]["schema"]>>;
}[Exclude<InboundKind, `vigil.${string}`>];

/** Every schema Vigil reads from the ops bus; a plain union, so prefer `parseInboundEvent` for errors. */
export const InboundEventSchema = /* @__PURE__ */ inboundUnion();

// No side effects: built only where InboundEventSchema is used, and then every kind's schema with it.
/* @__NO_SIDE_EFFECTS__ */
function inboundUnion(): z.ZodType<InboundEvent> {
  return z.union(
    Object.values(INBOUND_ROUTES).map((r) => r.schema()) as unknown as readonly [z.ZodType, z.ZodType, ...z.ZodType[]],
  ) as z.ZodType<InboundEvent>;
}

/** Any event Vigil's functions read from the ops bus. */
export type InboundEvent = AwsInboundEvent | VigilEvent;

const routeEntries = Object.entries(INBOUND_ROUTES) as [InboundKind, InboundRoute][];

function sourceMatches(routeSource: string, source: string): boolean {
  return routeSource === ANY_AWS_SOURCE ? source.startsWith("aws.") : routeSource === source;
}

function findKind(source: string, detailType: string): InboundKind | undefined {
  return routeEntries.find(([, r]) => sourceMatches(r.source, source) && r.detailTypes.includes(detailType))?.[0];
}

/**
 * Whether Vigil has a schema for this `source` and `detail-type`.
 *
 * @param source - the event's `source`
 * @param detailType - the event's `detail-type`
 */
export function isKnownEventType(source: string, detailType: string): boolean {
  return findKind(source, detailType) !== undefined;
}

const RoutingFieldsSchema = z.object({ source: z.string(), "detail-type": z.string() });

/**
 * Validates an event from the ops bus: dispatches on `source` and `detail-type`, then parses with that
 * type's schema. Never throws; the error names the first bad field, e.g.
 * `detail.severity: expected number, received string`.
 *
 * @param e - anything, typically a Lambda's EventBridge event
 */
export function parseInboundEvent(
  e: unknown,
): { ok: true; event: InboundEvent; kind: InboundKind } | { ok: false; error: string } {
  const head = RoutingFieldsSchema.safeParse(e);
  if (!head.success) return { ok: false, error: describeFirstIssue(head.error) };
  const { source, "detail-type": detailType } = head.data;
  const kind = findKind(source, detailType);
  if (kind === undefined) {
    const sourceKnown = routeEntries.some(([, r]) => r.source === source);
    return {
      ok: false,
      error: sourceKnown
        ? `detail-type: unknown detail-type "${detailType}" for source "${source}"`
        : `source: unknown source "${source}"`,
    };
  }
  const parsed = INBOUND_ROUTES[kind].schema().safeParse(e);
  if (!parsed.success) return { ok: false, error: describeFirstIssue(parsed.error) };
  return { ok: true, event: parsed.data as InboundEvent, kind };
}
