export * from "./canary-probe";
export * from "./config";
export * from "./detail";
export * from "./errors";
export * from "./model";
export * from "./signals";
export * from "./state";
