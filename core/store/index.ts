export * from "./errors";
export * from "./queries";
export * from "./series-batch";
export * from "./service";
export * from "./table";
export * from "./versioned";
export { SEQ_KEY_DIGITS } from "./audit-entry";
export { SEVERITIES } from "./alert";
