import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { defaultConfig, parseConfig, type VigilConfig } from "../../core/config";

let cached: VigilConfig | undefined;

/**
 * The config the function was deployed with: infra bundles vigil.config.yaml next to the
 * handler and names it in VIGIL_CONFIG_FILE; the local runtime passes it inline as VIGIL_CONFIG.
 */
export function config(): VigilConfig {
  if (cached) return cached;
  const inline = process.env.VIGIL_CONFIG;
  const file = process.env.VIGIL_CONFIG_FILE;
  // Relative paths are relative to the bundle (LAMBDA_TASK_ROOT), not to the working directory.
  const path = file && resolve(process.env.LAMBDA_TASK_ROOT ?? process.cwd(), file);
  cached = inline ? parseConfig(inline, "VIGIL_CONFIG") : path ? parseConfig(readFileSync(path, "utf8"), file) : defaultConfig();
  return cached;
}
