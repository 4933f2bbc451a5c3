/**
 * `npm run bench:cold [-- --json] [-- --runs N]`: what each Lambda costs to load. Bundles every
 * `functions/*.ts` exporting `handler` as SST deploys it, then imports each bundle and an empty
 * module in fresh `node` processes (round-robin, N ≥ 5 rounds, default 7) and reports the bundle
 * size and the median cold import time above the empty module's, measured in the same run.
 * With `--json`, the last line is `{"functions":[{"name","bytes","coldImportMsAboveBaseline"}]}`.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { bundleFunction, discoverFunctions, topContributors } from "./lib/bundle";
import { coldImportRounds, median } from "./lib/cold-import";

const TARGET_BYTES = 300 * 1024;
const TARGET_MS = 60;
const MIN_RUNS = 5;

const args = process.argv.slice(2);
const json = args.includes("--json");
const runsAt = args.indexOf("--runs");
const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 7;
if (!Number.isInteger(runs) || runs < MIN_RUNS) {
  console.error(`--runs must be an integer of at least ${MIN_RUNS}, got ${args[runsAt + 1] ?? "nothing"}`);
  process.exit(2);
}

const functions = discoverFunctions(resolve(process.cwd(), "functions"));
const dir = mkdtempSync(join(tmpdir(), "vigil-cold-"));
try {
  const bundles = [];
  for (const f of functions) {
    const deployed = await bundleFunction(f.entry, join(dir, "deployed"));
    // Only for comparison: the size if the runtime's own SDK v3 were used instead of pinned copies.
    const withoutSdk = await bundleFunction(f.entry, join(dir, "sdk-external"), { externalAwsSdk: true });
    bundles.push({ ...f, ...deployed, bytesWithoutSdk: withoutSdk.bytes });
  }
  const baseline = join(dir, "empty.mjs");
  writeFileSync(baseline, "export {};\n");

  const samples = await coldImportRounds([baseline, ...bundles.map((b) => b.file)], runs);
  const baselineMs = median(samples[0]!);
  const results = bundles.map((b, i) => ({
    name: b.name,
    bytes: b.bytes,
    bytesWithoutSdk: b.bytesWithoutSdk,
    coldImportMsAboveBaseline: round1(median(samples[i + 1]!) - baselineMs),
    contributors: topContributors(b.metafile, 6),
  }));

  const kb = (bytes: number) => (bytes / 1024).toFixed(1);
  console.log(`Cold import, median of ${runs} fresh node ${process.version} processes each; empty module: ${baselineMs.toFixed(1)} ms`);
  console.log(["function".padEnd(22), "KB".padStart(8), "KB w/o SDK".padStart(11), "ms > base".padStart(10), "  target ≤ 300 KB, ≤ 60 ms"].join(""));
  for (const r of results) {
    const sizeOk = r.bytes <= TARGET_BYTES;
    const timeOk = r.coldImportMsAboveBaseline <= TARGET_MS;
    const verdict = sizeOk && timeOk ? "ok" : `MISSED (${[!sizeOk && "size", !timeOk && "time"].filter(Boolean).join(", ")})`;
    console.log([r.name.padEnd(22), kb(r.bytes).padStart(8), kb(r.bytesWithoutSdk).padStart(11), r.coldImportMsAboveBaseline.toFixed(1).padStart(10), `  ${verdict}`].join(""));
  }
  console.log("\nTop contributors (KB left in the bundle after minify and tree-shaking):");
  for (const r of results) console.log(`  ${r.name}: ${r.contributors.map((c) => `${c.name} ${kb(c.bytes)}`).join(", ")}`);

  if (json) {
    const functionsJson = results.map(({ name, bytes, coldImportMsAboveBaseline }) => ({ name, bytes, coldImportMsAboveBaseline }));
    console.log(JSON.stringify({ functions: functionsJson }));
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

function round1(ms: number): number {
  return Math.round(ms * 10) / 10;
}
