/**
 * Writes the demo storm `npm start` replays: two hours of a production account on a bad
 * afternoon. An AZ impairment (announced by AWS Health) fails over the orders database; alarms
 * cascade through the services that depend on it, some are delivered twice, one alarm flaps
 * all afternoon, and the usual background goes on (instances scaling, API calls, a security
 * finding, a public-bucket change). CloudWatch Metric Streams points for four series carry the
 * same story, and the disaster-recovery watch sees the assets bucket's replication fall behind its RPO
 * and recover. Deterministic: same bytes on every run (`npx tsx demo/make-demo.ts`).
 */
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ACCOUNT = "111122223333";
const REGION = "us-east-1";
const START = Date.parse("2025-11-03T14:00:00Z");
const MINUTE = 60_000;

/** mulberry32: a small seeded PRNG so the storm is the same on every run. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = prng(20251103);
const uuid = () => {
  const h = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
const cwTime = (ms: number) => new Date(ms).toISOString().replace("Z", "+0000");

type Event = Record<string, unknown> & { time: string };
const events: Event[] = [];

function emit(at: number, source: string, detailType: string, resources: string[], detail: Record<string, unknown>, region = REGION): Event {
  const event = { version: "0", id: uuid(), "detail-type": detailType, source, account: ACCOUNT, time: iso(at), region, resources, detail };
  events.push(event);
  return event;
}

interface Alarm {
  name: string;
  namespace: string;
  metric: string;
  dimensions: Record<string, string>;
  threshold: number;
  stat: string;
  state: "OK" | "ALARM";
}

const alarms = {
  dbCpu: { name: "orders-db-CPUUtilization-High", namespace: "AWS/RDS", metric: "CPUUtilization", dimensions: { DBInstanceIdentifier: "orders-db" }, threshold: 80, stat: "Average", state: "OK" },
  dbConnections: { name: "orders-db-DatabaseConnections-High", namespace: "AWS/RDS", metric: "DatabaseConnections", dimensions: { DBInstanceIdentifier: "orders-db" }, threshold: 400, stat: "Maximum", state: "OK" },
  api5xx: { name: "orders-api-5XX-High", namespace: "AWS/ApplicationELB", metric: "HTTPCode_Target_5XX_Count", dimensions: { LoadBalancer: "app/orders-api/50dc6c495c0c9188" }, threshold: 25, stat: "Sum", state: "OK" },
  apiLatency: { name: "storefront-TargetResponseTime-p99-High", namespace: "AWS/ApplicationELB", metric: "TargetResponseTime", dimensions: { LoadBalancer: "app/storefront/8d2f7c1a2b3e4f50" }, threshold: 1.5, stat: "p99", state: "OK" },
  payThrottles: { name: "payments-Throttles-High", namespace: "AWS/Lambda", metric: "Throttles", dimensions: { FunctionName: "payments-authorize" }, threshold: 5, stat: "Sum", state: "OK" },
} satisfies Record<string, Alarm>;

function alarm(at: number, a: Alarm, to: "OK" | "ALARM", value: number): void {
  const from = a.state;
  a.state = to;
  const crossed = to === "ALARM";
  const reason = `Threshold Crossed: 1 out of the last 1 datapoints [${value.toFixed(1)} (${new Date(at - MINUTE).toISOString().slice(8, 10)}/11/25 ${new Date(at - MINUTE).toISOString().slice(11, 16)}:00)] was ${crossed ? "" : "not "}greater than the threshold (${a.threshold}) (minimum 1 datapoint for ${from} -> ${to} transition).`;
  const state = (value_: string, r: string, t: number) => ({
    value: value_,
    reason: r,
    reasonData: JSON.stringify({ version: "1.0", queryDate: cwTime(t), startDate: cwTime(t - MINUTE), statistic: a.stat, period: 60, recentDatapoints: [value], threshold: a.threshold, evaluatedDatapoints: [{ timestamp: cwTime(t - MINUTE), sampleCount: 1, value }] }),
    timestamp: cwTime(t),
  });
  emit(at, "aws.cloudwatch", "CloudWatch Alarm State Change", [`arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:${a.name}`], {
    alarmName: a.name,
    state: state(to, reason, at),
    previousState: state(from, `Previous state ${from}`, at - 10 * MINUTE),
    configuration: {
      description: `${a.metric} ${a.stat} above ${a.threshold}`,
      metrics: [{ id: "m1", metricStat: { metric: { namespace: a.namespace, name: a.metric, dimensions: a.dimensions }, period: 60, stat: a.stat }, returnData: true }],
    },
  });
}

function compositeAlarm(at: number, to: "OK" | "ALARM", from: "OK" | "ALARM", triggering: Alarm[]): void {
  const name = "orders-ServiceHealth-Composite";
  emit(at, "aws.cloudwatch", "CloudWatch Alarm State Change", [`arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:${name}`], {
    alarmName: name,
    state: {
      value: to,
      reason: `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:${triggering[0]!.name} transitioned to ${to} at ${new Date(at).toUTCString()}`,
      reasonData: JSON.stringify({ triggeringAlarms: triggering.map((t) => ({ arn: `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:${t.name}`, state: { value: t.state, timestamp: cwTime(at) } })) }),
      timestamp: cwTime(at),
    },
    previousState: { value: from, reason: "Previous state", timestamp: cwTime(at - 30 * MINUTE) },
    configuration: { alarmRule: `ALARM("${alarms.dbCpu.name}") OR ALARM("${alarms.api5xx.name}") OR ALARM("${alarms.apiLatency.name}")`, actionsSuppressor: "", actionsSuppressorWaitPeriod: 0, actionsSuppressorExtensionPeriod: 0 },
  });
}

function rdsEvent(at: number, eventId: string, categories: string[], message: string): void {
  const arn = `arn:aws:rds:${REGION}:${ACCOUNT}:db:orders-db`;
  emit(at, "aws.rds", "RDS DB Instance Event", [arn], {
    EventCategories: categories,
    SourceType: "DB_INSTANCE",
    SourceArn: arn,
    Date: new Date(at - 800).toISOString(),
    Message: message,
    SourceIdentifier: "orders-db",
    EventID: eventId,
  });
}

function instanceState(at: number, instance: string, state: string): void {
  emit(at, "aws.ec2", "EC2 Instance State-change Notification", [`arn:aws:ec2:${REGION}:${ACCOUNT}:instance/${instance}`], { "instance-id": instance, state });
}

function cloudTrail(at: number, source: string, eventSource: string, eventName: string, requestParameters: Record<string, unknown>, user = "deploy-bot"): void {
  emit(at, source, "AWS API Call via CloudTrail", [], {
    eventVersion: "1.08",
    userIdentity: { type: "AssumedRole", principalId: `AROAEXAMPLE:${user}`, arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${user}/${user}`, accountId: ACCOUNT },
    eventTime: iso(at),
    eventSource,
    eventName,
    awsRegion: REGION,
    sourceIPAddress: "203.0.113.24",
    userAgent: "aws-cli/2.15.0",
    requestParameters,
    responseElements: null,
    requestID: uuid(),
    eventID: uuid(),
    readOnly: false,
    eventType: "AwsApiCall",
    managementEvent: true,
    recipientAccountId: ACCOUNT,
  });
}

// Background, all afternoon: autoscaling churn, deploys' API calls, the flapping throttles alarm.
let instanceCounter = 0x0a1b2c3d;
for (let t = START + 3 * MINUTE; t < START + 120 * MINUTE; t += 4 * MINUTE + Math.floor(random() * 4) * MINUTE) {
  const id = `i-0${(instanceCounter++).toString(16)}e5f6a7b8`;
  instanceState(t, id, "pending");
  instanceState(t + 40_000, id, "running");
  cloudTrail(t - 5_000, "aws.ec2", "ec2.amazonaws.com", "RunInstances", { instancesSet: { items: [{ imageId: "ami-0abcdef1234567890", minCount: 1, maxCount: 1 }] }, instanceType: "m6i.large" }, "autoscaling");
  if (random() < 0.5) {
    const old = `i-0${(instanceCounter - 7).toString(16)}e5f6a7b8`;
    instanceState(t + 90_000, old, "shutting-down");
    instanceState(t + 150_000, old, "terminated");
  }
}
for (let t = START + 7 * MINUTE; t < START + 118 * MINUTE; t += 6 * MINUTE + Math.floor(random() * 4) * MINUTE) {
  alarm(t, alarms.payThrottles, "ALARM", 6 + random() * 4);
  alarm(t + 2 * MINUTE, alarms.payThrottles, "OK", random() * 3);
}

// 14:20 someone opens a bucket to the world; Config and Security Hub notice.
cloudTrail(START + 20 * MINUTE, "aws.s3", "s3.amazonaws.com", "PutBucketAcl", { bucketName: "orders-exports", AccessControlPolicy: { AccessControlList: { Grant: [{ Grantee: { URI: "http://acs.amazonaws.com/groups/global/AllUsers", xsi_type: "Group" }, Permission: "READ" }] } } }, "jdoe");
emit(START + 24 * MINUTE, "aws.config", "Config Rules Compliance Change", [], {
  resourceId: "orders-exports",
  awsRegion: REGION,
  awsAccountId: ACCOUNT,
  configRuleName: "s3-bucket-public-read-prohibited",
  recordVersion: "1.0",
  configRuleARN: `arn:aws:config:${REGION}:${ACCOUNT}:config-rule/config-rule-0a1b2c`,
  messageType: "ComplianceChangeNotification",
  newEvaluationResult: {
    evaluationResultIdentifier: { evaluationResultQualifier: { configRuleName: "s3-bucket-public-read-prohibited", resourceType: "AWS::S3::Bucket", resourceId: "orders-exports" }, orderingTimestamp: iso(START + 23 * MINUTE) },
    complianceType: "NON_COMPLIANT",
    resultRecordedTime: iso(START + 24 * MINUTE),
    configRuleInvokedTime: iso(START + 23 * MINUTE),
  },
  oldEvaluationResult: {
    evaluationResultIdentifier: { evaluationResultQualifier: { configRuleName: "s3-bucket-public-read-prohibited", resourceType: "AWS::S3::Bucket", resourceId: "orders-exports" }, orderingTimestamp: iso(START - 600 * MINUTE) },
    complianceType: "COMPLIANT",
    resultRecordedTime: iso(START - 600 * MINUTE),
    configRuleInvokedTime: iso(START - 600 * MINUTE),
  },
  notificationCreationTime: iso(START + 24 * MINUTE),
  resourceType: "AWS::S3::Bucket",
});

// 14:31 SSH brute force against a bastion.
emit(START + 31 * MINUTE, "aws.guardduty", "GuardDuty Finding", [], {
  schemaVersion: "2.0",
  accountId: ACCOUNT,
  region: REGION,
  partition: "aws",
  id: "96c5b4a1f0e2d3c4b5a6978812345678",
  arn: `arn:aws:guardduty:${REGION}:${ACCOUNT}:detector/12abc34d567e8fa901bc2d34e56789f0/finding/96c5b4a1f0e2d3c4b5a6978812345678`,
  type: "UnauthorizedAccess:EC2/SSHBruteForce",
  resource: { resourceType: "Instance", instanceDetails: { instanceId: "i-0bastion1234567890", instanceType: "t3.micro", availabilityZone: "us-east-1a", tags: [{ key: "service", value: "bastion" }] } },
  service: { serviceName: "guardduty", detectorId: "12abc34d567e8fa901bc2d34e56789f0", action: { actionType: "NETWORK_CONNECTION", networkConnectionAction: { connectionDirection: "INBOUND", remoteIpDetails: { ipAddressV4: "198.51.100.7" }, localPortDetails: { port: 22, portName: "SSH" }, protocol: "TCP", blocked: false } }, eventFirstSeen: iso(START + 25 * MINUTE), eventLastSeen: iso(START + 31 * MINUTE), archived: false, count: 42 },
  severity: 2,
  createdAt: iso(START + 31 * MINUTE),
  updatedAt: iso(START + 31 * MINUTE),
  title: "198.51.100.7 is performing SSH brute force attacks against i-0bastion1234567890.",
  description: "198.51.100.7 is performing SSH brute force attacks against i-0bastion1234567890. Brute force attacks are used to gain unauthorized access to your instance by guessing the SSH password.",
});

// 14:40 the incident: AZ impairment, database failover, the cascade, and recovery.
const incident = START + 40 * MINUTE;
emit(incident + MINUTE, "aws.health", "AWS Health Event", [], {
  eventArn: `arn:aws:health:${REGION}::event/EC2/AWS_EC2_OPERATIONAL_ISSUE/AWS_EC2_OPERATIONAL_ISSUE_7f3e2a`,
  service: "EC2",
  eventTypeCode: "AWS_EC2_OPERATIONAL_ISSUE",
  eventTypeCategory: "issue",
  eventScopeCode: "PUBLIC",
  communicationId: "1a2b3c4d5e6f",
  startTime: new Date(incident - 2 * MINUTE).toUTCString(),
  lastUpdatedTime: new Date(incident + MINUTE).toUTCString(),
  statusCode: "open",
  eventRegion: REGION,
  eventDescription: [{ language: "en_US", latestDescription: "We are investigating increased network connectivity errors for instances in a single Availability Zone (use1-az4) in the US-EAST-1 Region." }],
  affectedEntities: [],
});
rdsEvent(incident + 2 * MINUTE, "RDS-EVENT-0013", ["failover"], "A Multi-AZ failover has started.");
alarm(incident + 2 * MINUTE + 20_000, alarms.dbConnections, "ALARM", 612);
alarm(incident + 3 * MINUTE, alarms.api5xx, "ALARM", 240);
alarm(incident + 3 * MINUTE + 5_000, alarms.dbCpu, "ALARM", 97.2);
const delivered = events.length;
compositeAlarm(incident + 3 * MINUTE + 9_000, "ALARM", "OK", [alarms.api5xx, alarms.dbCpu]);
alarm(incident + 4 * MINUTE, alarms.apiLatency, "ALARM", 4.8);
// EventBridge delivers at least once: these two arrive again, same id, a few seconds late.
events.push({ ...events[delivered - 1]! }, { ...events[delivered]! });
rdsEvent(incident + 9 * MINUTE, "RDS-EVENT-0049", ["failover"], "A Multi-AZ failover has completed.");
rdsEvent(incident + 9 * MINUTE + 30_000, "RDS-EVENT-0006", ["availability"], "DB instance restarted");
alarm(incident + 12 * MINUTE, alarms.dbConnections, "OK", 180);
alarm(incident + 14 * MINUTE, alarms.dbCpu, "OK", 41.5);
alarm(incident + 16 * MINUTE, alarms.api5xx, "OK", 3);
alarm(incident + 19 * MINUTE, alarms.apiLatency, "OK", 0.62);
compositeAlarm(incident + 19 * MINUTE + 9_000, "OK", "ALARM", [alarms.apiLatency]);
emit(incident + 45 * MINUTE, "aws.ec2", "EBS Snapshot Notification", [`arn:aws:ec2::${REGION}:snapshot/snap-0f1e2d3c4b5a69788`], {
  event: "createSnapshot",
  result: "succeeded",
  cause: "",
  "request-id": "",
  snapshot_id: `arn:aws:ec2::${REGION}:snapshot/snap-0f1e2d3c4b5a69788`,
  source: `arn:aws:ec2::${REGION}:volume/vol-0a9b8c7d6e5f40312`,
  startTime: iso(incident + 40 * MINUTE),
  endTime: iso(incident + 45 * MINUTE),
});
rdsEvent(incident + 50 * MINUTE, "RDS-EVENT-0091", ["creation"], "Automated snapshot created");

// Metric Streams JSON: one point per minute per series from 08:00, so the detectors have six
// hours of normal behaviour to learn before the afternoon; the database story shows in them too.
const METRICS_FROM = START - 6 * 60 * MINUTE;
const metricLines: string[] = [];
const series = [
  { namespace: "AWS/RDS", metric: "CPUUtilization", dimensions: { DBInstanceIdentifier: "orders-db" }, unit: "Percent", base: (m: number) => 38 + 6 * Math.sin(m / 9), incident: 55 },
  { namespace: "AWS/ApplicationELB", metric: "TargetResponseTime", dimensions: { LoadBalancer: "app/storefront/8d2f7c1a2b3e4f50" }, unit: "Seconds", base: (m: number) => 0.21 + 0.03 * Math.sin(m / 13), incident: 3.9 },
  { namespace: "AWS/ApplicationELB", metric: "HTTPCode_Target_5XX_Count", dimensions: { LoadBalancer: "app/orders-api/50dc6c495c0c9188" }, unit: "Count", base: () => 2, incident: 230 },
  { namespace: "AWS/Lambda", metric: "Duration", dimensions: { FunctionName: "payments-authorize" }, unit: "Milliseconds", base: (m: number) => 120 + 15 * Math.sin(m / 7), incident: 0 },
];
for (let m = 0; (METRICS_FROM + m * MINUTE) < START + 120 * MINUTE; m++) {
  const at = METRICS_FROM + m * MINUTE;
  const inIncident = at >= incident + 2 * MINUTE && at < incident + 12 * MINUTE;
  for (const s of series) {
    const v = Math.max(0, s.base(m) * (1 + (random() - 0.5) * 0.1) + (inIncident ? s.incident * (0.8 + random() * 0.4) : 0));
    const n = 60;
    metricLines.push(
      JSON.stringify({
        metric_stream_name: "vigil-metrics",
        account_id: ACCOUNT,
        region: REGION,
        namespace: s.namespace,
        metric_name: s.metric,
        dimensions: s.dimensions,
        timestamp: at,
        value: { max: +(v * 1.3).toFixed(4), min: +(v * 0.7).toFixed(4), sum: +(v * n).toFixed(4), count: n },
        unit: s.unit,
      }),
    );
  }
}

// The disaster-recovery watch (generated last, so the lines above keep their bytes). The assets
// bucket's replication to its DR replica falls behind during the incident: ReplicationLatency climbs
// past the 15-minute RPO, S3 reports an object that missed its threshold, then the backlog drains.
// The sessions global table keeps up all afternoon; the orders database's snapshot is copied to us-west-2.
const DR_REGION = "us-west-2";
const ASSETS = { source: "storefront-assets", replica: "storefront-assets-dr", rule: "assets-to-dr" };
/** S3 ReplicationLatency, seconds, at a minute of the incident: fine, climbing past 900 s, draining. */
function assetsLatency(at: number): number {
  const m = (at - incident) / MINUTE;
  if (m < 5 || m >= 50) return 30 + random() * 60;
  if (m < 30) return 60 + (m - 5) * 64 + random() * 30;
  return Math.max(45, 1660 - (m - 30) * 110 + random() * 30);
}
for (let at = START; at < START + 120 * MINUTE; at += MINUTE) {
  const s3 = assetsLatency(at);
  const dynamo = 600 + random() * 800;
  metricLines.push(
    JSON.stringify({
      metric_stream_name: "vigil-metrics",
      account_id: ACCOUNT,
      region: REGION,
      namespace: "AWS/S3",
      metric_name: "ReplicationLatency",
      dimensions: { SourceBucket: ASSETS.source, DestinationBucket: ASSETS.replica, RuleId: ASSETS.rule },
      timestamp: at,
      value: { max: +s3.toFixed(1), min: +(s3 * 0.4).toFixed(1), sum: +(s3 * 20).toFixed(1), count: 30 },
      unit: "Seconds",
    }),
    JSON.stringify({
      metric_stream_name: "vigil-metrics",
      account_id: ACCOUNT,
      region: REGION,
      namespace: "AWS/DynamoDB",
      metric_name: "ReplicationLatency",
      dimensions: { TableName: "orders-sessions", ReceivingRegion: DR_REGION },
      timestamp: at,
      value: { max: +dynamo.toFixed(1), min: +(dynamo * 0.5).toFixed(1), sum: +(dynamo * 40).toFixed(1), count: 60 },
      unit: "Milliseconds",
    }),
  );
}

