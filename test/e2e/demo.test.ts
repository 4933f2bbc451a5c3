import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyStoredChain } from "../../core/audit/append";
import { parseConfig } from "../../core/config";
import { createStore } from "../../core/store/service";
import { VirtualClock } from "../../local/clock";
import { replay, type ReplaySummary } from "../../local/replay";
import { startRuntime, type Runtime } from "../../local/runtime";

const demo = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "demo");
let runtime: Runtime;
let summary: ReplaySummary;

beforeAll(async () => {
  const config = parseConfig(readFileSync(join(demo, "vigil.config.yaml"), "utf8"));
  runtime = await startRuntime({ config, clock: new VirtualClock(0) });
  summary = await replay(runtime, { files: [join(demo, "storm.jsonl"), join(demo, "metrics.jsonl")] });
}, 120_000);
afterAll(async () => runtime?.close());

describe("the demo storm (npm start)", () => {
  it("replays every line without a problem", () => {
    const lines = (f: string) => readFileSync(join(demo, f), "utf8").trim().split("\n").length;
    expect(summary.skipped).toEqual([]);
    expect(summary.events).toBe(lines("storm.jsonl"));
    expect(summary.metrics).toBe(lines("metrics.jsonl"));
  });

  it("forwards every AWS event it consumes from the default bus to the ops bus", () => {
    const consumed = runtime.bus.accepted.filter((a) => a.busName === "default").length;
    expect(runtime.deliveries.get("ops-bus")).toBe(consumed);
  });

  it("leaves an intact audit chain", async () => {
    const report = await verifyStoredChain(createStore({ client: runtime.dynamodb, table: runtime.names.table }), "vigil");
    expect(report.ok).toBe(true);
  });
});
