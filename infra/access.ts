/**
 * The AWS actions each function calls on Vigil's own resources, read from its handler and the
 * core/store code it runs (ElectroDB: get → GetItem, batch get → BatchGetItem, create/put → PutItem,
 * patch → UpdateItem, query → Query on the table or an index). Plain data, so the wiring test holds
 * the deployed policies to these exact lists.
 */
export const TABLE_ACTIONS = {
  // appendAuditEntries (core/audit/append.ts): head get and conditional put, the highest entry of a chain with no head yet (query), markers and entries read and written in batches.
  auditWriter: ["dynamodb:BatchGetItem", "dynamodb:BatchWriteItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"],
  // Series state: one BatchGet per batch, conditional puts.
  anomalyScorer: ["dynamodb:BatchGetItem", "dynamodb:PutItem"],
  // Grouping scopes (core/store/grouping-batch): one BatchGet, versioned puts, alert pages in batch writes, incidents, outbox cleared.
  alertGrouper: ["dynamodb:BatchGetItem", "dynamodb:BatchWriteItem", "dynamodb:PutItem", "dynamodb:UpdateItem"],
  // The grouper's set, plus the query for scopes with something due.
  incidentTimer: ["dynamodb:BatchGetItem", "dynamodb:BatchWriteItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem"],
  // Plans, remediations, action records (rate and blast-radius queries by index), audit steps (appendAuditEntries: batch reads and writes too).
  remediator: ["dynamodb:BatchGetItem", "dynamodb:BatchWriteItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem"],
  // The remediator's set, plus the approval nonce (a PutItem too).
  approve: ["dynamodb:BatchGetItem", "dynamodb:BatchWriteItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem"],
  // Replication targets: one BatchGet per invocation, versioned creates and patches.
  replicationMonitor: ["dynamodb:BatchGetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"],
} as const;

/** What an event source mapping reads from a Kinesis stream, with the function's role (no enhanced fan-out). */
export const KINESIS_READ_ACTIONS = [
  "kinesis:DescribeStream",
  "kinesis:DescribeStreamSummary",
  "kinesis:GetRecords",
  "kinesis:GetShardIterator",
  "kinesis:ListShards",
] as const;

/** The metrics forwarder writes the metrics stream in batches, nothing else. */
export const KINESIS_WRITE_ACTIONS = ["kinesis:PutRecords"] as const;

/** Publishing to the ops bus. */
export const PUT_EVENTS_ACTIONS = ["events:PutEvents"] as const;

/** What an SQS event source mapping does with the function's role (AWSLambdaSQSQueueExecutionRole's queue actions). */
export const QUEUE_CONSUME_ACTIONS = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"] as const;

/** A mapping's on-failure destination is written with the function's role. */
export const SEND_MESSAGE_ACTIONS = ["sqs:SendMessage"] as const;

/**
 * The replication canary's probes (functions/lib/replication-canary.ts): S3 writes a marker in the source
 * bucket and lists the marker prefix of both buckets; DynamoDB reads the key schema and the marker item in the
 * source region, writes it, and reads it in each replica region.
 */
export const CANARY_ACTIONS = {
  s3Write: ["s3:PutObject"],
  s3List: ["s3:ListBucket"],
  dynamodbSource: ["dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:PutItem"],
  dynamodbReplica: ["dynamodb:GetItem"],
} as const;