function snapshotEvent(at: number, eventId: string, region: string, snapshot: string, message: string): void {
  const arn = `arn:aws:rds:${region}:${ACCOUNT}:snapshot:${snapshot}`;
  emit(at, "aws.rds", "RDS DB Snapshot Event", [arn], {
    EventCategories: [eventId === "RDS-EVENT-0060" ? "notification" : "creation"],
    SourceType: "SNAPSHOT",
    SourceArn: arn,
    Date: new Date(at - 500).toISOString(),
    Message: message,
    SourceIdentifier: snapshot,
    EventID: eventId,
  }, region);
}
snapshotEvent(START + 5 * MINUTE, "RDS-EVENT-0090", REGION, "rds:orders-db-2025-11-03-14-05", "Automated snapshot is being created");
snapshotEvent(START + 14 * MINUTE, "RDS-EVENT-0091", REGION, "rds:orders-db-2025-11-03-14-05", "Automated snapshot created");
snapshotEvent(START + 33 * MINUTE, "RDS-EVENT-0060", DR_REGION, "orders-db-2025-11-03-14-05-dr", `Finished copy of snapshot rds:orders-db-2025-11-03-14-05 from region ${REGION} in 18 minutes.`);

/** An S3 replication event notification, as S3 invokes Lambda with it. */
function replicationNotification(at: number, operation: string, key: string, requestTime: number): string {
  return JSON.stringify({
    Records: [
      {
        eventVersion: "2.2",
        eventSource: "aws:s3",
        awsRegion: REGION,
        eventTime: new Date(at).toISOString(),
        eventName: `Replication:${operation}`,
        userIdentity: { principalId: "s3.amazonaws.com" },
        requestParameters: { sourceIPAddress: "s3.amazonaws.com" },
        responseElements: { "x-amz-request-id": uuid().slice(0, 16).toUpperCase(), "x-amz-id-2": uuid() },
        s3: {
          s3SchemaVersion: "1.0",
          configurationId: "vigil-replication-events",
          bucket: { name: ASSETS.source, ownerIdentity: { principalId: ACCOUNT }, arn: `arn:aws:s3:::${ASSETS.source}` },
          object: { key, size: 1_482_113, versionId: "3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY", eTag: "d41d8cd98f00b204e9800998ecf8427e", sequencer: "0066D2B7E1F0C0A1B2" },
        },
        replicationEventData: {
          replicationRuleId: ASSETS.rule,
          destinationBucket: `arn:aws:s3:::${ASSETS.replica}`,
          s3Operation: "OBJECT_PUT",
          requestTime: new Date(requestTime).toISOString(),
          threshold: "15",
          ...(operation === "OperationReplicatedAfterThreshold" ? { replicationTime: String(Math.round((at - requestTime) / 1000)) } : {}),
        },
      },
    ],
  });
}
const notifications = [
  replicationNotification(incident + 21 * MINUTE, "OperationMissedThreshold", "img/hero-2025-11.webp", incident + 6 * MINUTE),
  replicationNotification(incident + 40 * MINUTE + 30_000, "OperationReplicatedAfterThreshold", "img/hero-2025-11.webp", incident + 6 * MINUTE),
];

const dir = dirname(fileURLToPath(import.meta.url));
writeFileSync(join(dir, "storm.jsonl"), [...events.map((e) => JSON.stringify(e)), ...notifications].map((l) => l + "\n").join(""));
writeFileSync(join(dir, "metrics.jsonl"), metricLines.map((l) => l + "\n").join(""));
console.log(`demo/storm.jsonl: ${events.length} events and ${notifications.length} S3 notifications; demo/metrics.jsonl: ${metricLines.length} metric points`);
