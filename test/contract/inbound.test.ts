import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { describeFirstIssue } from "../../events/format-issue";
import {
  alarmKind,
  CloudTrailRecordSchema,
  CloudWatchAlarmStateChangeDetailSchema,
  ConfigConfigurationItemChangeDetailSchema,
  ConfigRulesComplianceChangeDetailSchema,
  CostAnomalyDetailSchema,
  EbsMultiVolumeSnapshotsDetailSchema,
  EbsSnapshotNotificationDetailSchema,
  EbsVolumeNotificationDetailSchema,
  Ec2InstanceStateChangeDetailSchema,
  GuardDutyFindingDetailSchema,
  HealthEventDetailSchema,
  type InboundKind,
  AsffFindingSchema,
  isKnownEventType,
  parseInboundEvent,
  replicationOperation,
  S3ReplicationNotificationSchema,
} from "../../events/inbound";
import { fixtureFiles, fixtureJson, fixturesPresent, MISSING_FIXTURES } from "./fixtures";

/**
 * How each fixture must be read, by its real shape:
 * - `event`: a full EventBridge envelope, given to `parseInboundEvent`; it yields `kind`, or is rejected with
 *   exactly `error`. A rejected envelope of a consumed type may still carry a valid `detail`.
 * - `detail`: a bare detail (what sits under `detail`), parsed with that type's detail schema.
 * - `sns`: an SNS delivery whose `Message` (object or JSON string) is the detail.
 * - `records`: a `{ Records: [...] }` file whose every record is a detail (CloudTrail log files).
 * - `notification`: a whole non-EventBridge payload parsed with its own schema (S3 replication notifications).
 * - `putevents`: a PutEvents entries array whose `Detail` strings are details.
 */
type Expectation =
  | { form: "event"; kind: InboundKind }
  | { form: "event"; error: string; detail?: { schema: z.ZodType; error?: string } }
  | { form: "detail" | "sns" | "records" | "notification" | "putevents"; schema: z.ZodType; error?: string };

const rejected = (error: string, detail?: { schema: z.ZodType; error?: string }): Expectation => ({ form: "event", error, ...(detail ? { detail } : {}) });
const unknownSource = (source: string) => rejected(`source: unknown source "${source}"`);
const unknownDetailType = (detailType: string, source: string) =>
  rejected(`detail-type: unknown detail-type "${detailType}" for source "${source}"`);
const notAnEvent = rejected("source: expected string, received undefined");

