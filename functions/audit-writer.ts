import { createHash } from "node:crypto";
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

/** Kind of the entry that records a queue message the writer could not read as a Vigil event. */
export const REJECTED_MESSAGE_KIND = "Audit Message Rejected";

let store: ReturnType<typeof createStore> | undefined;

/**
 * Appends every event Vigil emits to the hash-chained audit log, once per emission. The ops-bus rule puts
 * the events on a FIFO queue with one message group, so batches (up to 10) reach this function one at a
 * time, and a batch's entries are appended in one chain step (`appendAuditEntries`): no two appenders race
 * for the head. A message that is not a Vigil event is appended as an `Audit Message Rejected` entry with
 * its body and the reason rather than failed: in a FIFO group a retried message holds back every later
 * one, and no retry can make it readable. A failed chain step fails the whole batch, which keeps the order.
 */
export const handler = lambda(async (event: SQSEvent) => {
  const inputs = event.Records.map(auditInput);
  const rejected = inputs.filter((input) => input.kind === REJECTED_MESSAGE_KIND);
  for (const input of rejected) logger.error("audit message is not a Vigil event; recorded as rejected", { ...(input.payload as object) });
  const results = await appendAuditEntries((store ??= createStore({ client: dynamodb, table: resources.table() })), inputs);
  const duplicates = results.filter((r) => r.duplicate);
  if (duplicates.length > 0) logger.info("audit entries already written for these emissions", { eventIds: duplicates.map((r) => r.entry.eventId) });
  metrics.addMetric("AuditEntriesAppended", MetricUnit.Count, results.length - duplicates.length);
  metrics.addMetric("AuditDuplicatesSkipped", MetricUnit.Count, duplicates.length);
  metrics.addMetric("AuditMessagesRejected", MetricUnit.Count, rejected.length);
  return { batchItemFailures: [] };
});

/** The chain entry for one queue message: its Vigil event, or the record of a message that is none. */
function auditInput(record: SQSRecord): AuditAppendInput {
  const chainId = config().audit.chainId;
  let body: unknown;
  let reason: string;
  try {
    body = JSON.parse(record.body);
    const parsed = VigilEventSchema.safeParse(body);
    if (parsed.success) {
      const { detail } = parsed.data;
      return { chainId, eventId: detail.eventId, at: detail.occurredAt, kind: parsed.data["detail-type"], subjectId: detail.id, actor: "vigil", payload: parsed.data };
    }
    reason = `not a Vigil event: ${describeFirstIssue(parsed.error)}`;
  } catch {
    reason = "not JSON";
  }
  const sent = Number(record.attributes.SentTimestamp);
  return {
    chainId,
    // Keyed by content, so the same unreadable message delivered again is recorded once.
    eventId: `rejected-${createHash("sha256").update(record.body).digest("hex").slice(0, 32)}`,
    at: new Date(Number.isFinite(sent) && sent > 0 ? sent : Date.now()).toISOString(),
    kind: REJECTED_MESSAGE_KIND,
    subjectId: record.messageId,
    actor: "vigil",
    payload: { messageId: record.messageId, reason, body: record.body },
  };
}
