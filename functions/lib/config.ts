import { readFileSync } from "node:fs";
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
  cached = inline ? parseConfig(inline, "VIGIL_CONFIG") : file ? parseConfig(readFileSync(file, "utf8"), file) : defaultConfig();
  return cached;
}
