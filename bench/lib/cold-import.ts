import { spawn } from "node:child_process";
import { pathToFileURL } from "node:url";

/** A child `node` process that could not import a module or report its timing. */
export class ColdImportFailedError extends Error {
  override readonly name = "ColdImportFailedError";
  readonly code = "bench.cold_import_failed";
}

/**
 * What the child runs: time only the dynamic import (module load, link and top-level code),
 * not Node's own start-up, as wall-clock and as CPU time of the process, print both, and exit so
 * open handles cannot keep the process alive. CPU time is what a busy shared machine inflates least.
 */
const CHILD_SCRIPT = [
  "const url = process.argv[1];",
  "const cpu = process.cpuUsage();",
  "const start = performance.now();",
  "await import(url);",
  "const importMs = performance.now() - start;",
  "const used = process.cpuUsage(cpu);",
  "process.stdout.write(JSON.stringify({ importMs, cpuMs: (used.user + used.system) / 1000 }) + '\\n');",
  "process.exit(0);",
].join("\n");

/** One cold import: wall-clock ms, and ms of CPU the process spent in it (all threads). */
export interface ColdImportSample {
  wallMs: number;
  cpuMs: number;
}

/**
 * A Lambda-like environment without AWS: a region, dummy credentials and the SST link
 * variables (the same shape `local/runtime.ts` sets), so module-level code runs as deployed.
 * The parent's environment is not inherited, so NODE_OPTIONS loaders (tsx) stay out.
 *
 * @param extra - variables a deploy adds (e.g. VIGIL_CONFIG_FILE, the deploy-validated config)
 */
export function coldImportEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "bench",
    AWS_SECRET_ACCESS_KEY: "bench",
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    SST_RESOURCE_App: JSON.stringify({ name: "vigil", stage: "bench" }),
    SST_RESOURCE_VigilTable: JSON.stringify({ name: "vigil-bench-table", type: "sst.aws.Dynamo" }),
    SST_RESOURCE_OpsBus: JSON.stringify({ name: "vigil-bench-bus", arn: "arn:aws:events:us-east-1:000000000000:event-bus/vigil-bench-bus", type: "sst.aws.Bus" }),
    SST_RESOURCE_MetricsStream: JSON.stringify({ name: "vigil-bench-metrics", type: "sst.aws.KinesisStream" }),
    ...extra,
  };
}

/** Imports `file` in a fresh `node` process and returns the import's wall-clock duration in ms. */
export async function coldImportMs(file: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<number> {
  return (await coldImportSample(file, extraEnv)).wallMs;
}

/** Imports `file` in a fresh `node` process (with `extraEnv` added) and returns the import's wall-clock and CPU ms. */
export function coldImportSample(file: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<ColdImportSample> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", CHILD_SCRIPT, pathToFileURL(file).href], {
      env: coldImportEnv(extraEnv),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => {
      // Module-level code may log; the timing is the last line on stdout.
      const last = stdout.trim().split("\n").at(-1) ?? "";
      const sample = code === 0 ? parseTiming(last) : undefined;
      if (sample === undefined) {
        reject(new ColdImportFailedError(`importing ${file} in a fresh node exited with code ${code}: ${stderr.trim() || stdout.trim() || "no output"}`));
      } else resolvePromise(sample);
    });
  });
}

function parseTiming(line: string): ColdImportSample | undefined {
  try {
    const { importMs, cpuMs } = JSON.parse(line) as { importMs?: unknown; cpuMs?: unknown };
    const finite = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
    return finite(importMs) && finite(cpuMs) ? { wallMs: importMs, cpuMs } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Cold-import timings for several modules, `runs` fresh processes each, run round-robin
 * (one of each module per round, sequentially, the starting module rotating every round) so
 * machine noise spreads over all of them. One discarded round first warms the OS file cache.
 */
export async function coldImportRounds(files: readonly string[], runs: number, extraEnv: NodeJS.ProcessEnv = {}): Promise<ColdImportSample[][]> {
  for (const file of files) await coldImportSample(file, extraEnv);
  const samples = files.map((): ColdImportSample[] => []);
  for (let round = 0; round < runs; round++) {
    for (let k = 0; k < files.length; k++) {
      const i = (round + k) % files.length;
      samples[i]!.push(await coldImportSample(files[i]!, extraEnv));
    }
  }
  return samples;
}

/** The median of a non-empty sample (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError("median of an empty sample");
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
