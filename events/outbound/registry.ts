import type { z } from "zod";
import { ANOMALY_DETAIL_SCHEMAS, AnomalyDetectedDetailSchema } from "./anomaly";
import { entryBuilder } from "./entry";
import { type OutboundDetailType, vigilEventSchema } from "./envelope";
import { INCIDENT_DETAIL_SCHEMAS, IncidentOpenedDetailSchema, IncidentResolvedDetailSchema, IncidentUpdatedDetailSchema } from "./incident";
import {
  REMEDIATION_DETAIL_SCHEMAS,
  RemediationApprovedDetailSchema,
  RemediationExecutedDetailSchema,
  RemediationFailedDetailSchema,
  RemediationPlannedDetailSchema,
  RemediationSkippedDetailSchema,
} from "./remediation";
import { REPLICATION_DETAIL_SCHEMAS, ReplicationRpoBreachedDetailSchema, ReplicationRpoRestoredDetailSchema } from "./replication";

/**
 * The detail schema of every detail-type Vigil emits: the domains' catalogues together. A function
 * that emits one domain's events imports that domain's entry builder instead (e.g. `remediationEntry`),
 * so its bundle does not construct the other domains' schemas at load.
 */
export const OUTBOUND_DETAIL_SCHEMAS = {
  ...ANOMALY_DETAIL_SCHEMAS,
  ...INCIDENT_DETAIL_SCHEMAS,
  ...REMEDIATION_DETAIL_SCHEMAS,
  ...REPLICATION_DETAIL_SCHEMAS,
} as const satisfies Record<OutboundDetailType, z.ZodType>;

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
export const vigilEntry = entryBuilder(OUTBOUND_DETAIL_SCHEMAS, "a Vigil");

/** The full EventBridge event of each detail-type, as subscribers receive it. */
export const VIGIL_EVENT_SCHEMAS = {
  "Anomaly Detected": vigilEventSchema("Anomaly Detected", AnomalyDetectedDetailSchema),
  "Incident Opened": vigilEventSchema("Incident Opened", IncidentOpenedDetailSchema),
  "Incident Updated": vigilEventSchema("Incident Updated", IncidentUpdatedDetailSchema),
  "Incident Resolved": vigilEventSchema("Incident Resolved", IncidentResolvedDetailSchema),
  "Remediation Planned": vigilEventSchema("Remediation Planned", RemediationPlannedDetailSchema),
  "Remediation Approved": vigilEventSchema("Remediation Approved", RemediationApprovedDetailSchema),
  "Remediation Executed": vigilEventSchema("Remediation Executed", RemediationExecutedDetailSchema),
  "Remediation Failed": vigilEventSchema("Remediation Failed", RemediationFailedDetailSchema),
  "Remediation Skipped": vigilEventSchema("Remediation Skipped", RemediationSkippedDetailSchema),
  "Replication RPO Breached": vigilEventSchema("Replication RPO Breached", ReplicationRpoBreachedDetailSchema),
  "Replication RPO Restored": vigilEventSchema("Replication RPO Restored", ReplicationRpoRestoredDetailSchema),
} as const satisfies Record<OutboundDetailType, z.ZodType>;

/** Any event Vigil emits, as an EventBridge event; narrow on `detail-type`. */
export type VigilEvent = { [T in OutboundDetailType]: z.infer<(typeof VIGIL_EVENT_SCHEMAS)[T]> }[OutboundDetailType];
