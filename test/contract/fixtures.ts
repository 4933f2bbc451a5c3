import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";

/** The shared AWS sample events (read-only, outside the repo). */
export const FIXTURES_DIR = resolve(process.cwd(), "../shared/fixtures");
export const fixturesPresent = existsSync(FIXTURES_DIR);
export const MISSING_FIXTURES = `fixtures not found at ${FIXTURES_DIR} (../shared/fixtures): contract tests skipped`;

/** File names in one fixture family folder, sorted; empty when the folder is absent. */
export function fixtureFiles(family: string): string[] {
  const dir = join(FIXTURES_DIR, family);
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

/** A fixture's text. */
export function fixtureText(relativePath: string): string {
  return readFileSync(join(FIXTURES_DIR, relativePath), "utf8");
}

/** A fixture parsed as JSON. */
export function fixtureJson(relativePath: string): unknown {
  return JSON.parse(fixtureText(relativePath));
}
