import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { VigilConfig } from "../../core/config/schema";
import { ConfigError } from "../../core/config/errors";
import { parseValidatedConfigJson } from "../../core/config/validated";

// Deployed functions read the JSON infra validated at deploy (VIGIL_CONFIG_FILE) and never build
// the zod config schema; only a function without that file (the local runtime, tests, a deploy
// with no vigil.config.yaml) loads the validator, and loads it here at import, not in an invocation.
const validator = process.env.VIGIL_CONFIG_FILE ? undefined : await import("../../core/config/validate");

let cached: VigilConfig | undefined;

/**
 * The config the function was deployed with: infra validates vigil.config.yaml at deploy and
 * bundles the result as JSON next to the handler, named in VIGIL_CONFIG_FILE, which is read
 * without validating it again; the local runtime passes a config inline as VIGIL_CONFIG, which
 * is validated. JSON only, so the YAML parser stays out of the bundle.
 */
export function config(): VigilConfig {
  if (cached) return cached;
  const file = process.env.VIGIL_CONFIG_FILE;
  if (file) {
    // Relative paths are relative to the bundle (LAMBDA_TASK_ROOT), not to the working directory.
    cached = parseValidatedConfigJson(readFileSync(resolve(process.env.LAMBDA_TASK_ROOT ?? process.cwd(), file), "utf8"), file);
    return cached;
  }
  const { parseConfigJson, validateConfig } = validator ?? missingValidator();
  const inline = process.env.VIGIL_CONFIG;
  cached = inline ? parseConfigJson(inline, "VIGIL_CONFIG") : validateConfig({});
  return cached;
}

function missingValidator(): never {
  throw new ConfigError("VIGIL_CONFIG_FILE", "", "was set when the function loaded and unset before config() ran, so no validator was loaded for VIGIL_CONFIG");
}
