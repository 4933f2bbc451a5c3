import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

/** Real AWS sample events (read-only, outside the repo). */
export const FIXTURES_DIR = resolve(process.cwd(), "../shared/fixtures");
export const fixturesPresent = existsSync(FIXTURES_DIR);
export const MISSING_FIXTURES = `fixtures not found at ${FIXTURES_DIR} (../shared/fixtures): skipped`;

/** Recorded alert storms with topology (read-only, outside the repo). */
export const SCENARIOS_DIR = resolve(process.cwd(), "../shared/scenarios");
export const scenariosPresent = existsSync(SCENARIOS_DIR);
export const MISSING_SCENARIOS = `scenarios not found at ${SCENARIOS_DIR} (../shared/scenarios): skipped`;

/** JSON files in one fixture family, sorted; empty when absent. */
export function fixtureFiles(family: string): string[] {
  const dir = join(FIXTURES_DIR, family);
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".json")).sort() : [];
}

/** One fixture, parsed. */
export function fixture(family: string, file: string): unknown {
  return JSON.parse(readFileSync(join(FIXTURES_DIR, family, file), "utf8"));
}

/** Scenario folder names that hold a topology and events, sorted. */
export function scenarioNames(): string[] {
  if (!scenariosPresent) return [];
  return readdirSync(SCENARIOS_DIR)
    .filter((d) => existsSync(join(SCENARIOS_DIR, d, "topology.json")) && existsSync(join(SCENARIOS_DIR, d, "events.jsonl")))
    .sort();
}

/** A scenario's raw topology JSON. */
export function scenarioTopology(name: string): unknown {
  return JSON.parse(readFileSync(join(SCENARIOS_DIR, name, "topology.json"), "utf8"));
}

/** A scenario's events in delivery order. */
export function scenarioEvents(name: string): Record<string, unknown>[] {
  return readFileSync(join(SCENARIOS_DIR, name, "events.jsonl"), "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
