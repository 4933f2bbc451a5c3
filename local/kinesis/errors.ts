/** An error of the local Kinesis event source mapping, with a stable dotted `code`. */
export class KinesisMappingError extends Error {
  override name = "KinesisMappingError";
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** A mapping option is out of the range AWS Lambda accepts. */
export class InvalidMappingConfigError extends KinesisMappingError {
  override name = "InvalidMappingConfigError";
  constructor(message: string) {
    super("kinesis.invalid_mapping_config", message);
  }
}

/** `drain()` was called while `start()` was polling, or `start()` twice. */
export class MappingStateError extends KinesisMappingError {
  override name = "MappingStateError";
  constructor(message: string) {
    super("kinesis.mapping_busy", message);
  }
}

/** The handler did not settle within the function timeout; Lambda reports this as a function error. */
export class HandlerTimeoutError extends KinesisMappingError {
  override name = "HandlerTimeoutError";
  constructor(timeoutMs: number) {
    super("kinesis.handler_timeout", `Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`);
  }
}

/** The handler returned a `batchItemFailures` list that Lambda treats as a failure of the whole batch. */
export class InvalidBatchResponseError extends KinesisMappingError {
  override name = "InvalidBatchResponseError";
  constructor(message: string) {
    super("kinesis.invalid_batch_response", message);
  }
}

/** The handler reported a record as failed through `batchItemFailures`. */
export class BatchItemFailureError extends KinesisMappingError {
  override name = "BatchItemFailureError";
  constructor(shardId: string, sequenceNumber: string) {
    super("kinesis.batch_item_failure", `The handler reported record ${sequenceNumber} of ${shardId} as failed.`);
  }
}
