import { spawn, spawnSync } from "node:child_process";
import { createServer, type AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

/** A running moto_server: an emulated AWS account on loopback. */
export interface MotoHandle {
  endpoint: string;
  /** Empties the emulated account (moto's `/moto-api/reset`), so each test starts clean. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/** Whether `moto_server` is on PATH; integration tests skip with {@link MOTO_MISSING} when not. */
export const motoAvailable = spawnSync("moto_server", ["--help"], { stdio: "ignore" }).status === 0;
export const MOTO_MISSING = "moto_server not on PATH (pip install 'moto[server]'): skipped";

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Starts moto_server on 127.0.0.1 on a free port and waits until `/moto-api/` answers.
 *
 * @returns the handle, or undefined when moto_server is not installed
 * @throws Error when the server exits or does not answer within 20 s
 */
export async function startMoto(): Promise<MotoHandle | undefined> {
  if (!motoAvailable) return undefined;
  const port = await freePort();
  const child = spawn("moto_server", ["-H", "127.0.0.1", "-p", String(port)], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with ${child.exitCode}: ${stderr}`);
    const up = await fetch(`${endpoint}/moto-api/`).then((r) => r.ok, () => false);
    if (up) break;
    if (Date.now() > deadline) {
      child.kill();
      throw new Error(`moto_server did not answer on ${endpoint} within 20 s: ${stderr}`);
    }
    await sleep(100);
  }
  return {
    endpoint,
    async reset() {
      const response = await fetch(`${endpoint}/moto-api/reset`, { method: "POST" });
      if (!response.ok) throw new Error(`moto reset failed: HTTP ${response.status}`);
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    },
  };
}
