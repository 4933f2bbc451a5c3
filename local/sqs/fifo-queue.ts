import { createHash, randomUUID } from "node:crypto";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";

/** A message the queue's function reported failed (partial batch response) or failed with. */
export class QueueMessageFailedError extends Error {
  override readonly name = "QueueMessageFailedError";
  readonly code = "local.queue_message_failed";
}

export interface FifoQueueOptions {
  /** Queue name (for ARNs in the records). */
  name: string;
  /** The one message group every message is sent with. */
  groupId: string;
  /** Messages per invocation at most (SQS FIFO mappings allow up to 10). */
  batchSize: number;
  handler: (event: SQSEvent, context: Context) => Promise<unknown>;
  context: () => Context;
}

interface Waiting {
  body: string;
  resolve: () => void;
  reject: (error: Error) => void;
}

/**
 * An SQS FIFO queue with one message group and its Lambda event source mapping, in process: messages are
 * handed to the function in send order, in batches of up to `batchSize`, one batch at a time (a FIFO group
 * has one batch in flight), so the function never runs concurrently with itself. `send` settles when the
 * message's batch is done. A message reported in `batchItemFailures` is delivered again alone; when that
 * fails too, `send` rejects, and the caller (the bus's delivery retries, then its dead letters) plays the
 * part of the queue's redrive policy.
 */
export class LocalFifoQueue {
  private readonly waiting: Waiting[] = [];
  private running = false;
  private sequence = 0;

  constructor(private readonly options: FifoQueueOptions) {}

  /** Enqueues one message; resolves once the function has handled it. */
  send(body: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ body, resolve, reject });
      if (!this.running) void this.run();
    });
  }

  private async run(): Promise<void> {
    this.running = true;
    // Messages sent in the same turn (one PutEvents call, one outbox) join one batch, as the mapping's poll would.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.waiting.length > 0) {
      const failed = await this.invoke(this.waiting.splice(0, this.options.batchSize));
      // Redelivered alone, as SQS would after the visibility timeout, so a failure names its own cause.
      for (const message of failed) {
        const again = await this.invoke([message]);
        again.forEach((m) => m.reject(new QueueMessageFailedError(`${this.options.name}: the function reported the message failed (its log says why)`)));
      }
    }
    this.running = false;
  }

  /** One invocation; settles the messages it handled or failed whole, and returns those reported failed in a batch of several. */
  private async invoke(batch: Waiting[]): Promise<Waiting[]> {
    const records = batch.map((m) => this.record(m.body));
    try {
      const response = (await this.options.handler({ Records: records }, this.options.context())) as SQSBatchResponse | undefined;
      const failed = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
      const retry: Waiting[] = [];
      batch.forEach((m, i) => (failed.has(records[i]!.messageId) ? retry.push(m) : m.resolve()));
      return retry;
    } catch (error) {
      const failure = new QueueMessageFailedError(`${this.options.name}: the function failed the batch: ${describe(error)}`, { cause: error });
      batch.forEach((m) => m.reject(failure));
      return [];
    }
  }

  private record(body: string): SQSRecord {
    const sequence = String(++this.sequence).padStart(20, "0");
    const now = String(Date.now());
    return {
      messageId: randomUUID(),
      receiptHandle: randomUUID(),
      body,
      attributes: {
        ApproximateReceiveCount: "1",
        SentTimestamp: now,
        SenderId: "events.amazonaws.com",
        ApproximateFirstReceiveTimestamp: now,
        SequenceNumber: sequence,
        MessageGroupId: this.options.groupId,
        MessageDeduplicationId: createHash("sha256").update(body).digest("hex"),
      },
      messageAttributes: {},
      md5OfBody: createHash("md5").update(body).digest("hex"),
      eventSource: "aws:sqs",
      eventSourceARN: `arn:aws:sqs:us-east-1:000000000000:${this.options.name}`,
      awsRegion: "us-east-1",
    };
  }
}

/** An error's message, with the per-record errors of a batch that failed whole (Powertools' FullBatchFailureError). */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const records = (error as { recordErrors?: unknown }).recordErrors;
  const details = Array.isArray(records) ? records.map((e) => (e instanceof Error ? e.message : String(e))) : [];
  return [error.message, ...details].join("; ");
}
