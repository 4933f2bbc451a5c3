import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyStoredChain } from "../../core/audit/append";
import { parseConfig } from "../../core/config";
import { createStore } from "../../core/store/service";
import { VirtualClock } from "../../local/clock";
import { demoAccount, demoRemediationModes, launchDemoAccount, type DemoAccount } from "../../local/demo-remediation";
import { motoAvailable } from "../support/moto";
import { replay, type ReplaySummary } from "../../local/replay";
import { startRuntime, type Runtime } from "../../local/runtime";

const demo = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "demo");
let runtime: Runtime;
let summary: ReplaySummary;
let account: DemoAccount | { absent: string } | undefined;
let modes: string[];
const saved = { ...process.env };

beforeAll(async () => {
  const config = parseConfig(readFileSync(join(demo, "vigil.config.yaml"), "utf8"));
  const launch = await launchDemoAccount();
  runtime = await startRuntime({ config, clock: new VirtualClock(0) });
  summary = await replay(runtime, { files: [join(demo, "storm.jsonl"), join(demo, "metrics.jsonl")] });
  account = await demoAccount(launch);
  modes = await demoRemediationModes(runtime, account);
}, 300_000);
afterAll(async () => {
  await runtime?.close();
  if (account && !("absent" in account)) await account.close();
  process.env = saved;
});

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

describe("the demo's remediation in each mode", () => {
  const mode = (name: string) => modes.find((l) => l.trimStart().startsWith(`${name} `)) ?? "";

  it("dry-runs the isolation of the brute-forced instance", () => {
    expect(mode("dry-run")).toMatch(/isolate-brute-forced-instances: planned → skipped \(dry_run\)/);
  });

  it.runIf(motoAvailable)("approves the public-bucket fix through the approve function and blocks public access on moto", () => {
    expect(mode("approve")).toMatch(/block-public-buckets: planned → approved → executed \(link followed with decision=approve, HTTP 200\): orders-exports has 4 of 4/);
  });

  it.runIf(motoAvailable)("closes world-open SSH on its own (auto) in the emulated account", () => {
    expect(mode("auto")).toMatch(/close-world-open-ssh: planned → executed: sg-\S+ \(moto_server, http:\/\/127\.0\.0\.1:\d+\) open to 0\.0\.0\.0\/0 now: nothing$/);
  });

  it.skipIf(motoAvailable)("without moto_server, rejects the approval link and says in one line why auto is skipped", () => {
    expect(mode("approve")).toMatch(/planned → skipped \(link followed with decision=reject, HTTP 200\)/);
    expect(modes.filter((l) => l.includes("skipped: moto_server"))).toHaveLength(1);
    expect(mode("auto")).toMatch(/^\s+auto\s+skipped: moto_server is not on PATH, and the demo never acts on a real AWS account/);
  });

  it("keeps the audit chain intact after the approval and the auto action", async () => {
    const report = await verifyStoredChain(createStore({ client: runtime.dynamodb, table: runtime.names.table }), "vigil");
    expect(report.ok).toBe(true);
  });
});
