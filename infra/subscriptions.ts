import { FUNCTION_PATTERNS, alertGrouperRoutes, type EventPattern } from "../events/patterns";
import { opsBus } from "./bus";
import { AUDIT_MESSAGE_GROUP, allowAuditQueueFrom, auditQueue } from "./audit-queue";
import { asyncInvokeConfig, asyncTargetArgs } from "./dead-letters";
import { subscribedFamilies } from "../core/remediation/subscription";
import { deployed } from "./function-base";
import { alertGrouper, anomalyScorer, auditWriter, incidentTimer, remediator, replicationCanary, replicationMonitor } from "./functions";
import { alertStream, metricsStream } from "./stream";
import { streamMapping } from "./stream-mapping";
import { ALERT_STREAM_MAPPING } from "./stream-settings";

/**
 * One ops-bus rule per pattern, all targeting one function, each with its dead-letter queue. Each rule
 * takes the contract's pattern verbatim: SST's own `pattern` argument knows only source, detail-type and detail.
 */
function busRules(prefix: string, patterns: readonly EventPattern[], fn: { arn: $util.Output<string> }, subscribed?: readonly boolean[]) {
  // A pattern left out keeps its number free, so the other rules keep their names across config changes.
  return patterns.flatMap((pattern, index) =>
    subscribed?.[index] === false
      ? []
      : [
          opsBus.subscribe(`${prefix}Rule${index + 1}`, fn.arn, {
            transform: { rule: { eventPattern: JSON.stringify(pattern) }, target: asyncTargetArgs() },
          }),
        ],
  );
}

/**
 * Every event Vigil emits goes to the audit FIFO queue, in one message group: Lambda then gives the audit
 * writer one batch at a time, so appends to the one hash chain are serial (and a batch is one chain step).
 */
export const auditWriterRules = FUNCTION_PATTERNS.auditWriter.map((pattern, index) => {
  const rule = new aws.cloudwatch.EventRule(`AuditWriterRule${index + 1}`, {
    eventBusName: opsBus.name,
    description: "Events Vigil emits, onto the audit queue",
    eventPattern: JSON.stringify(pattern),
  });
  new aws.cloudwatch.EventTarget(`AuditWriterRule${index + 1}Target`, {
    eventBusName: opsBus.name,
    rule: rule.name,
    arn: auditQueue.arn,
    sqsTarget: { messageGroupId: AUDIT_MESSAGE_GROUP },
    ...asyncTargetArgs(),
  });
  return rule;
});
export const auditQueuePolicy = allowAuditQueueFrom(auditWriterRules.map((rule) => rule.arn));

/**
 * The audit queue's mapping: batches of up to 10 (the FIFO maximum). A batch succeeds or fails whole (the
 * writer records unreadable messages instead of failing them), so a retry keeps the queue's order.
 */
export const auditQueueMapping = new aws.lambda.EventSourceMapping("AuditWriterQueue", {
  eventSourceArn: auditQueue.arn,
  functionName: auditWriter.name,
  batchSize: 10,
});
/** Only the families some policy can match (core/remediation/subscription.ts): with no policies, the schedule alone invokes it. */
export const remediatorRules = busRules(
  "Remediator",
  FUNCTION_PATTERNS.remediator,
  remediator,
  subscribedFamilies(FUNCTION_PATTERNS.remediator, deployed.config.remediation.policies),
);
export const replicationMonitorRules = busRules("ReplicationMonitor", FUNCTION_PATTERNS.replicationMonitor, replicationMonitor);

/** Lets EventBridge put the grouper's events on the alert stream. */
const alertStreamWriter = new aws.iam.Role("AlertStreamWriterRole", {
  assumeRolePolicy: aws.iam.assumeRolePolicyForPrincipal({ Service: "events.amazonaws.com" }),
  inlinePolicies: [
    {
      name: "PutRecordOnAlertStream",
      policy: aws.iam.getPolicyDocumentOutput({ statements: [{ actions: ["kinesis:PutRecord"], resources: [alertStream.arn] }] }).json,
    },
  ],
});

/**
 * The grouper's routes put their events on the alert stream instead of invoking it per event, each partitioned
 * by the account its alerts are grouped under (`alertGrouperRoutes`), so one scope's alerts stay on one shard, in order.
 */
export const alertGrouperRules = alertGrouperRoutes.map(({ pattern, partitionKeyPath }, index) => {
  const rule = new aws.cloudwatch.EventRule(`AlertGrouperRule${index + 1}`, {
    eventBusName: opsBus.name,
    description: "Alerts for the alert-grouper, onto the alert stream",
    eventPattern: JSON.stringify(pattern),
  });
  new aws.cloudwatch.EventTarget(`AlertGrouperRule${index + 1}Target`, {
    eventBusName: opsBus.name,
    rule: rule.name,
    arn: alertStream.arn,
    roleArn: alertStreamWriter.arn,
    kinesisTarget: { partitionKeyPath },
    ...asyncTargetArgs(),
  });
  return rule;
});

/** Kinesis mappings: the metrics stream feeds the scorer and (separately) the replication monitor. */
export const streamMappings = [
  streamMapping("AnomalyScorerMetrics", metricsStream, anomalyScorer),
  streamMapping("ReplicationMonitorMetrics", metricsStream, replicationMonitor),
  streamMapping("AlertGrouperAlerts", alertStream, alertGrouper, ALERT_STREAM_MAPPING),
];

/**
 * A one-minute schedule. SST's Cron sends a constant `{}` as the target input; removing it delivers the
 * `Scheduled Event` itself, whose `time` the handlers evaluate at (event time, as everywhere in Vigil).
 */
function everyMinute(name: string, fn: { arn: $util.Output<string> }) {
  return new sst.aws.Cron(name, {
    function: fn.arn,
    schedule: "rate(1 minute)",
    transform: {
      target: (args) => {
        delete args.input;
        Object.assign(args, asyncTargetArgs());
      },
    },
  });
}

export const schedules = [
  everyMinute("IncidentTimerSchedule", incidentTimer),
  everyMinute("ReplicationMonitorSchedule", replicationMonitor),
  everyMinute("ReplicationCanarySchedule", replicationCanary),
  // Runs plans that wait for a time (a just-in-time grant's expiry).
  everyMinute("RemediatorSchedule", remediator),
];

/** Functions EventBridge invokes asynchronously: their failed invocations go to the dead-letter queue too. */
export const asyncInvokeConfigs = Object.entries({ remediator, replicationMonitor, incidentTimer, replicationCanary }).map(
  ([name, fn]) => asyncInvokeConfig(name.charAt(0).toUpperCase() + name.slice(1), fn.name),
);

/** Every rule whose target may dead-letter, for the queue's policy. */
export const deadLetterSources = [
  // subscribe() returns an Output of the subscriber: read the rule inside apply, since lifting `nodes` would unwrap all of it.
  ...[...remediatorRules, ...replicationMonitorRules].map((s) => s.apply((subscriber) => subscriber.nodes.rule.arn)),
  ...[...auditWriterRules, ...alertGrouperRules].map((r) => r.arn),
  ...schedules.map((s) => s.nodes.rule.arn),
];
