import { auditDeadLetters } from "./audit-queue";
import { eventDeadLetters, streamFailures } from "./dead-letters";
import { FUNCTIONS } from "./functions";

/**
 * Alarm names start with `vigil-<stage>-`: a topology service named `vigil` claims them by name (alarm
 * names are matched word by word), so Vigil's own failures group as an incident of the `vigil` service.
 * No alarm action is needed: every state change is a `CloudWatch Alarm State Change` event on the default
 * bus, which the `cloudwatchAlarms` forwarding rule brings to the ops bus and the alert-grouper.
 */
export const alarmName = (subject: string, what: string) => `vigil-${$app.stage}-${subject}-${what}`;

/** Kinesis consumers fall behind when their oldest unprocessed record is this old. */
export const ITERATOR_AGE_LIMIT_MS = 5 * 60_000;

const FIVE_MINUTES = 300;

function alarm(id: string, args: Omit<aws.cloudwatch.MetricAlarmArgs, "period" | "evaluationPeriods" | "comparisonOperator" | "treatMissingData">) {
  return new aws.cloudwatch.MetricAlarm(id, {
    period: FIVE_MINUTES,
    evaluationPeriods: 1,
    comparisonOperator: "GreaterThanThreshold",
    // No data is no traffic, not a failure.
    treatMissingData: "notBreaching",
    ...args,
  });
}

const pascal = (kebab: string) => kebab.replace(/(^|-)([a-z0-9])/g, (_m, _d, c: string) => c.toUpperCase());

/** Any failed invocation or throttle of any function. */
export const functionAlarms = Object.entries(FUNCTIONS).flatMap(([name, fn]) => [
  alarm(`${pascal(name)}ErrorsAlarm`, {
    name: alarmName(name, "errors"),
    alarmDescription: `Vigil ${name} invocations failed`,
    namespace: "AWS/Lambda",
    metricName: "Errors",
    dimensions: { FunctionName: fn.name },
    statistic: "Sum",
    threshold: 0,
  }),
  alarm(`${pascal(name)}ThrottlesAlarm`, {
    name: alarmName(name, "throttles"),
    alarmDescription: `Vigil ${name} invocations throttled`,
    namespace: "AWS/Lambda",
    metricName: "Throttles",
    dimensions: { FunctionName: fn.name },
    statistic: "Sum",
    threshold: 0,
  }),
]);

/** One per Kinesis mapping (each consumer function has exactly one mapping, so its IteratorAge is the mapping's). */
export const iteratorAgeAlarms = (["anomaly-scorer", "replication-monitor", "alert-grouper"] as const).map((name) =>
  alarm(`${pascal(name)}IteratorAgeAlarm`, {
    name: alarmName(name, "iterator-age"),
    alarmDescription: `Vigil ${name} is more than ${ITERATOR_AGE_LIMIT_MS / 60_000} minutes behind its stream`,
    namespace: "AWS/Lambda",
    metricName: "IteratorAge",
    dimensions: { FunctionName: FUNCTIONS[name].name },
    statistic: "Maximum",
    threshold: ITERATOR_AGE_LIMIT_MS,
  }),
);

/** Anything in a dead-letter queue is an event Vigil failed to handle. */
export const deadLetterAlarms = Object.entries({ "event-dead-letters": eventDeadLetters, "stream-failures": streamFailures, "audit-dead-letters": auditDeadLetters }).map(([name, queue]) =>
  alarm(`${pascal(name)}DepthAlarm`, {
    name: alarmName(name, "depth"),
    alarmDescription: `Vigil ${name} queue holds messages`,
    namespace: "AWS/SQS",
    metricName: "ApproximateNumberOfMessagesVisible",
    dimensions: { QueueName: queue.name },
    statistic: "Maximum",
    threshold: 0,
  }),
);

/** Any count of one of Vigil's own metrics (Powertools, namespace `Vigil`) in five minutes. */
const vigilCountAlarm = (id: string, subject: string, what: string, metricName: string, alarmDescription: string) =>
  alarm(id, { name: alarmName(subject, what), alarmDescription, namespace: "Vigil", metricName, dimensions: { service: "vigil" }, statistic: "Sum", threshold: 0 });

/**
 * Metric Streams records the forwarder could not write to the metrics stream: they wait under the
 * archive's `failed/` prefix, and anomaly scores and replication metrics have a gap until replayed.
 * The forwarder answers Firehose rather than failing, so its Errors alarm would not see this.
 */
export const forwardingAlarm = vigilCountAlarm(
  "MetricsForwarderFailedRecordsAlarm",
  "metrics-forwarder",
  "failed-records",
  "MetricRecordsFailed",
  "Vigil metrics-forwarder could not write metric records to the metrics stream",
);

/**
 * A grouping scope's state outgrew its DynamoDB item and the grouper dropped its oldest history (resolved groups,
 * dedup keys) to keep grouping (`shedHistory`): late clears and redeliveries of that history are then judged anew.
 * The estate has outgrown one state per correlation scope.
 */
export const groupingStateAlarm = vigilCountAlarm(
  "GroupingHistoryShedAlarm",
  "alert-grouper",
  "history-shed",
  "ScopeHistoryShed",
  "Vigil alert-grouper dropped grouping history: a scope's state outgrew its DynamoDB item",
);
