/** SQS's longest retention: what Vigil keeps undelivered messages for. */
export const FOURTEEN_DAYS = 14 * 24 * 3600;

/**
 * Where undeliverable asynchronous events land: EventBridge targets that ran out of retries (every rule's
 * `deadLetterConfig`), and bus- or schedule-invoked functions that failed every attempt (their async
 * invoke config's on-failure destination). Kept 14 days, the SQS maximum, for inspection and redrive.
 */
export const eventDeadLetters = new aws.sqs.Queue("EventDeadLetters", {
  messageRetentionSeconds: FOURTEEN_DAYS,
  sqsManagedSseEnabled: true,
});

/** On-failure destination of every Kinesis mapping: the shard and sequence range of a batch that was given up on. */
export const streamFailures = new aws.sqs.Queue("StreamFailures", {
  messageRetentionSeconds: FOURTEEN_DAYS,
  sqsManagedSseEnabled: true,
});

/** Retries of an EventBridge target before its event goes to {@link eventDeadLetters}. */
export const TARGET_RETRY_POLICY = { maximumRetryAttempts: 24, maximumEventAgeInSeconds: 3600 } as const;

/** Retries of a failed asynchronous invocation (Lambda's own, after EventBridge delivered it). */
export const ASYNC_INVOKE_RETRY = { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 3600 } as const;

/** What every EventBridge target in the app carries, so no event is dropped silently. */
export function asyncTargetArgs() {
  return { deadLetterConfig: { arn: eventDeadLetters.arn }, retryPolicy: { ...TARGET_RETRY_POLICY } };
}

/**
 * Sends a function's failed asynchronous invocations to {@link eventDeadLetters}, with bounded retries.
 * The function's role needs `sqs:SendMessage` on the queue (Lambda writes it with that role).
 */
export function asyncInvokeConfig(name: string, functionName: $util.Input<string>) {
  return new aws.lambda.FunctionEventInvokeConfig(`${name}AsyncInvokeConfig`, {
    functionName,
    ...ASYNC_INVOKE_RETRY,
    destinationConfig: { onFailure: { destination: eventDeadLetters.arn } },
  });
}

/**
 * Lets EventBridge write to {@link eventDeadLetters} from exactly these rules (its DLQ delivery is
 * authorised by the queue's policy, per rule ARN, not by a role).
 */
export function allowDeadLettersFrom(ruleArns: $util.Input<$util.Input<string>[]>) {
  return new aws.sqs.QueuePolicy("EventDeadLettersPolicy", {
    queueUrl: eventDeadLetters.url,
    policy: aws.iam.getPolicyDocumentOutput({
      statements: [
        {
          principals: [{ type: "Service", identifiers: ["events.amazonaws.com"] }],
          actions: ["sqs:SendMessage"],
          resources: [eventDeadLetters.arn],
          conditions: [{ test: "ArnEquals", variable: "aws:SourceArn", values: ruleArns }],
        },
      ],
    }).json,
  });
}

