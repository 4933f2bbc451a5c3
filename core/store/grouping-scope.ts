import { Entity } from "electrodb";
import { INDEX_NAMES, KEY_FIELDS, MODEL_VERSION, SERVICE_NAME } from "./table";

/** Value of `due` on scopes with a deadline: the one partition of the `byDue` index the timer queries. */
export const DUE_PARTITION = "due";

/** Width of `dueAtKey`: epoch milliseconds zero-padded so the index sorts them as numbers. */
export const DUE_KEY_DIGITS = 15;

/**
 * The alert grouper's state for one correlation scope (the accounts the topology links, or one account: core/grouping/correlation-scopes.ts): the engine's `GroupingState` as JSON,
 * and the outbox of writes and pages it decided but has not applied yet. One item per scope (with parts when its text outgrows
 * one item), written with a conditional put on `version` (optimistic concurrency). Scopes with a deadline (a page, a pending group's
 * verdict, a resolve) carry `due`/`dueAtKey`, so the incident timer finds them with one Query.
 */
export const groupingScopeSchema = {
  model: { entity: "groupingScope", version: MODEL_VERSION, service: SERVICE_NAME },
  attributes: {
    scopeId: { type: "string", required: true },
    /** `GroupingState` as JSON; absent when it spilled into the part set (core/store/scope-parts.ts). */
    state: { type: "string" },
    /** JSON of the decided but not yet applied writes and pages (`ScopeOutbox`, core/grouping/scope-step.ts); "" when none. */
    outbox: { type: "string" },
    /** JSON of the alert records not yet written as an alert page (`PageBuffer`); readers read it beside the pages. */
    pageBuffer: { type: "string" },
    /** JSON of incident id → digest of the Incident item last written (or in the outbox), so an unchanged one is not rewritten. */
    incidentDigests: { type: "string" },
    /**
     * `<version>.<digest>` of the groupingScopePart items holding the text attributes this item lacks, when they did not
     * fit one item (core/store/scope-parts.ts); absent otherwise. An attribute present here wins over its spilled copy,
     * so emptying the outbox in place works either way.
     */
    partSet: { type: "string" },
    /** How many parts `partSet` has. */
    parts: { type: "number" },
    /** Set to `due` while the scope has a deadline; absent otherwise (sparse index). */
    due: { type: "string" },
    /** The earliest deadline, zero-padded epoch ms. */
    dueAtKey: { type: "string" },
    updatedAt: { type: "string", required: true },
    version: { type: "number", required: true },
  },
  indexes: {
    byScope: {
      pk: { field: KEY_FIELDS.pk, composite: ["scopeId"] },
      sk: { field: KEY_FIELDS.sk, composite: [] },
    },
    byDue: {
      index: INDEX_NAMES.byLookup,
      condition: (item: { due?: string }) => item.due !== undefined,
      pk: { field: KEY_FIELDS.gsi2pk, composite: ["due"] },
      // Only `dueAtKey`: ElectroDB demands every composite of a conditional index on each write, and
      // `scopeId` is on every write, due or not. GSI keys need not be unique.
      sk: { field: KEY_FIELDS.gsi2sk, composite: ["dueAtKey"] },
    },
  },
} as const;

/** Unbound entity, for types and key layout; `createStore` binds a fresh one to a table. Pure, so bundles drop it (building one runs ElectroDB's validation at load). */
export const GroupingScopeEntity = /* @__PURE__ */ new Entity(groupingScopeSchema);
