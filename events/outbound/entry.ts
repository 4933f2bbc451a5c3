import type { z } from "zod";
import { describeFirstIssue } from "../format-issue";
import type { Built } from "../lazy";
import { type OutboundDetailType, VIGIL_SOURCE } from "./envelope";

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

/**
 * Getters of detail schemas by detail-type: one domain's (anomaly, incident, remediation, replication) or all of
 * them (registry.ts). Getters, so a detail-type's schema is built the first time a detail of it is emitted.
 */
export type DetailCatalogue = { readonly [T in OutboundDetailType]?: () => z.ZodType };

/** The detail-types a catalogue holds. */
export type CatalogueDetailType<C extends DetailCatalogue> = keyof C & OutboundDetailType;

/**
 * Validates a detail against its detail-type's schema in a catalogue and builds the PutEvents entry for it.
 * `Time` is the detail's `occurredAt`: subscribers see event time, not emission time.
 *
 * @throws VigilEventValidationError naming the first invalid field, e.g. `summary: must be one line`
 */
export type EntryBuilder<C extends DetailCatalogue> = <T extends CatalogueDetailType<C>>(detailType: T, detail: z.input<Extract<Built<C>[T], z.ZodType>>) => VigilPutEventsEntry;

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
 * The entry builder of one catalogue. A function that emits one domain's events builds it from that
 * domain's catalogue (e.g. `anomalyEntry`), so its bundle constructs only those zod schemas at load;
 * a detail-type outside the catalogue is refused as `detail-type: not <domain> detail-type`.
 *
 * @param catalogue - the getters of the detail schemas the builder validates against
 * @param domain - the catalogue's name with its article, for error messages: `a Vigil` (the whole registry), `an anomaly`
 */
/* @__NO_SIDE_EFFECTS__ */
export function entryBuilder<C extends DetailCatalogue>(catalogue: C, domain: string): EntryBuilder<C> {
  return (detailType, detail) => {
    const schema: z.ZodType | undefined = Object.hasOwn(catalogue, detailType) ? catalogue[detailType]?.() : undefined;
    if (!schema) throw new VigilEventValidationError(detailType, `detail-type: not ${domain} detail-type`);
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
  };
}
