import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseConfig } from "../core/config/parse";

/** Reviewed like code, beside sst.config.ts. */
const SOURCE = "vigil.config.yaml";
/** What functions receive: the validated config as JSON (no YAML parser in their bundles). */
export const BUNDLED_CONFIG = "vigil.config.json";

/**
 * Validates vigil.config.yaml at deploy time, so a bad policy fails `sst deploy` with the path of
 * the error instead of every invocation, and writes it as JSON under .sst/ for the bundles.
 * Returns the path to copy into each function, or undefined when the app has no config file
 * (functions then run on the defaults).
 */
export function bundledConfig(root: string): string | undefined {
  const source = join(root, SOURCE);
  if (!existsSync(source)) return undefined;
  const config = parseConfig(readFileSync(source, "utf8"), SOURCE);
  const dir = join(root, ".sst", "vigil");
  mkdirSync(dir, { recursive: true });
  const out = join(dir, BUNDLED_CONFIG);
  writeFileSync(out, JSON.stringify(config));
  return out;
}
