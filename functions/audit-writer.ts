import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import { MetricUnit } from "@aws-lambda-powertools/metrics";
import type { SQSEvent, SQSRecord } from "aws-lambda";
import * as z from "zod";
import { EventBridgeSchema } from "../events/inbound/envelope";
import { describeFirstIssue } from "../events/format-issue";
import { DetailBaseSchema, VIGIL_SOURCE } from "../events/outbound/envelope";
import { appendAuditEntries, type AuditAppendInput } from "../core/audit/append";
import { createStore } from "../core/store/service";
import { config } from "./lib/config";
import { lambda, logger, metrics } from "./lib/powertools";
import { dynamodb, resources } from "./lib/resources";

/**
 * Any event Vigil emits. Only the common base is required, so an event of a newer detail-type
 * or schema version is still audited rather than lost.
 */
const VigilEventSchema = EventBridgeSchema.extend({
  source: z.literal(VIGIL_SOURCE),
  detail: DetailBaseSchema.loose(),
});

/** A queue message that is not a Vigil event: it fails alone and, after its retries, goes to the queue's dead-letter queue. */
export class InvalidAuditMessageError extends Error {
  override readonly name = "InvalidAuditMessageError";
  readonly code = "audit.invalid_message";
}

const processor = new BatchProcessor(EventType.SQS);
let store: ReturnType<typeof createStore> | undefined;

/**
 * Appends every event Vigil emits to the hash-chained audit log, once per emission. The ops-bus rule puts
 * the events on a FIFO queue with one message group, so batches (up to 10) reach this function one at a
 * time, and a batch's entries are appended in one chain step (`appendAuditEntries`): no two appenders race
 * for the head. Each message is validated alone (a bad one fails alone); a failed step fails the whole batch.
 */
export const handler = lambda(async (event: SQSEvent, context) => {
  const inputs: AuditAppendInput[] = [];
  const parse = async (record: SQSRecord) => {
    let body: unknown;
    try {
      body = JSON.parse(record.body);
    } catch (error) {
      throw new InvalidAuditMessageError(`message ${record.messageId} is not JSON`, { cause: error });
    }
    const parsed = VigilEventSchema.safeParse(body);
    if (!parsed.success) throw new InvalidAuditMessageError(`message ${record.messageId} is not a Vigil event: ${describeFirstIssue(parsed.error)}`);
    const { detail } = parsed.data;
    inputs.push({
      chainId: config().audit.chainId,
      eventId: detail.eventId,
      at: detail.occurredAt,
      kind: parsed.data["detail-type"],
      subjectId: detail.id,
      actor: "vigil",
      payload: parsed.data,
    });
  };
  const response = await processPartialResponse(event, parse, processor, { context });
  for (const error of processor.errors) logger.error("audit message rejected", error);
  const results = await appendAuditEntries((store ??= createStore({ client: dynamodb, table: resources.table() })), inputs);
  const duplicates = results.filter((r) => r.duplicate);
  if (duplicates.length > 0) logger.info("audit entries already written for these emissions", { eventIds: duplicates.map((r) => r.entry.eventId) });
  metrics.addMetric("AuditEntriesAppended", MetricUnit.Count, results.length - duplicates.length);
  metrics.addMetric("AuditDuplicatesSkipped", MetricUnit.Count, duplicates.length);
  return response;
});
