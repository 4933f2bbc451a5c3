import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultConfig } from "../../core/config";
import { listIncidentsByStatus } from "../../core/store/queries";
import { createStore } from "../../core/store/service";
import { startRuntime } from "../../local/runtime";

const STORM = resolve(process.cwd(), "../shared/scenarios/small-1");
const vigil = join(process.cwd(), "bin", "vigil.mjs");

describe.skipIf(!existsSync(STORM))(`vigil replay --assignments (needs ${STORM})`, () => {
  it("writes one assignment per input event in input order, for incidents it persisted", async () => {
    const data = mkdtempSync(join(tmpdir(), "vigil-grouping-e2e-"));
    const out = join(data, "assignments.jsonl");
    const replayed = spawnSync(process.execPath, [vigil, "replay", join(STORM, "events.jsonl"), "--topology", join(STORM, "topology.json"), "--data", data, "--assignments", out], {
      encoding: "utf8",
      timeout: 600_000,
      env: { ...process.env, POWERTOOLS_LOG_LEVEL: "ERROR" },
    });
    expect(replayed.status, replayed.stderr).toBe(0);
    expect(replayed.stdout).toMatch(/Grouping: \d+ alert\(s\) stored with \d+ DynamoDB item write\(s\)/);

    const inputIds = readFileSync(join(STORM, "events.jsonl"), "utf8").split("\n").filter((l) => l.trim() !== "").map((l) => (JSON.parse(l) as { id: string }).id);
    const lines = readFileSync(out, "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.eventId)).toEqual(inputIds);
    expect(lines.every((l) => Object.keys(l).sort().join() === "eventId,incidentId" && (l.incidentId === null || typeof l.incidentId === "string"))).toBe(true);
    const assigned = new Set(lines.flatMap((l) => (typeof l.incidentId === "string" ? [l.incidentId] : [])));
    expect(assigned.size).toBeGreaterThan(0);
    expect(lines.some((l) => l.incidentId === null)).toBe(true);

    const runtime = await startRuntime({ config: defaultConfig(), dataDir: data });
    try {
      const store = createStore({ client: runtime.dynamodb, table: runtime.names.table });
      const stored = new Set([...(await listIncidentsByStatus(store, "open")), ...(await listIncidentsByStatus(store, "resolved"))].map((i) => i.incidentId));
      for (const id of assigned) expect(stored.has(id), `incident ${id} persisted`).toBe(true);
    } finally {
      await runtime.close();
    }
  }, 600_000);
});
