import * as z from "zod";
import { describeFirstIssue } from "../format-issue";
import { OUTBOUND_DETAIL_TYPES, VIGIL_SOURCE } from "../outbound/envelope";
import { VIGIL_EVENT_SCHEMAS, type VigilEvent } from "../outbound/registry";
import { CloudTrailApiCallEventSchema } from "./cloudtrail";
import { CloudWatchAlarmStateChangeEventSchema } from "./cloudwatch";
import { ConfigConfigurationItemChangeEventSchema, ConfigRulesComplianceChangeEventSchema } from "./config";
import { CostAnomalyEventSchema } from "./cost";
import {
  EbsMultiVolumeSnapshotsEventSchema,
  EbsSnapshotNotificationEventSchema,
  EbsVolumeNotificationEventSchema,
  Ec2InstanceStateChangeEventSchema,
} from "./ec2";
import { GuardDutyFindingEventSchema } from "./guardduty";
import { HealthEventSchema } from "./health";
import { RDS_RESOURCE_EVENT_TYPES, RDS_SNAPSHOT_EVENT_TYPES, RdsResourceEventSchema, RdsSnapshotEventSchema } from "./rds";
import { S3ObjectCreatedEventSchema } from "./s3";
import { SecurityHubFindingsImportedEventSchema } from "./securityhub";

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
  schema: z.ZodType;
}

function kebab(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, "-");
}

const vigilRoutes = Object.fromEntries(
  OUTBOUND_DETAIL_TYPES.map((dt) => [
    `vigil.${kebab(dt)}`,
    { source: VIGIL_SOURCE, detailTypes: [dt], schema: VIGIL_EVENT_SCHEMAS[dt] },
  ]),
) as Record<`vigil.${string}`, InboundRoute>;

/** Every event Vigil's functions read from the ops bus, by kind: AWS events and Vigil's own. */
export const INBOUND_ROUTES = {
  "cloudwatch.alarm-state-change": {
    source: "aws.cloudwatch",
    detailTypes: ["CloudWatch Alarm State Change"],
    schema: CloudWatchAlarmStateChangeEventSchema,
  },
  "guardduty.finding": { source: "aws.guardduty", detailTypes: ["GuardDuty Finding"], schema: GuardDutyFindingEventSchema },
  "securityhub.findings-imported": {
    source: "aws.securityhub",
    detailTypes: ["Security Hub Findings - Imported"],
    schema: SecurityHubFindingsImportedEventSchema,
  },
  "config.compliance-change": {
    source: "aws.config",
    detailTypes: ["Config Rules Compliance Change"],
    schema: ConfigRulesComplianceChangeEventSchema,
  },
  "config.configuration-item-change": {
    source: "aws.config",
    detailTypes: ["Config Configuration Item Change"],
    schema: ConfigConfigurationItemChangeEventSchema,
  },
  "health.event": { source: "aws.health", detailTypes: ["AWS Health Event"], schema: HealthEventSchema },
  "ec2.instance-state-change": {
    source: "aws.ec2",
    detailTypes: ["EC2 Instance State-change Notification"],
    schema: Ec2InstanceStateChangeEventSchema,
  },
  "ebs.volume-notification": { source: "aws.ec2", detailTypes: ["EBS Volume Notification"], schema: EbsVolumeNotificationEventSchema },
  "ebs.snapshot-notification": {
    source: "aws.ec2",
    detailTypes: ["EBS Snapshot Notification"],
    schema: EbsSnapshotNotificationEventSchema,
  },
  "ebs.multi-volume-snapshots": {
    source: "aws.ec2",
    detailTypes: ["EBS Multi-Volume Snapshots Completion Status"],
    schema: EbsMultiVolumeSnapshotsEventSchema,
  },
  "rds.resource-event": { source: "aws.rds", detailTypes: RDS_RESOURCE_EVENT_TYPES, schema: RdsResourceEventSchema },
  "rds.snapshot-event": { source: "aws.rds", detailTypes: RDS_SNAPSHOT_EVENT_TYPES, schema: RdsSnapshotEventSchema },
  "s3.object-created": { source: "aws.s3", detailTypes: ["Object Created"], schema: S3ObjectCreatedEventSchema },
  "cloudtrail.api-call": {
    source: ANY_AWS_SOURCE,
    detailTypes: ["AWS API Call via CloudTrail"],
    schema: CloudTrailApiCallEventSchema,
  },
  "cost.anomaly-detected": { source: "aws.ce", detailTypes: ["Anomaly Detected"], schema: CostAnomalyEventSchema },
  ...vigilRoutes,
} as const satisfies Record<string, InboundRoute>;

/** Name of one inbound event type, e.g. `guardduty.finding` or `vigil.incident-opened`. */
export type InboundKind = keyof typeof INBOUND_ROUTES;

/** Any inbound AWS event Vigil consumes. */
export type AwsInboundEvent = {
  [K in Exclude<InboundKind, `vigil.${string}`>]: z.infer<(typeof INBOUND_ROUTES)[K]["schema"]>;
}[Exclude<InboundKind, `vigil.${string}`>];

/** Every schema Vigil reads from the ops bus; a plain union, so prefer `parseInboundEvent` for errors. */
export const InboundEventSchema = z.union(
  Object.values(INBOUND_ROUTES).map((r) => r.schema) as unknown as readonly [z.ZodType, z.ZodType, ...z.ZodType[]],
) as z.ZodType<InboundEvent>;

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
  const parsed = INBOUND_ROUTES[kind].schema.safeParse(e);
  if (!parsed.success) return { ok: false, error: describeFirstIssue(parsed.error) };
  return { ok: true, event: parsed.data as InboundEvent, kind };
}