// Per family: an expectation for every file, or one for the whole folder.
const FAMILIES: Record<string, Record<string, Expectation> | Expectation> = {
  // Not forwarded to Vigil.
  autoscaling: unknownSource("aws.autoscaling"),
  "aws-health": {
    "health-ebs-volume-lost-putevents-mock-aws-health-tools.json": { form: "putevents", schema: HealthEventDetailSchema },
    "health-ec2-instance-store-drive-degraded-aws-health-tools.json": { form: "event", kind: "health.event" },
    "health-ec2-odcr-underutilization-awsdocs.json": { form: "event", kind: "health.event" },
    "health-ec2-odcr-underutilization-summary-awsdocs.json": { form: "event", kind: "health.event" },
    "health-ec2-retirement-scheduled-custodian.json": { form: "event", kind: "health.event" },
    "health-ec2-test-event-aws-health-tools.json": { form: "event", kind: "health.event" },
    "health-risk-credentials-exposed-aws-health-tools.json": { form: "event", kind: "health.event" },
  },
  "cloudtrail-api-call": {
    "cloudtrail-eb-ec2-DeleteTransitGatewayVpcAttachment-custodian.json": { form: "event", kind: "cloudtrail.api-call" },
    "cloudtrail-eb-glue-PutResourcePolicy-custodian.json": { form: "event", kind: "cloudtrail.api-call" },
    // Hand-written test event without the envelope's `version`; its detail is a real record.
    "cloudtrail-eb-s3-CreateBucket-2-custodian.json": rejected("version: expected string, received undefined", {
      schema: CloudTrailRecordSchema,
    }),
    "cloudtrail-eb-s3-CreateBucket-custodian.json": { form: "event", kind: "cloudtrail.api-call" },
  },
  // Alarm configuration changes are not alerts.
  "cloudwatch-alarm-config-change": unknownDetailType("CloudWatch Alarm Configuration Change", "aws.cloudwatch"),
  // Lambda alarm actions and SNS notifications bypass EventBridge; Vigil reads alarms from the bus.
  "cloudwatch-alarm-lambda-action": rejected("detail-type: expected string, received undefined"),
  "cloudwatch-alarm-sns": notAnEvent,
  "cloudwatch-alarm-state-change": { form: "event", kind: "cloudwatch.alarm-state-change" },
  "config-configuration-item-change": {
    "config-ci-change-sqs-create-custodian.json": { form: "event", kind: "config.configuration-item-change" },
    // The 2014 notification format: `configurationItem` was an array.
    "sns-ci-change-ec2-instance-updated-awsdocs.json": {
      form: "sns",
      schema: ConfigConfigurationItemChangeDetailSchema,
      error: "configurationItem: expected object, received array",
    },
    "sns-ci-change-security-group-created-2-awsdocs.json": { form: "sns", schema: ConfigConfigurationItemChangeDetailSchema },
    "sns-ci-change-security-group-created-awsdocs.json": { form: "sns", schema: ConfigConfigurationItemChangeDetailSchema },
  },
  // Custom-rule Lambda invocations: Vigil reads rule results, it does not evaluate rules.
  "config-rule-invocation": notAnEvent,
  "config-rules-compliance-change": { form: "sns", schema: ConfigRulesComplianceChangeDetailSchema },
  "cost-anomaly-detection": { form: "detail", schema: CostAnomalyDetailSchema },
  "devops-guru": unknownSource("aws.devops-guru"),
  "ec2-instance-state-change": {
    "ec2-state-change-content-filtering-awsdocs.json": { form: "event", kind: "ec2.instance-state-change" },
    "ec2-state-change-eb-event-patterns-awsdocs.json": { form: "event", kind: "ec2.instance-state-change" },
    "ec2-state-change-eb-events-awsdocs.json": { form: "event", kind: "ec2.instance-state-change" },
    "ec2-state-change-pending-custodian.json": rejected("version: expected string, received undefined", {
      schema: Ec2InstanceStateChangeDetailSchema,
    }),
    "ec2-state-change-pending-ec2-guide-awsdocs.json": rejected("version: expected string, received undefined", {
      schema: Ec2InstanceStateChangeDetailSchema,
    }),
    // Powertools' test event spells the field `instance_id`; EC2 sends `instance-id`.
    "ec2-state-change-terminated-powertools-python.json": rejected("detail.instance-id: expected string, received undefined"),
  },
  "ec2-other": {
    "ec2-rebalance-recommendation-awsdocs.json": unknownDetailType("EC2 Instance Rebalance Recommendation", "aws.ec2"),
    "ec2-spot-interruption-warning-awsdocs.json": unknownDetailType("EC2 Spot Instance Interruption Warning", "aws.ec2"),
  },
  ecs: unknownSource("aws.ecs"),
  "guardduty-finding": {
    "guardduty-bare-finding-ec2-automated-response-sample.json": { form: "detail", schema: GuardDutyFindingDetailSchema },
    "guardduty-bare-finding-iam-automated-response-sample.json": { form: "detail", schema: GuardDutyFindingDetailSchema },
    "guardduty-bare-finding-s3-automated-response-sample.json": { form: "detail", schema: GuardDutyFindingDetailSchema },
    "guardduty-ec2-dns-cc-custodian.json": { form: "event", kind: "guardduty.finding" },
    "guardduty-iam-custodian.json": { form: "event", kind: "guardduty.finding" },
    // `{ region, detail }` only, with a trimmed finding that lost `accountId`, `region`, `arn`…
    "guardduty-ssh-bruteforce-partial-envelope-waf-acl.json": rejected("source: expected string, received undefined", {
      schema: GuardDutyFindingDetailSchema,
      error: "schemaVersion: expected string, received undefined",
    }),
  },
  // Kinesis batches are read by the metrics stream's schema (see metric-stream.test.ts), never as bus events.
  "kinesis-lambda": notAnEvent,
  "rds-events": {
    "rds-db-instance-event-2-awsdocs.json": { form: "event", kind: "rds.resource-event" },
    "rds-db-instance-event-awsdocs.json": { form: "event", kind: "rds.resource-event" },
    "rds-db-parameter-group-event-awsdocs.json": { form: "event", kind: "rds.resource-event" },
    "rds-db-proxy-event-awsdocs.json": { form: "event", kind: "rds.resource-event" },
    "rds-db-snapshot-event-awsdocs.json": { form: "event", kind: "rds.snapshot-event" },
  },
  "s3-eventbridge": {
    "object-created-awsdocs.json": { form: "event", kind: "s3.object-created" },
    "object-created-powertools-python.json": { form: "event", kind: "s3.object-created" },
    "object-deleted-awsdocs.json": unknownDetailType("Object Deleted", "aws.s3"),
    "object-deleted-powertools-python.json": unknownDetailType("Object Deleted", "aws.s3"),
  },
  "s3-replication": { form: "notification", schema: S3ReplicationNotificationSchema },
  "securityhub-asff-finding": { form: "detail", schema: AsffFindingSchema },
  "securityhub-findings": {
    "securityhub-custom-action-cloudtrail-custodian.json": unknownDetailType("Security Hub Findings - Custom Action", "aws.securityhub"),
    "securityhub-custom-action-guardduty-consolelogin-custodian.json": unknownDetailType(
      "Security Hub Findings - Custom Action",
      "aws.securityhub",
    ),
    "securityhub-custom-action-lambda-custodian.json": unknownDetailType("Security Hub Findings - Custom Action", "aws.securityhub"),
    "securityhub-imported-afsbp-ec2.7-asr.json": { form: "event", kind: "securityhub.findings-imported" },
    "securityhub-imported-cis-1.3-asr.json": { form: "event", kind: "securityhub.findings-imported" },
    "securityhub-imported-cis-1.4-asr.json": { form: "event", kind: "securityhub.findings-imported" },
    "securityhub-insight-results-awsdocs.json": unknownDetailType("Security Hub Insight Results", "aws.securityhub"),
    "securityhub-insight-results-custodian.json": unknownDetailType("Security Hub Insight Results", "aws.securityhub"),
  },
};

