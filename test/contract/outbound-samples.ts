import type { OutboundDetailInput, OutboundDetailType } from "../../events/outbound";

const base = (id: string, eventId: string) => ({
  schemaVersion: "1" as const,
  id,
  eventId,
  dedupKey: `vigil/${id}`,
  occurredAt: "2024-05-01T12:00:00.000Z",
  links: [{ href: "https://console.aws.amazon.com/cloudwatch/home", text: "CloudWatch" }],
});

const incident = {
  incidentId: "inc-1",
  title: "checkout latency and 5xx",
  priority: "P2" as const,
  service: "checkout",
  rootCauseService: "payments-db",
  alertCount: 3,
  fingerprints: ["fp-a", "fp-b"],
  firstSeen: "2024-05-01T11:55:00.000Z",
  lastSeen: "2024-05-01T12:00:00.000Z",
  component: "api",
  group: "prod",
  class: "latency",
};

const remediation = {
  remediationId: "rem-1",
  policy: "block-public-buckets",
  action: "s3.block-public-access",
  mode: "approve" as const,
  resource: { id: "arn:aws:s3:::public-bucket", type: "AWS::S3::Bucket", account: "123456789012", region: "us-east-1" },
  before: { blockPublicAcls: false },
  after: { blockPublicAcls: true },
};

const replication = {
  targetId: "orders-bucket",
  kind: "s3" as const,
  resource: { id: "arn:aws:s3:::orders", type: "AWS::S3::Bucket" },
  replica: { id: "arn:aws:s3:::orders-replica", type: "AWS::S3::Bucket", region: "eu-west-1" },
  rpoMinutes: 15,
  lastSignalAt: "2024-05-01T11:30:00.000Z",
  signal: "s3-canary" as const,
};

/** One valid detail of every detail-type Vigil emits. */
export const OUTBOUND_SAMPLES: { [T in OutboundDetailType]: OutboundDetailInput<T> } = {
  "Anomaly Detected": {
    ...base("anom-1", "e-1"),
    severity: "warning",
    summary: "AWS/EC2 CPUUtilization i-0abc 97 above expected 20-45",
    anomaly: {
      seriesId: "s-1",
      namespace: "AWS/EC2",
      metricName: "CPUUtilization",
      dimensions: { InstanceId: "i-0abc" },
      account: "123456789012",
      region: "us-east-1",
      timestamp: "2024-05-01T12:00:00.000Z",
      value: 97,
      score: 0.93,
      expected: { low: 20, high: 45 },
      reason: "value 97 above expected 20-45",
    },
  },
  "Incident Opened": { ...base("inc-1", "e-2"), severity: "error", summary: "P2 checkout: latency and 5xx", incident: { ...incident, status: "open" } },
  "Incident Updated": { ...base("inc-1", "e-3"), severity: "critical", summary: "P1 checkout: 5 alerts", incident: { ...incident, status: "open", priority: "P1", alertCount: 5 } },
  "Incident Resolved": {
    ...base("inc-1", "e-4"),
    severity: "info",
    summary: "resolved: checkout latency and 5xx",
    incident: { ...incident, status: "resolved", resolvedAt: "2024-05-01T12:30:00.000Z" },
  },
  "Remediation Planned": {
    ...base("rem-1", "e-5"),
    severity: "warning",
    summary: "plan: block public access on public-bucket (awaiting approval)",
    remediation: { ...remediation, status: "pending-approval", approvalUrl: "https://vigil.example.com/approve/rem-1", expiresAt: "2024-05-01T13:00:00.000Z" },
  },
  "Remediation Approved": { ...base("rem-1", "e-6"), severity: "info", summary: "approved: block public access on public-bucket", remediation: { ...remediation, status: "approved" } },
  "Remediation Executed": { ...base("rem-1", "e-7"), severity: "info", summary: "done: blocked public access on public-bucket", remediation: { ...remediation, status: "executed" } },
  "Remediation Failed": {
    ...base("rem-1", "e-8"),
    severity: "error",
    summary: "failed: block public access on public-bucket",
    remediation: { ...remediation, status: "failed", reason: "AccessDenied on PutPublicAccessBlock" },
  },
  "Remediation Skipped": {
    ...base("rem-1", "e-9"),
    severity: "info",
    summary: "skipped: public-bucket carries a protected tag",
    remediation: { ...remediation, mode: "auto", status: "skipped", reason: "protected tag vigil:protect=true" },
  },
  "Replication RPO Breached": {
    ...base("orders-bucket", "e-10"),
    severity: "critical",
    summary: "orders replication 30 min behind (RPO 15 min)",
    replication: { ...replication, status: "breached", observedRpoMinutes: 30 },
  },
  "Replication RPO Restored": {
    ...base("orders-bucket", "e-11"),
    severity: "info",
    summary: "orders replication within RPO again (4 min)",
    replication: { ...replication, status: "ok", observedRpoMinutes: 4, lastSignalAt: "2024-05-01T11:58:00.000Z" },
  },
};
