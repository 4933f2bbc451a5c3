import { parse as parseYaml } from "yaml";
import type { VigilConfig } from "./schema";
import { ConfigError, validateConfig } from "./validate";
import { TopologySchema } from "../grouping/topology-schema";

/**
 * Parses and validates a config (YAML, or JSON which YAML accepts). A config is accepted or
 * rejected whole; the error names the path of the first problem.
 */
export function parseConfig(text: string, file = "vigil.config.yaml"): VigilConfig {
  let raw: unknown;
  try {
    raw = text.trim() === "" ? {} : parseYaml(text);
  } catch (error) {
    throw new ConfigError(file, "", `not valid YAML or JSON: ${(error as Error).message.split("\n")[0]}`);
  }
  return validateConfig(raw, file);
}

/**
 * The config with its topology replaced by a separate file (`--topology`, e.g. a CMDB export),
 * validated like the section it replaces.
 */
export function withTopology(config: VigilConfig, text: string, file: string): VigilConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(file, "", `not valid JSON: ${(error as Error).message}`);
  }
  const result = TopologySchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new ConfigError(file, issue.path.join("."), issue.message);
  }
  return { ...config, topology: result.data };
}

/** The config a user gets with no file at all. */
export const defaultConfig = (): VigilConfig => parseConfig("");
