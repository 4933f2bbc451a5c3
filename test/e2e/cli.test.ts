import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EventBridgeClient, TestEventPatternCommand } from "@aws-sdk/client-eventbridge";
import { describe, expect, it } from "vitest";

const vigil = join(process.cwd(), "bin", "vigil.mjs");
const run = (...args: string[]) => spawnSync(process.execPath, [vigil, ...args], { encoding: "utf8", timeout: 120_000 });

describe("the vigil CLI", () => {
  it("replays into a data folder that verify-audit then reads", () => {
    const data = mkdtempSync(join(tmpdir(), "vigil-cli-"));
    const emitted = join(data, "emitted.jsonl");
    const replayed = run("replay", "demo/storm.jsonl", "demo/metrics.jsonl", "--data", data, "--emitted", emitted);
    expect(replayed.status, replayed.stderr).toBe(0);
    expect(replayed.stdout).toMatch(/Replayed 141 event\(s\) and 2160 metric point\(s\)/);
    const lines = readFileSync(emitted, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((e) => e.source === "vigil" && typeof e.detail.eventId === "string")).toBe(true);
    const verified = run("verify-audit", "--data", data);
    expect(verified.status).toBe(0);
    expect(verified.stdout).toContain(`${lines.length} entries, intact`);
  }, 120_000);

  it("refuses bad usage with exit code 2 and says what was wrong", () => {
    const out = run("replay", "demo/storm.jsonl", "--until", "soon");
    expect(out.status).toBe(2);
    expect(out.stderr).toContain('--until must be an ISO-8601 time, got "soon"');
    expect(run("verify-audit", "--data", join(tmpdir(), "vigil-nothing-here")).stderr).toMatch(/no Vigil data in/);
  });

  it("keeps the runtime up with `vigil local` and prints the endpoint exports", async () => {
    const child = spawn(process.execPath, [vigil, "local", "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
    try {
      const endpoint = await new Promise<string>((resolve, reject) => {
        let out = "";
        child.stdout.on("data", (chunk) => {
          out += chunk;
          const match = /export AWS_ENDPOINT_URL_EVENTBRIDGE=(\S+)/.exec(out);
          if (match) resolve(match[1]!);
        });
        child.once("exit", (code) => reject(new Error(`vigil local exited with ${code}: ${out}`)));
      });
      const client = new EventBridgeClient({ endpoint, region: "us-east-1", credentials: { accessKeyId: "x", secretAccessKey: "x" } });
      const event = JSON.stringify({ id: "1", source: "aws.ec2", "detail-type": "x", account: "123456789012", time: "2025-01-01T00:00:00Z", region: "us-east-1", resources: [], detail: {} });
      const out = await client.send(new TestEventPatternCommand({ EventPattern: '{"source":[{"prefix":"aws."}]}', Event: event }));
      expect(out.Result).toBe(true);
      client.destroy();
      // A second runtime on the same port says so, with no stack trace.
      const second = run("local", "--port", new URL(endpoint).port);
      expect(second.status).toBe(2);
      expect(second.stderr).toContain(`port ${new URL(endpoint).port} is already in use`);
      expect(second.stderr).not.toMatch(/\n\s+at /);
    } finally {
      child.kill("SIGINT");
    }
    const code = await new Promise((resolve) => child.once("exit", resolve));
    expect(code).toBe(0);
  }, 60_000);
});
