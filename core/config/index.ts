export { ConfigSchema, type VigilConfig } from "./schema";
export { parseConfig, defaultConfig, withTopology } from "./parse";
export { ConfigError, parseConfigJson, validateConfig } from "./validate";
export { CONFIG_SECTIONS, parseValidatedConfigJson } from "./validated";
