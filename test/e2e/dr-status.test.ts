import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

const vigil = join(process.cwd(), "bin", "vigil.mjs");
const run = (...args: string[]) => spawnSync(process.execPath, [vigil, ...args], { encoding: "utf8", timeout: 120_000 });
const data = mkdtempSync(join(tmpdir(), "vigil-dr-"));
let emitted: { "detail-type": string; detail: { id: string; occurredAt: string; replication: { status: string } } }[] = [];

beforeAll(() => {
  const out = join(data, "emitted.jsonl");
  const replayed = run("replay", "demo/storm.jsonl", "demo/metrics.jsonl", "--config", "demo/vigil.config.yaml", "--data", data, "--emitted", out);
  expect(replayed.status, replayed.stderr).toBe(0);
  emitted = readFileSync(out, "utf8").trim().split("\n").map((l) => JSON.parse(l));
}, 120_000);

const status = (at: string) => {
  const out = run("dr", "status", "--config", "demo/vigil.config.yaml", "--data", data, "--at", at, "--json");
  expect(out.status, out.stderr).toBe(0);
  return new Map((JSON.parse(out.stdout) as { targetId: string; status: string; observedRpoMinutes: number | null; lastSignalAt: string | null }[]).map((r) => [r.targetId, r]));
};

describe("vigil replay then vigil dr status", () => {
  it("publishes the assets bucket's breach when its latency first passes 15 minutes, and its restore", () => {
    const metrics = readFileSync("demo/metrics.jsonl", "utf8").trim().split("\n").map((l) => JSON.parse(l));
    const latency = metrics.filter((m) => m.namespace === "AWS/S3" && m.metric_name === "ReplicationLatency");
    const firstOver = latency.find((m) => m.value.max > 15 * 60);
    const replication = emitted.filter((e) => e["detail-type"].startsWith("Replication RPO"));
    expect(replication.map((e) => [e["detail-type"], e.detail.id, e.detail.replication.status])).toEqual([
      ["Replication RPO Breached", "storefront-assets", "breached"],
      ["Replication RPO Restored", "storefront-assets", "ok"],
    ]);
    expect(replication[0]!.detail.occurredAt).toBe(new Date(firstOver.timestamp).toISOString());
  });

  it("tells the truth about every protected resource at the end of the replay", () => {
    const rows = status("2025-11-03T16:00:00Z");
    expect([...rows.keys()]).toEqual(["storefront-assets", "orders-sessions", "orders-db"]);
    expect(rows.get("storefront-assets")).toMatchObject({ status: "ok", lastSignalAt: "2025-11-03T15:59:00.000Z" });
    expect(rows.get("storefront-assets")!.observedRpoMinutes).toBeLessThan(2);
    expect(rows.get("orders-sessions")).toMatchObject({ status: "ok", lastSignalAt: "2025-11-03T15:59:00.000Z" });
    // The DR copy holds the 14:05 snapshot: 115 minutes of data at risk, within a 1500-minute RPO.
    expect(rows.get("orders-db")).toMatchObject({ status: "ok", observedRpoMinutes: 115 });
  });

  it("reports the metric-fed targets stale once their signals have stopped for longer than the window", () => {
    const rows = status("2025-11-03T17:00:00Z");
    expect(rows.get("storefront-assets")?.status).toBe("stale");
    expect(rows.get("orders-sessions")?.status).toBe("stale");
    expect(rows.get("orders-db")?.status).toBe("ok");
  });

  it("prints a table a person reads without --json", () => {
    const out = run("dr", "status", "--config", "demo/vigil.config.yaml", "--data", data, "--at", "2025-11-03T16:00:00Z");
    expect(out.stdout).toMatch(/storefront-assets\s+s3\s+\d+\.\d \/ 15 min\s+ok/);
  });
});
