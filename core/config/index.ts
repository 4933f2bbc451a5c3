export { ConfigSchema, type VigilConfig } from "./schema";
export { ConfigError, parseConfig, defaultConfig } from "./parse";
