export * from "./append";
export * from "./chain";
export * from "./errors";
