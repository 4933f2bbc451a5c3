import { FOURTEEN_DAYS } from "./dead-letters";

/** Deliveries of one audit message before it goes to {@link auditDeadLetters}. */
export const AUDIT_MAX_RECEIVES = 5;

/** The audit writer's timeout; the queue hides a message in flight for six times it, as Lambda advises. */
export const AUDIT_WRITER_TIMEOUT_SECONDS = 60;

/** The one message group of {@link auditQueue}: every audit message, so batches reach the writer one at a time. */
export const AUDIT_MESSAGE_GROUP = "audit";

/** Audit messages the writer failed {@link AUDIT_MAX_RECEIVES} times (a FIFO queue's dead-letter queue is FIFO too). */
export const auditDeadLetters = new aws.sqs.Queue("AuditDeadLetters", {
  fifoQueue: true,
  messageRetentionSeconds: FOURTEEN_DAYS,
  sqsManagedSseEnabled: true,
});

/**
 * The audit writer's input: ops-bus rules put every event Vigil emits here, all in one message group, so
 * Lambda hands the writer one batch (up to 10) at a time and appends to the one hash chain never race.
 * Content-based deduplication drops an identical redelivery within five minutes; the writer's idempotency on
 * the event id covers the rest.
 */
export const auditQueue = new aws.sqs.Queue("AuditQueue", {
  fifoQueue: true,
  contentBasedDeduplication: true,
  visibilityTimeoutSeconds: 6 * AUDIT_WRITER_TIMEOUT_SECONDS,
  messageRetentionSeconds: FOURTEEN_DAYS,
  sqsManagedSseEnabled: true,
  redrivePolicy: $jsonStringify({ deadLetterTargetArn: auditDeadLetters.arn, maxReceiveCount: AUDIT_MAX_RECEIVES }),
});

/** Lets EventBridge send to {@link auditQueue} from exactly these rules (SQS targets are authorised by the queue's policy). */
export function allowAuditQueueFrom(ruleArns: $util.Input<$util.Input<string>[]>) {
  return new aws.sqs.QueuePolicy("AuditQueuePolicy", {
    queueUrl: auditQueue.url,
    policy: aws.iam.getPolicyDocumentOutput({
      statements: [
        {
          principals: [{ type: "Service", identifiers: ["events.amazonaws.com"] }],
          actions: ["sqs:SendMessage"],
          resources: [auditQueue.arn],
          conditions: [{ test: "ArnEquals", variable: "aws:SourceArn", values: ruleArns }],
        },
      ],
    }).json,
  });
}
