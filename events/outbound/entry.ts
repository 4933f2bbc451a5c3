import type { z } from "zod";
import { describeFirstIssue } from "../format-issue";
import { OUTBOUND_DETAIL_TYPES, type OutboundDetailType, VIGIL_SOURCE } from "./envelope";
import { OUTBOUND_DETAIL_SCHEMAS, type OutboundDetailInput } from "./registry";

/** A detail Vigil was about to emit does not match its detail-type's schema. */
export class VigilEventValidationError extends Error {
  override readonly name = "VigilEventValidationError";
  readonly code = "events.invalid_detail";

  constructor(
    readonly detailType: string,
    readonly issue: string,
  ) {
    super(`invalid "${detailType}" detail: ${issue}`);
  }
}

/** A PutEvents entry for the ops bus (the bus name is added by the publisher). */
export interface VigilPutEventsEntry {
  Source: typeof VIGIL_SOURCE;
  DetailType: OutboundDetailType;
  Detail: string;
  Resources?: string[];
  Time: Date;
}

function isOutboundDetailType(value: string): value is OutboundDetailType {
  return (OUTBOUND_DETAIL_TYPES as readonly string[]).includes(value);
}

// ARNs of the resources an event is about, so subscribers can filter on `resources`.
function resourceArns(detail: Record<string, unknown>): string[] {
  const refs: unknown[] = [];
  for (const payload of [detail.remediation, detail.replication]) {
    if (typeof payload === "object" && payload !== null) {
      const p = payload as { resource?: unknown; replica?: unknown };
      refs.push(p.resource, p.replica);
    }
  }
  return refs.flatMap((r) => {
    const id = (r as { id?: unknown } | undefined)?.id;
    return typeof id === "string" && id.startsWith("arn:") ? [id] : [];
  });
}

/**
 * Validates a detail against its detail-type's schema and builds the PutEvents entry for it.
 * `Time` is the detail's `occurredAt`: subscribers see event time, not emission time.
 *
 * @param detailType - one of Vigil's detail-types
 * @param detail - the detail to emit
 * @throws VigilEventValidationError naming the first invalid field, e.g. `summary: must be one line`
 */
export function vigilEntry<T extends OutboundDetailType>(detailType: T, detail: OutboundDetailInput<T>): VigilPutEventsEntry {
  if (!isOutboundDetailType(detailType)) throw new VigilEventValidationError(detailType, "detail-type: not a Vigil detail-type");
  const schema: z.ZodType = OUTBOUND_DETAIL_SCHEMAS[detailType];
  const parsed = schema.safeParse(detail);
  if (!parsed.success) throw new VigilEventValidationError(detailType, describeFirstIssue(parsed.error));
  const valid = parsed.data as Record<string, unknown> & { occurredAt: string };
  const resources = resourceArns(valid);
  return {
    Source: VIGIL_SOURCE,
    DetailType: detailType,
    Detail: JSON.stringify(valid),
    ...(resources.length > 0 ? { Resources: resources } : {}),
    Time: new Date(valid.occurredAt),
  };
}