// EBS samples in the EC2 guide carry `yyyy-mm-ddThh:mm:ssZ` placeholders as envelope time; their details are real.
const EBS_DETAIL: Record<string, z.ZodType> = {
  "ebs-multivolume": EbsMultiVolumeSnapshotsDetailSchema,
  "ebs-snapshot": EbsSnapshotNotificationDetailSchema,
  "ebs-volume": EbsVolumeNotificationDetailSchema,
};
FAMILIES["ebs-events"] = Object.fromEntries(
  fixtureFiles("ebs-events").map((file) => {
    const schema = Object.entries(EBS_DETAIL).find(([prefix]) => file.startsWith(prefix))?.[1];
    return [file, schema ? rejected("time: Invalid ISO datetime", { schema }) : notAnEvent];
  }),
);

// Bare CloudTrail records are EventBridge details; log files hold the same records under `Records`.
// The 2014 log-file examples in the CloudTrail guide predate `eventID`, which Vigil deduplicates on.
const PRE_EVENT_ID_LOG_FILES = new Set(["cloudtrail-log-file-CreateKeyPair-awsdocs.json", "cloudtrail-log-file-CreateUser-awsdocs.json"]);
FAMILIES["cloudtrail-record"] = Object.fromEntries(
  fixtureFiles("cloudtrail-record").map((file): [string, Expectation] => [
    file,
    {
      form: file.startsWith("cloudtrail-log-file-") ? "records" : "detail",
      schema: CloudTrailRecordSchema,
      ...(PRE_EVENT_ID_LOG_FILES.has(file) ? { error: "eventID: expected string, received undefined" } : {}),
    },
  ]),
);

