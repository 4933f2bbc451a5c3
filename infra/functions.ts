import { TABLE_ACTIONS } from "./access";
import { canaryStatements } from "./canary-permissions";
import { deployed, vigilFunction } from "./function-base";
import { AUDIT_WRITER_TIMEOUT_SECONDS } from "./audit-queue";
import { consumeQueue, grants, onTable, putEvents, readStream, sendTo, writeStream } from "./grants";
import { remediationStatements } from "./playbook-permissions";
import { approvalKey } from "./secrets";
import { metricsStream } from "./stream";

const policies = deployed.config.remediation.policies;

/** Appends every event Vigil emits to the hash-chained audit log (ops-bus rules → the audit FIFO queue → batches). */
export const auditWriter = vigilFunction("AuditWriter", {
  handler: "functions/audit-writer.handler",
  description: "Vigil: appends every event Vigil emits to the hash-chained audit log",
  timeout: `${AUDIT_WRITER_TIMEOUT_SECONDS} seconds`,
  permissions: grants((t) => [onTable(t.table, TABLE_ACTIONS.auditWriter), consumeQueue(t.auditQueue)]),
});

/** Scores every metric point on the metrics stream and emits `Anomaly Detected`. */
export const anomalyScorer = vigilFunction("AnomalyScorer", {
  handler: "functions/anomaly-scorer.handler",
  description: "Vigil: streaming anomaly scores on the metrics stream",
  permissions: grants((t) => [
    onTable(t.table, TABLE_ACTIONS.anomalyScorer),
    putEvents(t.opsBus),
    readStream(t.metricsStream),
    sendTo(t.streamFailures),
  ]),
});

/** Groups alarms, findings and anomalies (from the alert stream) into incidents. */
export const alertGrouper = vigilFunction("AlertGrouper", {
  handler: "functions/alert-grouper.handler",
  description: "Vigil: groups alerts into incidents",
  permissions: grants((t) => [
    onTable(t.table, TABLE_ACTIONS.alertGrouper),
    putEvents(t.opsBus),
    readStream(t.alertStream),
    sendTo(t.streamFailures),
  ]),
});

/** Every minute: fires incidents' notification timers (group wait, repeat, resolve). */
export const incidentTimer = vigilFunction("IncidentTimer", {
  handler: "functions/incident-timer.handler",
  description: "Vigil: incident notification timers",
  permissions: grants((t) => [onTable(t.table, TABLE_ACTIONS.incidentTimer), putEvents(t.opsBus), sendTo(t.eventDeadLetters)]),
});

// Snapshots are waited for (up to 10 minutes) before a volume is deleted.
const REMEDIATION_TIMEOUT = "15 minutes";

/**
 * The approval link's endpoint: a function URL with no AWS auth, because the HMAC token in the link is
 * the authorisation (forged, expired, reused or foreign tokens are refused and audited). It runs the
 * approved plan, so it holds the same playbook grants as the remediator.
 */
export const approve = vigilFunction("Approve", {
  handler: "functions/approve.handler",
  description: "Vigil: approval links for remediations",
  url: { authorization: "none", cors: false },
  timeout: REMEDIATION_TIMEOUT,
  environment: { VIGIL_APPROVAL_KEY: approvalKey.value },
  permissions: grants((t) => [onTable(t.table, TABLE_ACTIONS.approve), putEvents(t.opsBus), ...remediationStatements(policies, t.scope)]),
});

/** Plans, and per policy dry-runs, asks approval for, or runs remediations (ops-bus rules). */
export const remediator = vigilFunction("Remediator", {
  handler: "functions/remediator.handler",
  description: "Vigil: remediation with guardrails",
  timeout: REMEDIATION_TIMEOUT,
  environment: { VIGIL_APPROVAL_KEY: approvalKey.value, VIGIL_APPROVAL_URL: approve.url },
  permissions: grants((t) => [
    onTable(t.table, TABLE_ACTIONS.remediator),
    putEvents(t.opsBus),
    sendTo(t.eventDeadLetters),
    ...remediationStatements(policies, t.scope),
  ]),
});

/** Replication lag and RPO: metrics (its own mapping on the metrics stream), ops-bus rules, and a schedule. */
export const replicationMonitor = vigilFunction("ReplicationMonitor", {
  handler: "functions/replication-monitor.handler",
  description: "Vigil: replication lag and RPO watch",
  permissions: grants((t) => [
    onTable(t.table, TABLE_ACTIONS.replicationMonitor),
    putEvents(t.opsBus),
    readStream(t.metricsStream),
    sendTo(t.eventDeadLetters, t.streamFailures),
  ]),
});

/**
 * Every minute: writes canary markers to the protected buckets and tables and reads them in the replicas,
 * reporting the lag to the ops bus (`Replication Canary Observed`) for the replication monitor.
 */
export const replicationCanary = vigilFunction("ReplicationCanary", {
  handler: "functions/replication-canary.handler",
  description: "Vigil: replication canary probes",
  permissions: grants((t) => [...canaryStatements(deployed.config.replication.protected), putEvents(t.opsBus), sendTo(t.eventDeadLetters)]),
});

/**
 * Firehose's transformation step on the CloudWatch Metric Stream's delivery (infra/metric-stream.ts): writes
 * each series' lines to the metrics stream. Invoked synchronously by Firehose, with Firehose's role.
 */
export const metricsForwarder = vigilFunction("MetricsForwarder", {
  handler: "functions/metrics-forwarder.handler",
  description: "Vigil: forwards the CloudWatch Metric Stream to the metrics stream",
  links: [metricsStream],
  permissions: grants((t) => [writeStream(t.metricsStream)]),
});

/** Every function, by the name its alarms carry (the handler's file name). */
export const FUNCTIONS = {
  "audit-writer": auditWriter,
  "anomaly-scorer": anomalyScorer,
  "alert-grouper": alertGrouper,
  "incident-timer": incidentTimer,
  approve,
  remediator,
  "replication-monitor": replicationMonitor,
  "replication-canary": replicationCanary,
  "metrics-forwarder": metricsForwarder,
} as const;
