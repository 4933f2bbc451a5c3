import { BatchIncompleteError } from "./errors";

/** How many times unprocessed BatchGet/BatchWrite items are retried before giving up. */
const MAX_BATCH_ATTEMPTS = 6;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs a batch operation until every item is processed: `attempt` gets the items still pending and returns those
 * DynamoDB left unprocessed (throttling), which are retried with exponential backoff. Throws BatchIncompleteError
 * naming `operation` when items are still left after the last attempt.
 */
export async function untilProcessed<T>(operation: string, items: readonly T[], attempt: (pending: T[]) => Promise<T[]>): Promise<void> {
  let pending = [...items];
  for (let n = 1; pending.length > 0; n++) {
    if (n > MAX_BATCH_ATTEMPTS) throw new BatchIncompleteError(operation, pending.length);
    if (n > 1) await sleep(25 * 2 ** n);
    pending = await attempt(pending);
  }
}
