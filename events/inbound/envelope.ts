import * as z from "zod";

/**
 * An EventBridge event, any source: the same fields and checks as Powertools' `EventBridgeSchema`
 * (`@aws-lambda-powertools/parser/schemas`), declared here because that module's index builds every
 * Powertools schema with zod's whole namespace, about 450 KB in each bundle that imports it.
 */
export const EventBridgeSchema = z.object({
  version: z.string(),
  id: z.string(),
  source: z.string(),
  account: z.string(),
  time: z.iso.datetime(),
  region: z.string(),
  resources: z.array(z.string()),
  "detail-type": z.string(),
  detail: z.unknown(),
  "replay-name": z.string().optional(),
});
export type EventBridgeEvent = z.infer<typeof EventBridgeSchema>;

/**
 * Builds the schema of one EventBridge event: the envelope with `source`
 * and `detail-type` pinned and `detail` replaced by the given detail schema.
 *
 * @param source - exact `source`, or a schema for it (CloudTrail events carry the service's source)
 * @param detailTypes - the `detail-type` values that share this detail shape
 * @param detail - schema of `detail`
 */
// No side effects: an event schema a bundle never reads is not built at load.
/* @__NO_SIDE_EFFECTS__ */
export function eventBridgeEvent<
  const DT extends readonly [string, ...string[]],
  S extends z.ZodType<string>,
  D extends z.ZodType,
>(source: S, detailTypes: DT, detail: D) {
  return EventBridgeSchema.extend({
    source,
    "detail-type": z.enum(detailTypes),
    detail,
  });
}

/** A timestamp as AWS writes it in details; formats vary by service (ISO 8601, `+0000` offsets, RFC 1123), so only non-emptiness is checked. */
export const AwsTimestamp = z.string().min(1);
