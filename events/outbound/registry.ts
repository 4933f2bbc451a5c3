import type { z } from "zod";
import { ANOMALY_DETAIL_SCHEMA_GETTERS } from "./anomaly";
import { buildAll, lazily } from "../lazy";
import { entryBuilder } from "./entry";
import { type OutboundDetailType, vigilEventSchema } from "./envelope";
import { INCIDENT_DETAIL_SCHEMA_GETTERS } from "./incident";
import { REMEDIATION_DETAIL_SCHEMA_GETTERS } from "./remediation";
import { REPLICATION_DETAIL_SCHEMA_GETTERS } from "./replication";

/**
 * The getter of the detail schema of every detail-type Vigil emits: the domains' catalogues together. A function
 * that emits one domain's events imports that domain's entry builder instead (e.g. `remediationEntry`),
 * so its bundle does not construct the other domains' schemas at load.
 */
export const OUTBOUND_DETAIL_SCHEMA_GETTERS = {
  ...ANOMALY_DETAIL_SCHEMA_GETTERS,
  ...INCIDENT_DETAIL_SCHEMA_GETTERS,
  ...REMEDIATION_DETAIL_SCHEMA_GETTERS,
  ...REPLICATION_DETAIL_SCHEMA_GETTERS,
} as const satisfies Record<OutboundDetailType, () => z.ZodType>;

/** The detail schema of every detail-type Vigil emits, every one built (where this export is used). */
export const OUTBOUND_DETAIL_SCHEMAS = /* @__PURE__ */ buildAll(OUTBOUND_DETAIL_SCHEMA_GETTERS);

type DetailSchemas = typeof OUTBOUND_DETAIL_SCHEMAS;

/** The detail of one detail-type, as parsed. */
export type OutboundDetail<T extends OutboundDetailType> = z.infer<DetailSchemas[T]>;
/** The detail of one detail-type, as a producer writes it (before defaults). */
export type OutboundDetailInput<T extends OutboundDetailType> = z.input<DetailSchemas[T]>;

/**
 * Validates a detail against its detail-type's schema and builds the PutEvents entry for it.
 * `Time` is the detail's `occurredAt`: subscribers see event time, not emission time.
 *
 * @param detailType - one of Vigil's detail-types
 * @param detail - the detail to emit
 * @throws VigilEventValidationError naming the first invalid field, e.g. `summary: must be one line`
 */
export const vigilEntry = entryBuilder(OUTBOUND_DETAIL_SCHEMA_GETTERS, "a Vigil");

/**
 * The full EventBridge event of each detail-type, as subscribers receive it, built the first time it is
 * asked for (events/lazy.ts): a consumer's batch holds few detail-types, so only those are built.
 */
export const VIGIL_EVENT_SCHEMA_GETTERS = {
  "Anomaly Detected": lazily(() => vigilEventSchema("Anomaly Detected", OUTBOUND_DETAIL_SCHEMA_GETTERS["Anomaly Detected"]())),
  "Incident Opened": lazily(() => vigilEventSchema("Incident Opened", OUTBOUND_DETAIL_SCHEMA_GETTERS["Incident Opened"]())),
  "Incident Updated": lazily(() => vigilEventSchema("Incident Updated", OUTBOUND_DETAIL_SCHEMA_GETTERS["Incident Updated"]())),
  "Incident Resolved": lazily(() => vigilEventSchema("Incident Resolved", OUTBOUND_DETAIL_SCHEMA_GETTERS["Incident Resolved"]())),
  "Remediation Planned": lazily(() => vigilEventSchema("Remediation Planned", OUTBOUND_DETAIL_SCHEMA_GETTERS["Remediation Planned"]())),
  "Remediation Approved": lazily(() => vigilEventSchema("Remediation Approved", OUTBOUND_DETAIL_SCHEMA_GETTERS["Remediation Approved"]())),
  "Remediation Executed": lazily(() => vigilEventSchema("Remediation Executed", OUTBOUND_DETAIL_SCHEMA_GETTERS["Remediation Executed"]())),
  "Remediation Failed": lazily(() => vigilEventSchema("Remediation Failed", OUTBOUND_DETAIL_SCHEMA_GETTERS["Remediation Failed"]())),
  "Remediation Skipped": lazily(() => vigilEventSchema("Remediation Skipped", OUTBOUND_DETAIL_SCHEMA_GETTERS["Remediation Skipped"]())),
  "Replication RPO Breached": lazily(() => vigilEventSchema("Replication RPO Breached", OUTBOUND_DETAIL_SCHEMA_GETTERS["Replication RPO Breached"]())),
  "Replication RPO Restored": lazily(() => vigilEventSchema("Replication RPO Restored", OUTBOUND_DETAIL_SCHEMA_GETTERS["Replication RPO Restored"]())),
} as const satisfies Record<OutboundDetailType, () => z.ZodType>;

/** The full EventBridge event of each detail-type, every one built (where this export is used). */
export const VIGIL_EVENT_SCHEMAS = /* @__PURE__ */ buildAll(VIGIL_EVENT_SCHEMA_GETTERS);

/** Any event Vigil emits, as an EventBridge event; narrow on `detail-type`. */
export type VigilEvent = { [T in OutboundDetailType]: z.infer<(typeof VIGIL_EVENT_SCHEMAS)[T]> }[OutboundDetailType];
