import * as z from "zod";
import { EventBridgeSchema } from "../inbound/envelope";
import { lazily, pick } from "../lazy";

// Fresh field schemas get their description with `.register(z.globalRegistry, …)`, not `.describe()`,
// which clones: the same JSON Schema, one schema construction fewer per field at every cold start.

/** `source` of every event Vigil emits. */
export const VIGIL_SOURCE = "vigil";

/** Every detail-type Vigil emits; names read as facts. Additive only: a breaking change is a new detail-type or `schemaVersion`. */
export const OUTBOUND_DETAIL_TYPES = [
  "Anomaly Detected",
  "Incident Opened",
  "Incident Updated",
  "Incident Resolved",
  "Remediation Planned",
  "Remediation Approved",
  "Remediation Executed",
  "Remediation Failed",
  "Remediation Skipped",
  "Replication RPO Breached",
  "Replication RPO Restored",
] as const;
export type OutboundDetailType = (typeof OUTBOUND_DETAIL_TYPES)[number];

/** Builds the schemas below on first call, once (events/lazy.ts): the first Vigil detail built, emitted or read, calls it. */
export const detailBaseSchemas = lazily(() => {
  const SeveritySchema = z
    .enum(["critical", "error", "warning", "info"])
    .register(z.globalRegistry, { description: "PagerDuty Events API v2 severity: critical, error, warning or info." });
  const UtcTimestamp = z.iso.datetime().register(z.globalRegistry, { description: "ISO 8601 date-time in UTC, e.g. 2024-05-01T12:00:00.000Z." });
  const LinkSchema = z
    .object({
      /** Absolute URL. */
      href: z.url().register(z.globalRegistry, { description: "Absolute URL." }),
      /** Link text. */
      text: z.string().min(1).register(z.globalRegistry, { description: "Link text." }),
    })
    .register(z.globalRegistry, { description: "A link for humans: runbook, console page, dashboard." });
  const ResourceRefSchema = z
    .object({
      /** ARN where the resource has one, else its id (e.g. an instance id). */
      id: z.string().min(1).register(z.globalRegistry, { description: "ARN where the resource has one, else its id." }),
      /** CloudFormation resource type, e.g. `AWS::S3::Bucket`. */
      type: z.string().min(1).register(z.globalRegistry, { description: "CloudFormation resource type, e.g. AWS::S3::Bucket." }),
      /** Account that owns it. */
      account: z.string().regex(/^\d{12}$/).optional().register(z.globalRegistry, { description: "12-digit account id that owns it." }),
      /** Region it lives in. */
      region: z.string().min(1).optional().register(z.globalRegistry, { description: "Region it lives in." }),
    })
    .register(z.globalRegistry, { description: "An AWS resource." });
  const DetailBaseSchema = z.object({
    /** Version of this detail's shape; bumps only on a breaking change. */
    schemaVersion: z.literal("1").register(z.globalRegistry, { description: "Version of this detail's shape; bumps only on a breaking change." }),
    /** Stable id of the subject (incident id, remediation id, …): the same across all its events. */
    id: z.string().min(1).register(z.globalRegistry, { description: "Stable id of the subject (incident, remediation, replication target, anomaly)." }),
    /** Unique id of this emission; the PutEvents idempotency key downstream. */
    eventId: z.string().min(1).register(z.globalRegistry, { description: "Unique id of this emission; consumers deduplicate on it." }),
    /** How bad it is, in PagerDuty's levels. */
    severity: SeveritySchema,
    /** One line for humans. */
    summary: z
      .string()
      .min(1)
      .max(1024)
      .regex(/^[^\r\n]*$/, "must be one line")
      .register(z.globalRegistry, { description: "One line for humans, at most 1024 characters, no line breaks." }),
    /** Key that groups trigger/resolve pairs downstream (PagerDuty `dedup_key`). */
    dedupKey: z.string().min(1).max(255).register(z.globalRegistry, { description: "Groups trigger and resolve downstream (PagerDuty dedup_key)." }),
    /** When it happened (event time, not emission time). */
    occurredAt: UtcTimestamp.describe("When it happened: event time, not emission time."),
    /** Links for humans. */
    links: z.array(LinkSchema).register(z.globalRegistry, { description: "Links for humans." }),
  });
  return { SeveritySchema, UtcTimestamp, LinkSchema, ResourceRefSchema, DetailBaseSchema };
});

/** PagerDuty's severity levels, so an input transformer can pass `severity` straight through. */
export const SeveritySchema = /* @__PURE__ */ pick(detailBaseSchemas, "SeveritySchema");
export type Severity = z.infer<typeof SeveritySchema>;
/** An ISO 8601 UTC timestamp (`2024-05-01T12:00:00.000Z`). */
export const UtcTimestamp = /* @__PURE__ */ pick(detailBaseSchemas, "UtcTimestamp");
/** A link for humans (runbook, console page, dashboard). */
export const LinkSchema = /* @__PURE__ */ pick(detailBaseSchemas, "LinkSchema");
export type Link = z.infer<typeof LinkSchema>;
/** An AWS resource Vigil acts on or watches. */
export const ResourceRefSchema = /* @__PURE__ */ pick(detailBaseSchemas, "ResourceRefSchema");
export type ResourceRef = z.infer<typeof ResourceRefSchema>;
/** Fields every Vigil detail carries, whatever its detail-type. */
export const DetailBaseSchema = /* @__PURE__ */ pick(detailBaseSchemas, "DetailBaseSchema");
export type DetailBase = z.infer<typeof DetailBaseSchema>;

/**
 * The full EventBridge event of one Vigil detail-type, as a subscriber receives it.
 *
 * @param detailType - the detail-type
 * @param detail - schema of its detail
 */
// No side effects: a bundle that never reads VIGIL_EVENT_SCHEMAS does not build them at load.
/* @__NO_SIDE_EFFECTS__ */
export function vigilEventSchema<const T extends OutboundDetailType, D extends z.ZodType>(detailType: T, detail: D) {
  return EventBridgeSchema.extend({
    source: z.literal(VIGIL_SOURCE),
    "detail-type": z.literal(detailType),
    detail,
  });
}
