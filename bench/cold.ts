/**
 * `npm run bench:cold [-- --json] [-- --runs N] [-- --compare-sdk]`: what each Lambda costs to load.
 * Bundles every `functions/*.ts` exporting `handler` with the esbuild options SST deploys it with
 * (infra/bundle.ts), then imports each bundle and an empty module in fresh `node` processes
 * (round-robin, N ≥ 5 rounds, default 7) and reports the bundle size and the median cold import
 * time above the empty module's, measured in the same run: wall-clock (the target) and CPU time
 * of the process (steadier when the machine is shared and busy). The environment is a deploy's
 * with a vigil.config.yaml: VIGIL_CONFIG_FILE names the config infra validated (the defaults here).
 * Size: `KB` is what the handler's import reads (its file and the chunks it imports statically; modules
 * it imports dynamically are split into their own files, see infra/bundle.ts), `KB all` every file deployed.
 * With `--json`, the last line is `{"functions":[{"name","bytes","coldImportMsAboveBaseline"}]}`.
 * A last row, the floor, bundles only the packages the project's shape fixes (bench/lib/cold-floor.ts):
 * what a function that stores through ElectroDB and publishes to EventBridge loads before any Vigil code.
 *
 * The import time is everything Lambda's init phase runs for the module: load, link, and top-level
 * code. Nothing is, or may be, moved into the first invocation to lower it: that moves cold-start
 * cost to the first request, it does not remove it. Work left out of the import must be work no
 * invocation needs (e.g. a client a function never uses), not work postponed.
 * Event schemas are built per event kind on first use (events/lazy.ts), the one deferral: a batch holds
 * few kinds, so an invocation builds those of the kinds it receives, and never those a function never receives.
 *
 * `--compare-sdk` also bundles each function with `@aws-sdk/*` external, the alternative of using
 * the Lambda runtime's own SDK, and times it too: those bundles are written under the project's
 * node_modules/.cache so `@aws-sdk/*` resolves to the project's copy and its load is counted.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { validateConfig } from "../core/config/validate";
import { bundleFunction, discoverFunctions, topContributors } from "./lib/bundle";
import { fileURLToPath } from "node:url";
import { coldImportRounds, median, type ColdImportSample } from "./lib/cold-import";

const TARGET_BYTES = 300 * 1024;
const TARGET_MS = 60;
const MIN_RUNS = 5;

const args = process.argv.slice(2);
const json = args.includes("--json");
const compareSdk = args.includes("--compare-sdk");
const runsAt = args.indexOf("--runs");
const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 7;
if (!Number.isInteger(runs) || runs < MIN_RUNS) {
  console.error(`--runs must be an integer of at least ${MIN_RUNS}, got ${args[runsAt + 1] ?? "nothing"}`);
  process.exit(2);
}

const root = process.cwd();
// The floor row: the fixed packages alone (bench/lib/cold-floor.ts), bundled and timed like the functions.
const FLOOR = { name: "(floor)", entry: fileURLToPath(new URL("./lib/cold-floor.ts", import.meta.url)) };
const functions = [...discoverFunctions(resolve(root, "functions")), FLOOR];
// Deployed bundles inline everything, so they are imported from outside the project: a bare
// import left in one by mistake fails here instead of resolving from node_modules.
const dir = mkdtempSync(join(tmpdir(), "vigil-cold-"));
mkdirSync(resolve(root, "node_modules/.cache"), { recursive: true });
const sdkDir = mkdtempSync(resolve(root, "node_modules/.cache/vigil-cold-sdk-"));
try {
  const bundles = [];
  for (const f of functions) {
    // One folder per function, as SST builds each: a function's chunks sit beside its handler.
    const deployed = await bundleFunction(f.entry, join(dir, "deployed", f.name));
    const runtimeSdk = await bundleFunction(f.entry, join(sdkDir, f.name), { externalAwsSdk: true });
    bundles.push({ ...f, ...deployed, runtimeSdk });
  }
  const baseline = join(dir, "empty.mjs");
  writeFileSync(baseline, "export {};\n");

  // As deployed with a vigil.config.yaml: the config infra validated, as JSON, named in VIGIL_CONFIG_FILE.
  const deployedConfig = join(dir, "vigil.config.json");
  writeFileSync(deployedConfig, JSON.stringify(validateConfig({})));

  const files = [baseline, ...bundles.map((b) => b.file), ...(compareSdk ? bundles.map((b) => b.runtimeSdk.file) : [])];
  const samples = await coldImportRounds(files, runs, { VIGIL_CONFIG_FILE: deployedConfig });
  const wall = (i: number) => median(samples[i]!.map((s: ColdImportSample) => s.wallMs));
  const cpu = (i: number) => median(samples[i]!.map((s: ColdImportSample) => s.cpuMs));
  const [baseWall, baseCpu] = [wall(0), cpu(0)];
  const results = bundles.map((b, i) => ({
    name: b.name,
    bytes: b.bytes,
    totalBytes: b.totalBytes,
    coldImportMsAboveBaseline: round1(wall(i + 1) - baseWall),
    cpuMsAboveBaseline: round1(cpu(i + 1) - baseCpu),
    runtimeSdkBytes: b.runtimeSdk.bytes,
    runtimeSdkMsAboveBaseline: compareSdk ? round1(wall(i + 1 + bundles.length) - baseWall) : undefined,
    contributors: topContributors(b.metafile, 8, b.loadedOutputs),
  }));

  const kb = (bytes: number) => (bytes / 1024).toFixed(1);
  const ms = (v: number | undefined) => (v === undefined ? "-" : v.toFixed(1));
  console.log(`Cold import, median of ${runs} fresh node ${process.version} processes each; empty module: ${baseWall.toFixed(1)} ms wall, ${baseCpu.toFixed(1)} ms CPU`);
  console.log(
    ["function".padEnd(22), "KB".padStart(8), "KB all".padStart(8), "ms > base".padStart(10), "CPU ms".padStart(8), "KB rt-SDK".padStart(10), "ms rt-SDK".padStart(10), "  target ≤ 300 KB, ≤ 60 ms"].join(""),
  );
  for (const r of results) {
    const sizeOk = r.bytes <= TARGET_BYTES;
    const timeOk = r.coldImportMsAboveBaseline <= TARGET_MS;
    const verdict = sizeOk && timeOk ? "ok" : `MISSED (${[!sizeOk && "size", !timeOk && "time"].filter(Boolean).join(", ")})`;
    console.log(
      [
        r.name.padEnd(22),
        kb(r.bytes).padStart(8),
        kb(r.totalBytes).padStart(8),
        ms(r.coldImportMsAboveBaseline).padStart(10),
        ms(r.cpuMsAboveBaseline).padStart(8),
        kb(r.runtimeSdkBytes).padStart(10),
        ms(r.runtimeSdkMsAboveBaseline).padStart(10),
        `  ${verdict}`,
      ].join(""),
    );
  }
  console.log("\nKB: what the handler's import reads (its file and the chunks it imports statically); KB all: every file deployed,");
  console.log("with the chunks a function imports only when it needs them (infra/bundle.ts, splitting).");
  console.log("rt-SDK: the same function with @aws-sdk/* left to the Lambda runtime (not deployed; see infra/bundle.ts).");
  if (!compareSdk) console.log("Its import time is measured with --compare-sdk.");
  console.log("(floor): the fixed packages alone (ElectroDB, the DynamoDB and EventBridge clients, Powertools, middy; bench/lib/cold-floor.ts),");
  console.log("one put and one PutEvents, no Vigil code: what a function that stores and publishes cannot go below.");
  console.log("\nTop contributors to KB (left in the files the import reads, after minify and tree-shaking):");
  for (const r of results) console.log(`  ${r.name}: ${r.contributors.map((c) => `${c.name} ${kb(c.bytes)}`).join(", ")}`);

  if (json) {
    const functionsJson = results.filter((r) => r.name !== FLOOR.name).map(({ name, bytes, coldImportMsAboveBaseline }) => ({ name, bytes, coldImportMsAboveBaseline }));
    console.log(JSON.stringify({ functions: functionsJson }));
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
  rmSync(sdkDir, { recursive: true, force: true });
}

function round1(ms: number): number {
  return Math.round(ms * 10) / 10;
}
