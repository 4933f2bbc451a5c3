import { VIGIL_SOURCE } from "./outbound/envelope";
import { RDS_RESOURCE_EVENT_TYPES, RDS_SNAPSHOT_EVENT_TYPES } from "./inbound/rds";
import { S3_REPLICATION_OPERATIONS } from "./inbound/s3";

/**
 * An EventBridge event pattern as plain JSON: leaves are arrays of values or matchers
 * (`{ prefix }`, `{ "anything-but": … }`, …), objects nest into the event.
 */
export type EventPattern = { readonly [field: string]: EventPattern | readonly unknown[] };

/** Key prefix of the canary objects the replication monitor writes; their arrival at a replica measures lag. */
export const CANARY_KEY_PREFIX = "vigil-canary/";

/** `source` of the canary probe's reports on the ops bus; not `vigil`, so neither the audit log nor subscribers see them. */
export const CANARY_EVENT_SOURCE = "vigil.replication-canary";
/** `detail-type` of a canary probe's report (core/replication/signal-canary.ts `CanaryProbeResult`). */
export const CANARY_DETAIL_TYPE = "Replication Canary Observed";

const ALARMS = ["CloudWatch Alarm State Change"] as const;
const FINDINGS = ["GuardDuty Finding", "Security Hub Findings - Imported"] as const;
const CONFIG_COMPLIANCE = ["Config Rules Compliance Change"] as const;
const CONFIG_CHANGES = ["Config Configuration Item Change"] as const;
const HEALTH = ["AWS Health Event"] as const;
const EC2_AND_EBS = [
  "EC2 Instance State-change Notification",
  "EBS Volume Notification",
  "EBS Snapshot Notification",
  "EBS Multi-Volume Snapshots Completion Status",
] as const;
const COST_ANOMALY = ["Anomaly Detected"] as const;
const CLOUDTRAIL = ["AWS API Call via CloudTrail"] as const;
const INCIDENTS = ["Incident Opened", "Incident Updated", "Incident Resolved"] as const;
/** No schema in events/inbound: the grouper turns these into generic alerts (core/grouping/normalise-generic.ts). */
const TRUSTED_ADVISOR = ["Trusted Advisor Check Item Refresh Notification"] as const;

const cloudTrailApiCalls = { source: [{ prefix: "aws." }], "detail-type": CLOUDTRAIL } as const;
const s3Canaries = {
  source: ["aws.s3"],
  "detail-type": ["Object Created"],
  detail: { object: { key: [{ prefix: CANARY_KEY_PREFIX }] } },
} as const;

/** audit-writer: every event Vigil emits. */
export const auditWriter = [{ source: [VIGIL_SOURCE] }] as const satisfies readonly EventPattern[];

/** A pattern of alerts and where its events name the account whose grouping scope they belong to. */
export interface AlertRoute {
  readonly pattern: EventPattern;
  /** JSON path (dot and index notation) of the alert's account: the alert stream's partition key. */
  readonly partitionKeyPath: string;
}

const present = [{ exists: true }] as const;
const absent = [{ exists: false }] as const;

/**
 * The alert-grouper's patterns, each with the path of the account the normaliser scopes its alerts by
 * (core/grouping/normalise-*.ts), so one account's alerts share one shard of the alert stream, in order,
 * whoever emitted them (a payer account's cost anomaly, an administrator account's findings). Where the
 * normaliser falls back from one field to another, the pattern splits on `exists`, so every path resolves and
 * no event matches two routes. One rule each in infra/subscriptions.ts and local/functions.ts.
 */