function expectationFor(family: string, file: string): Expectation | undefined {
  const spec = FAMILIES[family];
  if (spec === undefined) return undefined;
  return "form" in spec ? (spec as Expectation) : (spec as Record<string, Expectation>)[file];
}

function parseWith(schema: z.ZodType, value: unknown): string | "ok" {
  const result = schema.safeParse(value);
  return result.success ? "ok" : describeFirstIssue(result.error);
}

function check(expectation: Expectation, value: unknown): void {
  const wanted = "error" in expectation && expectation.error !== undefined ? expectation.error : "ok";
  switch (expectation.form) {
    case "event": {
      const result = parseInboundEvent(value);
      if ("kind" in expectation) {
        expect(result).toMatchObject({ ok: true, kind: expectation.kind });
        return;
      }
      expect(result).toEqual({ ok: false, error: expectation.error });
      if (expectation.detail) {
        const detail = (value as { detail?: unknown }).detail;
        expect(parseWith(expectation.detail.schema, detail)).toBe(expectation.detail.error ?? "ok");
      }
      return;
    }
    case "detail":
    case "notification":
      expect(parseWith(expectation.schema, value)).toBe(wanted);
      return;
    case "sns": {
      const message = (value as { Message: unknown }).Message;
      expect(parseWith(expectation.schema, typeof message === "string" ? JSON.parse(message) : message)).toBe(wanted);
      return;
    }
    case "records": {
      const records = (value as { Records: unknown[] }).Records;
      expect(records.length).toBeGreaterThan(0);
      for (const record of records) expect(parseWith(expectation.schema, record)).toBe(wanted);
      return;
    }
    case "putevents": {
      const entries = value as { Detail: string }[];
      expect(entries.length).toBeGreaterThan(0);
      for (const entry of entries) expect(parseWith(expectation.schema, JSON.parse(entry.Detail))).toBe(wanted);
      return;
    }
  }
}

// Families with no inbound meaning at all: pattern cases, Slack payloads, and metric streams (own test).
const NOT_EVENTS = new Set(["event-patterns", "slack-webhook", "metric-streams-json"]);

describe.skipIf(!fixturesPresent)("inbound contracts against ../shared/fixtures", () => {
  for (const family of Object.keys(FAMILIES).sort()) {
    describe(family, () => {
      for (const file of fixtureFiles(family)) {
        it(file, () => {
          const expectation = expectationFor(family, file);
          expect(expectation, `no expectation written for ${family}/${file}`).toBeDefined();
          if (expectation) check(expectation, fixtureJson(`${family}/${file}`));
        });
      }
    });
  }

  it("covers every fixture family folder", () => {
    const families = fixtureFiles(".").filter((name) => !name.includes("."));
    const uncovered = families.filter((f) => !(f in FAMILIES) && !NOT_EVENTS.has(f));
    expect(uncovered).toEqual([]);
  });
});
describe.skipIf(fixturesPresent)("inbound contracts", () => {
  it.skip(MISSING_FIXTURES, () => {});
});

describe("parseInboundEvent errors", () => {
  it("names the field path of a wrong type", () => {
    const event = {
      version: "0",
      id: "1",
      source: "aws.guardduty",
      "detail-type": "GuardDuty Finding",
      account: "123456789012",
      time: "2024-01-01T00:00:00Z",
      region: "us-east-1",
      resources: [],
      detail: { severity: "high" },
    };
    const result = parseInboundEvent(event);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(/^detail\.schemaVersion: expected string, received undefined$/);
    const withFields = parseInboundEvent({
      ...event,
      detail: { ...(fixtureLikeFinding()), severity: "high" },
    });
    expect(withFields).toEqual({ ok: false, error: "detail.severity: expected number, received string" });
  });

  it("rejects a non-object", () => {
    expect(parseInboundEvent("nope")).toEqual({ ok: false, error: "(root): expected object, received string" });
  });
});

