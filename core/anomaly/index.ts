export * from "./config";
export * from "./detector";
export * from "./errors";
export * from "./serialize";
