import { InvalidBatchResponseError } from "./errors";

/** How Lambda reads a stream handler's result. */
export type BatchOutcome =
  | { kind: "success" }
  /** Records before `failedIndex` succeeded; the shard checkpoints there and retries from it. */
  | { kind: "partial"; failedIndex: number }
  | { kind: "failure"; error: Error };

/**
 * Interprets a handler's response under `ReportBatchItemFailures`, as Lambda does: no response,
 * no list or an empty list is a success; an item whose `itemIdentifier` is missing, empty or not
 * a sequence number of this batch fails the whole batch; otherwise the lowest failed sequence
 * number is where the shard resumes.
 *
 * @param sequenceNumbers the batch's sequence numbers, in shard (ascending) order
 */
export function interpretBatchResponse(response: unknown, sequenceNumbers: readonly string[]): BatchOutcome {
  if (typeof response !== "object" || response === null) return { kind: "success" };
  const failures = (response as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return { kind: "success" };
  if (!Array.isArray(failures)) {
    return failure(`batchItemFailures must be an array, got ${typeof failures}.`);
  }
  if (failures.length === 0) return { kind: "success" };
  const indexBySequence = new Map(sequenceNumbers.map((sequence, index) => [sequence, index]));
  let lowest = Number.POSITIVE_INFINITY;
  for (const item of failures) {
    const identifier = (item as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof identifier !== "string" || identifier === "") {
      return failure(`batchItemFailures has an item without an itemIdentifier: ${JSON.stringify(item)}.`);
    }
    const index = indexBySequence.get(identifier);
    if (index === undefined) {
      return failure(`batchItemFailures names sequence number "${identifier}", which is not in this batch.`);
    }
    lowest = Math.min(lowest, index);
  }
  return { kind: "partial", failedIndex: lowest };
}

function failure(message: string): BatchOutcome {
  return { kind: "failure", error: new InvalidBatchResponseError(message) };
}
