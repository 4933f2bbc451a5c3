import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { driftedSchemaFiles, renderSchemas, SCHEMAS_DIR, schemaFileName } from "../../events/export-schemas";
import { OUTBOUND_DETAIL_TYPES } from "../../events/outbound";

describe("JSON Schema export", () => {
  it("has one committed schema per outbound detail-type, equal to a fresh export", () => {
    expect(driftedSchemaFiles()).toEqual([]);
    expect([...renderSchemas().keys()].sort()).toEqual(OUTBOUND_DETAIL_TYPES.map(schemaFileName).sort());
  });

  it("is deterministic and ends files with a newline", () => {
    const first = renderSchemas();
    const second = renderSchemas();
    expect([...second]).toEqual([...first]);
    for (const text of first.values()) expect(text.endsWith("}\n")).toBe(true);
  });

  it("names files in kebab case and keeps the domain payload required", () => {
    expect(schemaFileName("Replication RPO Breached")).toBe("replication-rpo-breached.json");
    const schema = JSON.parse(readFileSync(join(SCHEMAS_DIR, "incident-opened.json"), "utf8")) as { required: string[]; title: string };
    expect(schema.title).toBe("vigil / Incident Opened");
    expect(schema.required).toEqual(expect.arrayContaining(["schemaVersion", "id", "eventId", "severity", "summary", "dedupKey", "occurredAt", "links", "incident"]));
  });
});

describe("drift check", () => {
  it("lists edited, missing and stale files", () => {
    const dir = mkdtempSync(join(tmpdir(), "vigil-schemas-"));
    try {
      for (const [name, text] of renderSchemas()) writeFileSync(join(dir, name), text);
      expect(driftedSchemaFiles(dir)).toEqual([]);
      writeFileSync(join(dir, "incident-opened.json"), "{}\n");
      rmSync(join(dir, "anomaly-detected.json"));
      writeFileSync(join(dir, "incident-exploded.json"), "{}\n");
      expect(driftedSchemaFiles(dir)).toEqual(["anomaly-detected.json", "incident-exploded.json", "incident-opened.json"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