describe("isKnownEventType", () => {
  it("knows consumed types, CloudTrail calls from any AWS source, and Vigil's own events", () => {
    expect(isKnownEventType("aws.guardduty", "GuardDuty Finding")).toBe(true);
    expect(isKnownEventType("aws.kms", "AWS API Call via CloudTrail")).toBe(true);
    expect(isKnownEventType("vigil", "Incident Opened")).toBe(true);
    expect(isKnownEventType("aws.ce", "Anomaly Detected")).toBe(true);
  });
  it("rejects unknown pairs, even a known detail-type from the wrong source", () => {
    expect(isKnownEventType("aws.s3", "Object Deleted")).toBe(false);
    expect(isKnownEventType("custom.app", "AWS API Call via CloudTrail")).toBe(false);
    expect(isKnownEventType("aws.ec2", "GuardDuty Finding")).toBe(false);
  });
});

describe.skipIf(!fixturesPresent)("helpers on parsed fixtures", () => {
  it("classifies every alarm kind from its configuration", () => {
    const kinds = fixtureFiles("cloudwatch-alarm-state-change").map((file) => {
      const event = fixtureJson(`cloudwatch-alarm-state-change/${file}`) as { detail: unknown };
      return [file, alarmKind(CloudWatchAlarmStateChangeDetailSchema.parse(event.detail))];
    });
    expect(Object.fromEntries(kinds)).toEqual({
      "anomaly-detection-alarm-OK-to-ALARM-awsdocs.json": "anomaly-detection",
      "composite-alarm-with-suppressor-ALARM-awsdocs.json": "composite",
      "metric-math-alarm-INSUFFICIENT-to-ALARM-awsdocs.json": "metric-math",
      "metrics-insights-alarm-partial-data-awsdocs.json": "metrics-insights",
      "single-metric-alarm-OK-to-ALARM-awsdocs.json": "metric",
    });
  });

  it("reads the replication operation with or without the s3: prefix", () => {
    const notification = S3ReplicationNotificationSchema.parse(
      fixtureJson("s3-replication/s3-notification-OperationFailedReplication-aws-lambda-go.json"),
    );
    const record = notification.Records[0];
    expect(record && replicationOperation(record)).toBe("OperationFailedReplication");
    expect(record && replicationOperation({ ...record, eventName: "Replication:OperationMissedThreshold" })).toBe(
      "OperationMissedThreshold",
    );
    expect(record?.replicationEventData.failureReason).toBe("AssumeRoleNotPermitted");
  });

  it("rejects a replication record with another event name, naming the field", () => {
    const notification = fixtureJson("s3-replication/s3-notification-OperationFailedReplication-aws-lambda-go.json") as {
      Records: Record<string, unknown>[];
    };
    const put = { Records: notification.Records.map((r) => ({ ...r, eventName: "ObjectCreated:Put" })) };
    expect(parseWith(S3ReplicationNotificationSchema, put)).toBe("Records[0].eventName: expected a Replication:Operation… event name");
  });
});

function fixtureLikeFinding() {
  return {
    schemaVersion: "2.0",
    accountId: "123456789012",
    region: "us-east-1",
    partition: "aws",
    id: "f1",
    arn: "arn:aws:guardduty:us-east-1:123456789012:detector/d/finding/f1",
    type: "Recon:EC2/PortProbeUnprotectedPort",
    resource: { resourceType: "Instance" },
    createdAt: "2024-01-01T00:00:00Z",
    updatedAt: "2024-01-01T00:00:00Z",
    title: "t",
    description: "d",
  };
}
