import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { isAbsolute, join, relative, resolve } from "node:path";
import { parseConfig } from "../core/config/parse";
import { validateConfig } from "../core/config/validate";
import type { VigilConfig } from "../core/config/schema";

/** Reviewed like code, beside sst.config.ts. */
const SOURCE = "vigil.config.yaml";
/** What functions receive: the validated config as JSON (no YAML parser in their bundles). */
export const BUNDLED_CONFIG = "vigil.config.json";
/** Deploys another file instead of vigil.config.yaml (`VIGIL_CONFIG_SOURCE=configs/prod.yaml npx sst deploy`). */
export const CONFIG_SOURCE_ENV = "VIGIL_CONFIG_SOURCE";

/** The config a deploy ships, and where its bundled JSON is. */
export interface DeployConfig {
  /** The validated config: infra derives the remediator's and the canary's IAM from it. */
  config: VigilConfig;
  /** The JSON to copy into each function, relative to `root` (SST's `copyFiles` takes root-relative paths). */
  bundled: string;
}

/**
 * Validates the app's config at deploy time, so a bad policy fails `sst deploy` with the path of the
 * error instead of every invocation, and writes it as JSON under .sst/ for the bundles. Without a
 * config file, functions run on the defaults (and no remediation policy is granted anything); the
 * defaults are still written, so a deployed function always reads validated JSON and never builds
 * the config schemas at cold start (core/config/validated.ts).
 *
 * @param root - the app's root (`$cli.paths.root`)
 * @param source - the YAML or JSON file; `$VIGIL_CONFIG_SOURCE`, else `<root>/vigil.config.yaml`
 * @throws ConfigError naming the file and the path of the first error
 */
export function deployConfig(root: string, source = process.env[CONFIG_SOURCE_ENV] || SOURCE): DeployConfig {
  const file = isAbsolute(source) ? source : resolve(root, source);
  const config = existsSync(file) ? parseConfig(readFileSync(file, "utf8"), relative(root, file) || file) : validateConfig({});
  const dir = join(root, ".sst", "vigil");
  mkdirSync(dir, { recursive: true });
  const out = join(dir, BUNDLED_CONFIG);
  writeFileSync(out, JSON.stringify(config));
  return { config, bundled: relative(root, out) };
}
