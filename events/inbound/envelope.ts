import { EventBridgeSchema } from "@aws-lambda-powertools/parser/schemas";
import { z } from "zod";

/**
 * Builds the schema of one EventBridge event: Powertools' envelope with `source`
 * and `detail-type` pinned and `detail` replaced by the given detail schema.
 *
 * @param source - exact `source`, or a schema for it (CloudTrail events carry the service's source)
 * @param detailTypes - the `detail-type` values that share this detail shape
 * @param detail - schema of `detail`
 */
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
