import { ConfigError } from "./errors";
import type { VigilConfig } from "./schema";

/**
 * The sections of a validated config, every one present once defaults are filled
 * (test/unit/config/validated.test.ts keeps this list equal to ConfigSchema's keys).
 */
export const CONFIG_SECTIONS = ["topology", "grouping", "remediation", "replication", "anomaly", "metricStream", "audit"] as const satisfies readonly (keyof VigilConfig)[];

/**
 * Reads a config that `validateConfig` already produced (the JSON infra writes at deploy, from
 * the same build), without building the zod config schema: a function's cold start does not
 * repeat the deploy's validation. Only the shape is checked, so a file that is not such an
 * output (hand-written, truncated, from another tool) is refused instead of half-read.
 *
 * @param text - JSON text of a validated config
 * @param file - where it came from, for the error message
 * @throws ConfigError when the text is not JSON or lacks a section
 */
export function parseValidatedConfigJson(text: string, file: string): VigilConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(file, "", `not valid JSON: ${(error as Error).message}`);
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new ConfigError(file, "", "not a validated config: expected a JSON object");
  const missing = CONFIG_SECTIONS.find((s) => typeof (raw as Record<string, unknown>)[s] !== "object" || (raw as Record<string, unknown>)[s] === null);
  if (missing) throw new ConfigError(file, missing, "missing: not a validated config (deploys write one with every section)");
  return raw as VigilConfig;
}
