import type { z } from "zod";
import { AnomalyDetectedDetailSchema } from "./anomaly";
import { type OutboundDetailType, vigilEventSchema } from "./envelope";
import { IncidentOpenedDetailSchema, IncidentResolvedDetailSchema, IncidentUpdatedDetailSchema } from "./incident";
import {
  RemediationApprovedDetailSchema,
  RemediationExecutedDetailSchema,
  RemediationFailedDetailSchema,
  RemediationPlannedDetailSchema,
  RemediationSkippedDetailSchema,
} from "./remediation";
import { ReplicationRpoBreachedDetailSchema, ReplicationRpoRestoredDetailSchema } from "./replication";

/** The detail schema of every detail-type Vigil emits. */
export const OUTBOUND_DETAIL_SCHEMAS = {
  "Anomaly Detected": AnomalyDetectedDetailSchema,
  "Incident Opened": IncidentOpenedDetailSchema,
  "Incident Updated": IncidentUpdatedDetailSchema,
  "Incident Resolved": IncidentResolvedDetailSchema,
  "Remediation Planned": RemediationPlannedDetailSchema,
  "Remediation Approved": RemediationApprovedDetailSchema,
  "Remediation Executed": RemediationExecutedDetailSchema,
  "Remediation Failed": RemediationFailedDetailSchema,
  "Remediation Skipped": RemediationSkippedDetailSchema,
  "Replication RPO Breached": ReplicationRpoBreachedDetailSchema,
  "Replication RPO Restored": ReplicationRpoRestoredDetailSchema,
} as const satisfies Record<OutboundDetailType, z.ZodType>;

type DetailSchemas = typeof OUTBOUND_DETAIL_SCHEMAS;

/** The detail of one detail-type, as parsed. */
export type OutboundDetail<T extends OutboundDetailType> = z.infer<DetailSchemas[T]>;
/** The detail of one detail-type, as a producer writes it (before defaults). */
export type OutboundDetailInput<T extends OutboundDetailType> = z.input<DetailSchemas[T]>;

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
