import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { VigilConfig } from "../../core/config/schema";
import { parseConfigJson, validateConfig } from "../../core/config/validate";

let cached: VigilConfig | undefined;

/**
 * The config the function was deployed with: infra validates vigil.config.yaml at deploy and
 * bundles it as JSON next to the handler, named in VIGIL_CONFIG_FILE; the local runtime passes
 * it inline as VIGIL_CONFIG. JSON only, so the YAML parser stays out of the bundle.
 */
export function config(): VigilConfig {
  if (cached) return cached;
  const inline = process.env.VIGIL_CONFIG;
  const file = process.env.VIGIL_CONFIG_FILE;
  // Relative paths are relative to the bundle (LAMBDA_TASK_ROOT), not to the working directory.
  const path = file && resolve(process.env.LAMBDA_TASK_ROOT ?? process.cwd(), file);
  cached = inline ? parseConfigJson(inline, "VIGIL_CONFIG") : path ? parseConfigJson(readFileSync(path, "utf8"), file) : validateConfig({});
  return cached;
}
