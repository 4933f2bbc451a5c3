import { spawn, spawnSync } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { delimiter, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

// moto_server on loopback, for the tests and for `npm start`: an emulated AWS account that
// playbooks can really change, without Docker, Java or an AWS account.

/** A running moto_server: an emulated AWS account on loopback. */
export interface MotoHandle {
  endpoint: string;
  /** Empties the emulated account (moto's `/moto-api/reset`), so each test starts clean. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Whether `moto_server` runs (it answers `--help`): exact, but it starts Python, so it takes
 * seconds; the demo, which must stay quick, uses {@link motoOnPath} instead.
 */
export function motoRuns(): boolean {
  return spawnSync("moto_server", ["--help"], { stdio: "ignore" }).status === 0;
}

/** Whether an executable `moto_server` is on PATH: instant, but a broken install only shows when it starts. */
export function motoOnPath(): boolean {
  return (process.env.PATH ?? "").split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, "moto_server"), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Why a moto-backed test or demo step did not run. */
export const MOTO_MISSING = "moto_server not on PATH (pip install 'moto[server]'): skipped";

/** A TCP port free on 127.0.0.1 right now. */
export async function freePort(): Promise<number> {
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
 * @throws Error when it cannot start, exits, or does not answer within 60 s
 */
export async function startMoto(): Promise<MotoHandle> {
  return startMotoOn(await freePort());
}

/**
 * Starts moto_server on 127.0.0.1:`port` and waits until `/moto-api/` answers.
 *
 * @throws Error when it cannot start, exits, or does not answer within 60 s
 */
export async function startMotoOn(port: number): Promise<MotoHandle> {
  const child = spawn("moto_server", ["-H", "127.0.0.1", "-p", String(port)], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  let spawnError: Error | undefined;
  child.once("error", (error) => (spawnError = error));
  child.stderr.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  const endpoint = `http://127.0.0.1:${port}`;
  // Python imports all of moto first: on a busy machine that takes a while.
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (spawnError) throw new Error(`moto_server could not start: ${spawnError.message}`);
    if (child.exitCode !== null) throw new Error(`moto_server exited with ${child.exitCode}: ${stderr}`);
    const up = await fetch(`${endpoint}/moto-api/`).then((r) => r.ok, () => false);
    if (up) break;
    if (Date.now() > deadline) {
      child.kill();
      throw new Error(`moto_server did not answer on ${endpoint} within 60 s: ${stderr}`);
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
