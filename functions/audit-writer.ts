import { parser } from "@aws-lambda-powertools/parser/middleware";
import { EventBridgeSchema } from "../events/inbound/envelope";
import { MetricUnit } from "@aws-lambda-powertools/metrics";
import * as z from "zod";
import { DetailBaseSchema, VIGIL_SOURCE } from "../events/outbound/envelope";
import { appendAuditEntry } from "../core/audit/append";
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
type VigilBusEvent = z.infer<typeof VigilEventSchema>;

let store: ReturnType<typeof createStore> | undefined;

/** Appends every event Vigil emits to the hash-chained audit log, once per emission. */
export const handler = lambda(async (event: VigilBusEvent) => {
  const { detail } = event;
  const result = await appendAuditEntry((store ??= createStore({ client: dynamodb, table: resources.table() })), {
    chainId: config().audit.chainId,
    eventId: detail.eventId,
    at: detail.occurredAt,
    kind: event["detail-type"],
    subjectId: detail.id,
    actor: "vigil",
    payload: event,
  });
  if (result.duplicate) {
    logger.info("audit entry already written for this emission", { eventId: detail.eventId, seq: result.entry.seq });
  }
  metrics.addMetric(result.duplicate ? "AuditDuplicatesSkipped" : "AuditEntriesAppended", MetricUnit.Count, 1);
  return { seq: result.entry.seq, duplicate: result.duplicate };
}).use(parser({ schema: VigilEventSchema }));
