import * as z from "zod";
import { detailBaseSchemas } from "./envelope";
import { buildAll, lazily, pick } from "../lazy";
import { entryBuilder } from "./entry";

// Fresh field schemas get their description with `.register(z.globalRegistry, …)`, not `.describe()`,
// which clones: the same JSON Schema, one schema construction fewer per field at every cold start.

/** Builds the schemas below on first call, once (events/lazy.ts): the first detail of the domain emitted or received calls it. */
export const incidentSchemas = lazily(() => {
  const { DetailBaseSchema, UtcTimestamp } = detailBaseSchemas();
  const PrioritySchema = z.enum(["P1", "P2", "P3", "P4", "P5"]).register(z.globalRegistry, { description: "Priority, P1 most urgent." });
  const IncidentPayloadSchema = z
    .object({
      /** Stable incident id (same as the detail's `id`). */
      incidentId: z.string().min(1).register(z.globalRegistry, { description: "Stable incident id (same as the detail's id)." }),
      /** Lifecycle status. */
      status: z.enum(["open", "resolved"]).register(z.globalRegistry, { description: "Lifecycle status." }),
      /** Title for humans. */
      title: z.string().min(1).max(1024).register(z.globalRegistry, { description: "Title for humans." }),
      /** Priority. */
      priority: PrioritySchema,
      /** Service (from the topology) the alerts belong to. */
      service: z.string().min(1).optional().register(z.globalRegistry, { description: "Service, from the topology, the alerts belong to." }),
      /** Service the grouper believes is the root cause, when topology says so. */
      rootCauseService: z.string().min(1).optional().register(z.globalRegistry, { description: "Service believed to be the root cause." }),
      /** How many alerts the incident holds. */
      alertCount: z.number().int().min(1).register(z.globalRegistry, { description: "How many alerts the incident holds." }),
      /** Fingerprints of the grouped alerts. */
      fingerprints: z.array(z.string().min(1)).optional().register(z.globalRegistry, { description: "Fingerprints of the grouped alerts." }),
      /** Event time of the first alert. */
      firstSeen: UtcTimestamp.describe("Event time of the first alert."),
      /** Event time of the latest alert. */
      lastSeen: UtcTimestamp.describe("Event time of the latest alert."),
      /** When it was resolved. */
      resolvedAt: UtcTimestamp.optional().register(z.globalRegistry, { description: "When it was resolved." }),
      /** PagerDuty `component`: the part of the system at fault. */
      component: z.string().min(1).optional().register(z.globalRegistry, { description: "PagerDuty component: the part of the system at fault." }),
      /** PagerDuty `group`: a logical grouping of components. */
      group: z.string().min(1).optional().register(z.globalRegistry, { description: "PagerDuty group: a logical grouping of components." }),
      /** PagerDuty `class`: the class or type of the event. */
      class: z.string().min(1).optional().register(z.globalRegistry, { description: "PagerDuty class: the class or type of the event." }),
    })
    .register(z.globalRegistry, { description: "An incident: correlated alerts grouped together." });
  const IncidentOpenedDetailSchema = DetailBaseSchema.extend({
    incident: IncidentPayloadSchema.extend({ status: z.literal("open").register(z.globalRegistry, { description: "Always open." }) }),
  }).register(z.globalRegistry, { description: "Vigil 'Incident Opened': a new incident." });
  const IncidentUpdatedDetailSchema = DetailBaseSchema.extend({ incident: IncidentPayloadSchema }).register(z.globalRegistry, { description: "Vigil 'Incident Updated': alerts added, or priority or root cause changed.", });
  const IncidentResolvedDetailSchema = DetailBaseSchema.extend({
    incident: IncidentPayloadSchema.extend({
      status: z.literal("resolved").register(z.globalRegistry, { description: "Always resolved." }),
      resolvedAt: UtcTimestamp.describe("When it was resolved."),
    }),
  }).register(z.globalRegistry, { description: "Vigil 'Incident Resolved': the incident is over." });
  return { PrioritySchema, IncidentPayloadSchema, IncidentOpenedDetailSchema, IncidentUpdatedDetailSchema, IncidentResolvedDetailSchema };
});

/** Incident priority, P1 most urgent. */
export const PrioritySchema = /* @__PURE__ */ pick(incidentSchemas, "PrioritySchema");
/** An incident: correlated alerts grouped by the alert grouper. */
export const IncidentPayloadSchema = /* @__PURE__ */ pick(incidentSchemas, "IncidentPayloadSchema");
export type IncidentPayload = z.infer<typeof IncidentPayloadSchema>;
/** `Incident Opened`: the first alert of a new group arrived. */
export const IncidentOpenedDetailSchema = /* @__PURE__ */ pick(incidentSchemas, "IncidentOpenedDetailSchema");
export type IncidentOpenedDetail = z.infer<typeof IncidentOpenedDetailSchema>;
/** `Incident Updated`: alerts were added, or priority or root cause changed. */
export const IncidentUpdatedDetailSchema = /* @__PURE__ */ pick(incidentSchemas, "IncidentUpdatedDetailSchema");
export type IncidentUpdatedDetail = z.infer<typeof IncidentUpdatedDetailSchema>;
/** `Incident Resolved`: every alert of the incident cleared, or it was resolved by hand. */
export const IncidentResolvedDetailSchema = /* @__PURE__ */ pick(incidentSchemas, "IncidentResolvedDetailSchema");
export type IncidentResolvedDetail = z.infer<typeof IncidentResolvedDetailSchema>;

/** The getter of each of the domain's detail schemas (events/lazy.ts), for the entry builder and the registry. */
export const INCIDENT_DETAIL_SCHEMA_GETTERS = {
  "Incident Opened": () => incidentSchemas().IncidentOpenedDetailSchema,
  "Incident Updated": () => incidentSchemas().IncidentUpdatedDetailSchema,
  "Incident Resolved": () => incidentSchemas().IncidentResolvedDetailSchema,
} as const;

/** The incident detail-types and their schemas. */
export const INCIDENT_DETAIL_SCHEMAS = /* @__PURE__ */ buildAll(INCIDENT_DETAIL_SCHEMA_GETTERS);

/** Validates an incident detail and builds its PutEvents entry, building no other domain's schemas (see {@link entryBuilder}). */
export const incidentEntry = entryBuilder(INCIDENT_DETAIL_SCHEMA_GETTERS, "an incident");
