export { ConfigSchema, type VigilConfig } from "./schema";
export { ConfigError, parseConfig, defaultConfig, withTopology } from "./parse";