export const alertGrouperRoutes = [
  {
    pattern: { source: ["aws.cloudwatch", "aws.rds", "aws.ec2"], "detail-type": [...ALARMS, ...RDS_RESOURCE_EVENT_TYPES, ...EC2_AND_EBS] },
    partitionKeyPath: "$.account",
  },
  { pattern: { source: ["aws.guardduty"], "detail-type": ["GuardDuty Finding"] }, partitionKeyPath: "$.detail.accountId" },
  // One finding per event as AWS sends them; the grouper still groups each finding of a multi-account import by its own account.
  { pattern: { source: ["aws.securityhub"], "detail-type": ["Security Hub Findings - Imported"] }, partitionKeyPath: "$.detail.findings[0].AwsAccountId" },
  { pattern: { source: ["aws.config"], "detail-type": CONFIG_COMPLIANCE }, partitionKeyPath: "$.detail.awsAccountId" },
  { pattern: { source: ["aws.health"], "detail-type": HEALTH, detail: { affectedAccount: present } }, partitionKeyPath: "$.detail.affectedAccount" },
  { pattern: { source: ["aws.health"], "detail-type": HEALTH, detail: { affectedAccount: absent } }, partitionKeyPath: "$.account" },
  // Cost anomalies are scoped by the first root cause's linked account, else the monitor's account, else the envelope's.
  {
    pattern: { source: ["aws.ce"], "detail-type": COST_ANOMALY, detail: { rootCauses: { linkedAccount: present } } },
    partitionKeyPath: "$.detail.rootCauses[0].linkedAccount",
  },
  {
    pattern: { source: ["aws.ce"], "detail-type": COST_ANOMALY, detail: { rootCauses: { linkedAccount: absent }, accountId: present } },
    partitionKeyPath: "$.detail.accountId",
  },
  {
    pattern: { source: ["aws.ce"], "detail-type": COST_ANOMALY, detail: { rootCauses: { linkedAccount: absent }, accountId: absent } },
    partitionKeyPath: "$.account",
  },
  { pattern: { source: [VIGIL_SOURCE], "detail-type": ["Anomaly Detected"] }, partitionKeyPath: "$.detail.anomaly.account" },
  // Generic alerts are scoped by the envelope's account.
  { pattern: { source: ["aws.trustedadvisor"], "detail-type": TRUSTED_ADVISOR }, partitionKeyPath: "$.account" },
] as const satisfies readonly AlertRoute[];

/** alert-grouper: alarms, findings, health, config compliance, RDS/EC2/EBS events, cost anomalies, Trusted Advisor checks, and Vigil's own anomalies. */
export const alertGrouper = alertGrouperRoutes.map((route) => route.pattern) satisfies readonly EventPattern[];

/**
 * remediator: incidents, findings, config compliance and changes, and CloudTrail API calls
 * (all of them: which calls matter is policy, decided in the function).
 */
export const remediator = [
  { source: [VIGIL_SOURCE], "detail-type": INCIDENTS },
  {
    source: ["aws.guardduty", "aws.securityhub", "aws.config"],
    "detail-type": [...FINDINGS, ...CONFIG_COMPLIANCE, ...CONFIG_CHANGES],
  },
  // Health risk events (an exposed access key) and EC2/EBS state (volumes, snapshots, instances) trigger playbooks too.
  { source: ["aws.health", "aws.ec2"], "detail-type": [...HEALTH, ...EC2_AND_EBS] },
  cloudTrailApiCalls,
] as const satisfies readonly EventPattern[];

/**
 * replication-monitor: RDS snapshot events, the arrival of S3 canary objects and the canary probe's reports.
 * S3 replication notifications never reach EventBridge (S3 sends them only to SQS, SNS or Lambda):
 * the bucket notification configuration subscribes the function to `S3_REPLICATION_NOTIFICATION_EVENTS`.
 */
export const replicationMonitor = [
  { source: ["aws.rds"], "detail-type": RDS_SNAPSHOT_EVENT_TYPES },
  s3Canaries,
  { source: [CANARY_EVENT_SOURCE], "detail-type": [CANARY_DETAIL_TYPE] },
] as const satisfies readonly EventPattern[];

/** S3 event-notification types the replication monitor subscribes to on protected buckets. */
export const S3_REPLICATION_NOTIFICATION_EVENTS = S3_REPLICATION_OPERATIONS.map((op) => `s3:Replication:${op}` as const);

/** The ops-bus subscriptions of each function: one rule per pattern. */
export const FUNCTION_PATTERNS = { auditWriter, alertGrouper, remediator, replicationMonitor } as const;
export type SubscribingFunction = keyof typeof FUNCTION_PATTERNS;

/** Rules on the default bus that forward AWS events to the ops bus, by name. */
export const forwardedFromDefaultBus = {
  cloudwatchAlarms: { source: ["aws.cloudwatch"], "detail-type": ALARMS },
  findings: { source: ["aws.guardduty", "aws.securityhub"], "detail-type": FINDINGS },
  config: { source: ["aws.config"], "detail-type": [...CONFIG_COMPLIANCE, ...CONFIG_CHANGES] },
  health: { source: ["aws.health"], "detail-type": HEALTH },
  ec2: { source: ["aws.ec2"], "detail-type": EC2_AND_EBS },
  rds: { source: ["aws.rds"], "detail-type": [...RDS_RESOURCE_EVENT_TYPES, ...RDS_SNAPSHOT_EVENT_TYPES] },
  costAnomalies: { source: ["aws.ce"], "detail-type": COST_ANOMALY },
  trustedAdvisor: { source: ["aws.trustedadvisor"], "detail-type": TRUSTED_ADVISOR },
  s3Canaries,
  cloudTrailApiCalls,
} as const satisfies Record<string, EventPattern>;
