import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { OUTBOUND_DETAIL_SCHEMAS, OUTBOUND_DETAIL_TYPES, type OutboundDetailType, VIGIL_SOURCE } from "./outbound";

/** Where the committed JSON Schemas live. */
export const SCHEMAS_DIR = join(dirname(fileURLToPath(import.meta.url)), "schemas");

/**
 * File name of a detail-type's schema: `Incident Opened` → `incident-opened.json`.
 *
 * @param detailType - a Vigil detail-type
 */
export function schemaFileName(detailType: OutboundDetailType): string {
  return `${detailType.toLowerCase().replace(/[^a-z0-9]+/g, "-")}.json`;
}

const LEADING_KEYS = ["$schema", "$id", "title", "description", "type"];

// Keywords whose value maps field names to schemas: those names sort plainly.
const NAME_MAPS = new Set(["properties", "patternProperties", "$defs"]);

// Sort keys so output does not depend on how the schemas were composed; `$schema`, `title`… read first.
function canonical(value: unknown, isNameMap = false): unknown {
  if (Array.isArray(value)) return value.map((v) => canonical(v));
  if (value === null || typeof value !== "object") return value;
  const keys = Object.keys(value).sort((a, b) => {
    const ia = isNameMap ? -1 : LEADING_KEYS.indexOf(a);
    const ib = isNameMap ? -1 : LEADING_KEYS.indexOf(b);
    if (ia !== -1 || ib !== -1) return (ia === -1 ? Infinity : ia) - (ib === -1 ? Infinity : ib);
    return a < b ? -1 : a > b ? 1 : 0;
  });
  const record = value as Record<string, unknown>;
  return Object.fromEntries(keys.map((k) => [k, canonical(record[k], !isNameMap && NAME_MAPS.has(k))]));
}

/**
 * Renders the JSON Schema (draft 2020-12) of every outbound detail-type, keyed by file name.
 * Rendered as input schemas, so objects stay open to fields added later (changes are additive only).
 * Deterministic: the same schemas always give byte-identical files.
 */
export function renderSchemas(): Map<string, string> {
  const files = new Map<string, string>();
  for (const detailType of OUTBOUND_DETAIL_TYPES) {
    const generated = z.toJSONSchema(OUTBOUND_DETAIL_SCHEMAS[detailType], { target: "draft-2020-12", io: "input" });
    const document = {
      ...generated,
      $id: `https://vigil.dev/schemas/${schemaFileName(detailType)}`,
      title: `${VIGIL_SOURCE} / ${detailType}`,
    };
    files.set(schemaFileName(detailType), `${JSON.stringify(canonical(document), null, 2)}\n`);
  }
  return files;
}

/**
 * Files in `dir` that differ from a fresh render, are missing, or are no longer rendered.
 *
 * @param dir - folder holding the committed schemas
 */
export function driftedSchemaFiles(dir: string = SCHEMAS_DIR): string[] {
  const fresh = renderSchemas();
  const present = readdirSync(dir).filter((f) => f.endsWith(".json"));
  const drifted = [...fresh].filter(([name, text]) => !present.includes(name) || readFileSync(join(dir, name), "utf8") !== text);
  const stale = present.filter((name) => !fresh.has(name));
  return [...drifted.map(([name]) => name), ...stale].sort();
}

function main(args: readonly string[]): number {
  mkdirSync(SCHEMAS_DIR, { recursive: true });
  if (args.includes("--check")) {
    const drifted = driftedSchemaFiles();
    if (drifted.length === 0) return 0;
    console.error(`JSON Schemas out of date (run npm run schemas): ${drifted.map((f) => join("events/schemas", f)).join(", ")}`);
    return 1;
  }
  for (const [name, text] of renderSchemas()) writeFileSync(join(SCHEMAS_DIR, name), text);
  return 0;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = main(process.argv.slice(2));
}
