import { KINESIS_READ_ACTIONS, KINESIS_WRITE_ACTIONS, PUT_EVENTS_ACTIONS, QUEUE_CONSUME_ACTIONS, SEND_MESSAGE_ACTIONS } from "./access";
import { auditQueue } from "./audit-queue";
import { opsBus } from "./bus";
import { eventDeadLetters, streamFailures } from "./dead-letters";
import type { AccountScope, PolicyStatement } from "./playbook-permissions";
import { alertStream, metricsStream } from "./stream";
import { table } from "./table";

/** The ARNs and account scope statements are built from, resolved once. */
export interface GrantTargets {
  scope: AccountScope;
  table: string;
  opsBus: string;
  metricsStream: string;
  alertStream: string;
  eventDeadLetters: string;
  streamFailures: string;
  auditQueue: string;
}

const targets = $resolve({
  partition: aws.getPartitionOutput().partition,
  region: aws.getRegionOutput().name,
  account: aws.getCallerIdentityOutput().accountId,
  table: table.arn,
  opsBus: opsBus.arn,
  metricsStream: metricsStream.arn,
  alertStream: alertStream.arn,
  eventDeadLetters: eventDeadLetters.arn,
  streamFailures: streamFailures.arn,
  auditQueue: auditQueue.arn,
}).apply(({ partition, region, account, ...arns }): GrantTargets => ({ scope: { partition, region, account }, ...arns }));

/**
 * A function's `permissions`, built from plain ARNs in one step so every statement is plain data
 * (what the wiring test reads back from the role's policy).
 */
export function grants(build: (t: GrantTargets) => PolicyStatement[]): $util.Output<PolicyStatement[]> {
  return targets.apply(build);
}

/** The table, and its indexes only where the function queries them. */
export const onTable = (tableArn: string, actions: readonly string[]): PolicyStatement => ({
  actions: [...actions],
  resources: actions.includes("dynamodb:Query") ? [tableArn, `${tableArn}/index/*`] : [tableArn],
});

/** Publishing to the ops bus. */
export const putEvents = (busArn: string): PolicyStatement => ({ actions: [...PUT_EVENTS_ACTIONS], resources: [busArn] });

/** What a Kinesis event source mapping reads with the function's role. */
export const readStream = (streamArn: string): PolicyStatement => ({ actions: [...KINESIS_READ_ACTIONS], resources: [streamArn] });

/** Writing records to a Kinesis stream with PutRecords. */
export const writeStream = (streamArn: string): PolicyStatement => ({ actions: [...KINESIS_WRITE_ACTIONS], resources: [streamArn] });

/** What an SQS event source mapping reads and deletes with the function's role. */
export const consumeQueue = (queueArn: string): PolicyStatement => ({ actions: [...QUEUE_CONSUME_ACTIONS], resources: [queueArn] });

/** Writing failures: a mapping's on-failure queue, or the async invoke config's dead-letter queue. */
export const sendTo = (...queueArns: string[]): PolicyStatement => ({ actions: [...SEND_MESSAGE_ACTIONS], resources: queueArns });
