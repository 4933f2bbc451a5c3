import { ConfigError } from "./errors";
import { ConfigSchema, type VigilConfig } from "./schema";

export { ConfigError };

/**
 * Validates a config already parsed from YAML or JSON, filling defaults. Accepted or rejected
 * whole; the error names the path of the first problem. Functions use this one: the YAML
 * parser stays out of their bundles, since infra hands them the config as JSON.
 */
export function validateConfig(raw: unknown, file = "vigil.config.yaml"): VigilConfig {
  const result = ConfigSchema.safeParse(raw ?? {});
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new ConfigError(file, issue.path.join("."), issue.message);
  }
  return result.data;
}

/** A config from JSON text (what infra bundles and the local runtime passes inline). */
export function parseConfigJson(text: string, file: string): VigilConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(file, "", `not valid JSON: ${(error as Error).message}`);
  }
  return validateConfig(raw, file);
}
