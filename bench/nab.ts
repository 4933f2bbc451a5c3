/**
 * NAB benchmark: scores every CSV under ../shared/nab/data with the detector
 * (`scoreFile`, the code behind `vigil score`), runs the shared NAB scorer on
 * the results and prints Vigil's standard / low-FP / low-FN scores beside the
 * published detectors listed in ../shared/nab/README.md.
 * Run: `npx tsx bench/nab.ts [--keep]` (--keep leaves the results folder).
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { scoreFile } from "../local/score";

const NAB_DIR = path.resolve(process.cwd(), "../shared/nab");
const SCORER = path.resolve(process.cwd(), "../shared/tools/nab-score.mjs");
const PROFILES = ["standard", "reward_low_FP_rate", "reward_low_FN_rate"] as const;

interface ScorerProfile {
  score: number | null;
  threshold: number | null;
  windowsDetected: number;
  windows: number;
  counts: { fp: number };
}

/** Writes `<category>/<file>.csv` score files into `outDir`; returns files, rows and skipped rows. */
function scoreCorpus(outDir: string): { files: number; rows: number; skipped: number; ms: number } {
  const dataDir = path.join(NAB_DIR, "data");
  let files = 0;
  let rows = 0;
  let skipped = 0;
  const start = performance.now();
  for (const category of readdirSync(dataDir).sort()) {
    mkdirSync(path.join(outDir, category), { recursive: true });
    for (const name of readdirSync(path.join(dataDir, category)).filter((f) => f.endsWith(".csv")).sort()) {
      const { csv, problems } = scoreFile(path.join(dataDir, category, name), path.join(outDir, category, name));
      files += 1;
      rows += csv.split("\n").length - 2;
      skipped += problems.length;
    }
  }
  return { files, rows, skipped, ms: performance.now() - start };
}

/** The published rows of the README's table: name and this-subset scores. */
function publishedScores(): { name: string; scores: string[] }[] {
  const readme = readFileSync(path.join(NAB_DIR, "README.md"), "utf8");
  const rows: { name: string; scores: string[] }[] = [];
  for (const line of readme.split("\n")) {
    const cells = line.split("|").map((c) => c.trim());
    const subset = cells[2]?.split("/").map((s) => s.trim());
    if (cells.length >= 4 && subset && subset.length === 3 && subset.every((s) => /^-?\d+(\.\d+)?$/.test(s))) {
      rows.push({ name: cells[1] ?? "?", scores: subset });
    }
  }
  return rows;
}

function main(): void {
  if (!existsSync(path.join(NAB_DIR, "data")) || !existsSync(SCORER)) {
    console.log(`bench:nab skipped: ${NAB_DIR} or ${SCORER} is absent (the NAB subset lives in ../shared).`);
    return;
  }
  const outDir = mkdtempSync(path.join(tmpdir(), "vigil-nab-"));
  try {
    const run = scoreCorpus(outDir);
    const json = execFileSync(process.execPath, [SCORER, "--nab", NAB_DIR, "--results", outDir, "--json"], {
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    });
    const result = JSON.parse(json) as { profiles: Record<string, ScorerProfile> };
    const vigil = PROFILES.map((p) => result.profiles[p]);
    const fmt = (x: number | null | undefined): string => (x === null || x === undefined ? "n/a" : x.toFixed(1));
    console.log(`scored ${run.files} files, ${run.rows} rows (${run.skipped} rows skipped as bad input) in ` +
      `${(run.ms / 1000).toFixed(1)} s, ${((run.ms * 1000) / run.rows).toFixed(1)} us/row incl. CSV I/O`);
    console.log("");
    console.log(`${"detector".padEnd(26)} ${"standard".padStart(8)} ${"low FP".padStart(8)} ${"low FN".padStart(8)}`);
    console.log(`${"Vigil (this build)".padEnd(26)} ${vigil.map((p) => fmt(p?.score).padStart(8)).join(" ")}`);
    for (const row of publishedScores()) {
      console.log(`${row.name.padEnd(26)} ${row.scores.map((s) => s.padStart(8)).join(" ")}`);
    }
    console.log("");
    for (const [i, p] of vigil.entries()) {
      if (p) {
        console.log(`${PROFILES[i]}: threshold ${p.threshold ?? "none"}, windows ${p.windowsDetected}/${p.windows}, ` +
          `false-positive rows ${p.counts.fp}`);
      }
    }
    if (process.argv.includes("--keep")) console.log(`results kept in ${outDir}`);
  } finally {
    if (!process.argv.includes("--keep")) rmSync(outDir, { recursive: true, force: true });
  }
}

main();
