/**
 * Experiment harness for the NAB subset (in-process, no temp files): scores every file with the
 * detector, then reports NAB scores on all files and on two held-out splits, optional per-file
 * detail and a seed sweep. Each profile's threshold is swept by the scorer (the low-FN one is printed too);
 * `--thr T` scores every profile at a fixed threshold instead (to see what a lower one would cost).
 * Run: `npx tsx bench/nab-exp.ts [--cfg '{"field":value}'] [--seeds 1,2,3] [--per-file [--fp]] [--thr T]`
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { scoreCsvDetailed } from "../local/score";
// @ts-expect-error plain ESM scorer without types
import { loadCorpus, scoreDetector } from "../../shared/tools/nab-score.mjs";

const NAB = path.resolve(process.cwd(), "../shared/nab");
const profiles = JSON.parse(readFileSync(path.join(NAB, "config/profiles.json"), "utf8"));
const arg = (k: string): string | undefined => {
  const i = process.argv.indexOf(k);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const cfg = JSON.parse(arg("--cfg") ?? "{}");
const seeds = (arg("--seeds") ?? "").split(",").filter(Boolean).map(Number);
const SPLIT_A = ["realAWSCloudwatch", "artificialNoAnomaly", "artificialWithAnomaly"];
const SPLIT_B = ["realAdExchange", "realTraffic"];

function run(config: Record<string, unknown>): Map<string, Float64Array> {
  const scores = new Map<string, Float64Array>();
  for (const cat of readdirSync(path.join(NAB, "data")).sort()) {
    for (const name of readdirSync(path.join(NAB, "data", cat)).filter((f) => f.endsWith(".csv")).sort()) {
      const text = readFileSync(path.join(NAB, "data", cat, name), "utf8");
      const { csv } = scoreCsvDetailed(text, config);
      const lines = csv.trim().split("\n").slice(1);
      scores.set(`${cat}/${name}`, Float64Array.from(lines.map((l) => Number(l.split(",")[1]))));
    }
  }
  return scores;
}

const corpora = {
  all: loadCorpus(NAB),
  A: loadCorpus(NAB, { categories: SPLIT_A }),
  B: loadCorpus(NAB, { categories: SPLIT_B }),
};
const f1 = (x: number | null): string => (x === null ? "n/a" : x.toFixed(1));

function report(config: Record<string, unknown>, detail: boolean): number[] {
  const t0 = performance.now();
  const scores = run(config);
  const ms = performance.now() - t0;
  const out: number[] = [];
  const parts: string[] = [];
  let thr = 0;
  for (const [name, corpus] of Object.entries(corpora)) {
    const fixed = arg("--thr");
    const res = scoreDetector(corpus, scores, profiles, fixed === undefined ? null : Number(fixed));
    const s = ["standard", "reward_low_FP_rate", "reward_low_FN_rate"].map((p) => res[p].score as number);
    out.push(...s);
    parts.push(`${name}: ${s.map(f1).join("/")}`);
    if (name === "all") {
      thr = res.standard.threshold;
      parts.push(`thr ${thr?.toFixed(3)} win ${res.standard.windowsDetected}/${res.standard.windows} fp ${res.standard.counts.fp}` +
        ` | lowFN thr ${res.reward_low_FN_rate.threshold?.toFixed(3)} win ${res.reward_low_FN_rate.windowsDetected} fp ${res.reward_low_FN_rate.counts.fp}`);
      if (detail) perFile(corpus, scores, res.standard);
    }
  }
  console.log(`${parts.join(" | ")} (${(ms / 1000).toFixed(1)}s)`);
  return out;
}

function perFile(corpus: any, scores: Map<string, Float64Array>, res: any): void {
  const thr = res.threshold;
  for (const f of corpus.files) {
    const s = scores.get(f.rel)!;
    const r = res.perFile.find((p: any) => p.file === f.rel);
    const wins = f.windows.map((w: any) => {
      if (w.R < f.first) return "prob";
      let hit = -1;
      for (let i = Math.max(w.L, f.first); i <= w.R; i++) if (s[i]! >= thr) { hit = i; break; }
      let mx = 0;
      for (let i = Math.max(w.L, f.first); i <= w.R; i++) mx = Math.max(mx, s[i]!);
      return hit < 0 ? `MISS(max ${mx.toFixed(2)})` : `@${((hit - w.L) / (w.R - w.L + 1)).toFixed(2)}`;
    });
    const fps: number[] = [];
    for (let j = 0; j < f.win.length; j++) if (f.win[j] < 0 && s[f.first + j]! >= thr) fps.push(f.first + j);
    console.log(`  ${r.raw.toFixed(2).padStart(6)} fp ${String(r.fp).padStart(2)} ${f.rel.padEnd(55)} ${wins.join(" ")}` +
      (process.argv.includes("--fp") && fps.length ? ` fps@${fps.join(",")}` : ""));
  }
}

if (seeds.length) {
  const all: number[][] = [];
  for (const seed of seeds) {
    process.stdout.write(`seed ${seed}: `);
    all.push(report({ ...cfg, seed }, false));
  }
  const mean = all[0]!.map((_, i) => all.reduce((a, r) => a + r[i]!, 0) / all.length);
  const min = all[0]!.map((_, i) => Math.min(...all.map((r) => r[i]!)));
  const max = all[0]!.map((_, i) => Math.max(...all.map((r) => r[i]!)));
  console.log(`mean ${mean.map(f1).join("/")}\nmin  ${min.map(f1).join("/")}\nmax  ${max.map(f1).join("/")}`);
} else {
  report(cfg, process.argv.includes("--per-file"));
}
