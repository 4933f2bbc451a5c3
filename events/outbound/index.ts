/** Vigil's outbound contract: every event it emits on the ops bus, source `vigil`. */
export * from "./anomaly";
export * from "./envelope";
export * from "./incident";
export * from "./remediation";
export * from "./replication";
export * from "./registry";
export { entryBuilder, VigilEventValidationError, type CatalogueDetailType, type DetailCatalogue, type EntryBuilder, type VigilPutEventsEntry } from "./entry";
