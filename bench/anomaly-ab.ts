/**
 * `npx tsx bench/anomaly-ab.ts <other core/anomaly dir> [<dir used as this>] [--rounds N] [--turn N] [--only this|other] [--differ]`:
 * same-process A/B of the detector. Scores bench/anomaly's points (20 synthetic series x 5,000 points, fresh
 * detectors each round) with this tree's `core/anomaly` and with another copy of it, e.g. the last commit's:
 * `git archive HEAD core/anomaly | tar -x -C /tmp/base`, plus `/tmp/base/package.json` = `{"type":"module"}`
 * (without it tsx compiles the copy as CommonJS, ~20% slower, and the comparison is unfair), then pass
 * `/tmp/base/core/anomaly`. Both sides' verdicts are compared point by point first: a variant that scores
 * differently is refused. Timing is process CPU time (time descheduled does not count), A and B alternated
 * every 5,000 points; the median of those pairs' ratios is the figure least moved by other processes' load.
 * `--turn N`: series take turns of N points (Metric Streams' arrival order: a batch holds many series with
 * a few points each) instead of one whole series after the other as bench/anomaly's detector line does.
 * `--only this|other` times one side alone (e.g. under `node --cpu-prof`). `--differ` skips the verdict comparison,
 * for changes meant to move scores (e.g. another forest shape in config.ts's defaults): their NAB figures judge them.
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { DetectorState, MetricPoint, ScorePointOutput } from "../core/anomaly";
import { syntheticSeries } from "./lib/synthetic";

interface Detector {
  createDetector(): DetectorState;
  scorePoint(state: DetectorState, point: MetricPoint): ScorePointOutput;
}

const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const dirs = args.filter((a, i) => !a.startsWith("--") && (!args[i - 1]?.startsWith("--") || args[i - 1] === "--differ"));
const otherDir = dirs[0];
/** A second directory replaces this tree's side (e.g. two copies of one build, to see the noise floor). */
const selfDir = dirs[1];
const rounds = Number(flag("--rounds") ?? 10);
const turn = Number(flag("--turn") ?? 0);
const only = flag("--only");
if ((otherDir === undefined && only !== "this") || !(rounds > 0) || !(turn >= 0)) {
  console.error(
    "usage: npx tsx bench/anomaly-ab.ts <other core/anomaly dir> [<dir used as this>] [--rounds N] [--turn N] [--only this|other] [--differ]",
  );
  process.exit(2);
}

const SERIES = 20;
const POINTS = 5_000;
const series = Array.from({ length: SERIES }, (_, k) => syntheticSeries(k + 1, POINTS));
const total = SERIES * POINTS;
/** Points per series in one timed unit of the `--turn` order (a unit holds 5,000 points, like one whole series). */
const UNIT = POINTS / SERIES;

const load = async (dir: string): Promise<Detector> => (await import(pathToFileURL(path.resolve(dir, "index.ts")).href)) as Detector;
const self = selfDir === undefined ? ((await import("../core/anomaly")) as Detector) : await load(selfDir);
const other = otherDir === undefined ? self : await load(otherDir);

/** Every verdict of both sides, compared as JSON: a speed change must not move a score. */
function sameVerdicts(a: Detector, b: Detector): boolean {
  for (const points of series) {
    const sa = a.createDetector();
    const sb = b.createDetector();
    for (const p of points) {
      if (JSON.stringify(a.scorePoint(sa, p).result) !== JSON.stringify(b.scorePoint(sb, p).result)) return false;
    }
  }
  return true;
}

/** CPU time (user + system, us) of a call. */
function cpu(run: () => void): number {
  const start = process.cpuUsage();
  run();
  const used = process.cpuUsage(start);
  return used.user + used.system;
}

/**
 * The timed units of one round for one side: each whole series from a fresh detector, or (`--turn`)
 * points `[u * UNIT, (u + 1) * UNIT)` of every series in turns of `turn` points, detectors kept across units.
 */
function units(d: Detector): (() => void)[] {
  if (turn === 0) {
    return series.map((points) => () => {
      const state = d.createDetector();
      for (const p of points) d.scorePoint(state, p);
    });
  }
  const states = series.map(() => d.createDetector());
  return Array.from({ length: POINTS / UNIT }, (_, u) => () => {
    for (let i = u * UNIT; i < (u + 1) * UNIT; i += turn) {
      for (const [k, points] of series.entries()) {
        const state = states[k] as DetectorState;
        for (let j = i; j < Math.min(i + turn, (u + 1) * UNIT); j++) d.scorePoint(state, points[j] as MetricPoint);
      }
    }
  });
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)] as number;
};
const order = turn === 0 ? "one series after the other" : `series in turns of ${turn} points`;

if (only !== undefined) {
  const d = only === "other" ? other : self;
  const times = Array.from({ length: rounds }, () => units(d).reduce((us, unit) => us + cpu(unit), 0) / total);
  console.log(`${only} (${order}): best ${Math.min(...times).toFixed(3)} median ${median(times).toFixed(3)} us/point`);
} else {
  if (!args.includes("--differ") && !sameVerdicts(self, other)) {
    console.error("verdicts differ between the two sides: not a speed-only change");
    process.exit(1);
  }
  const a: number[] = [];
  const b: number[] = [];
  /** Other / this per unit and round: their median is the least disturbed by load spikes. */
  const pairs: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const ua = units(self);
    const ub = units(other);
    let usA = 0;
    let usB = 0;
    for (let k = 0; k < ua.length; k++) {
      // Order flipped every unit and round: a change of machine load lands on both sides within ~20 ms.
      const first = (r + k) % 2 === 0;
      const tb = first ? 0 : cpu(ub[k] as () => void);
      const ta = cpu(ua[k] as () => void);
      const tb2 = first ? cpu(ub[k] as () => void) : tb;
      usA += ta;
      usB += tb2;
      pairs.push(tb2 / ta);
    }
    a.push(usA / total);
    b.push(usB / total);
  }
  console.log(`${SERIES} series x ${POINTS} points (${order}), ${rounds} rounds, A and B alternated every 5,000 points`);
  console.log(`this:  best ${Math.min(...a).toFixed(3)} median ${median(a).toFixed(3)} us/point`);
  console.log(`other: best ${Math.min(...b).toFixed(3)} median ${median(b).toFixed(3)} us/point`);
  console.log(
    `other / this: best ${(Math.min(...b) / Math.min(...a)).toFixed(3)}x, median ${(median(b) / median(a)).toFixed(3)}x, ` +
      `per-round median ${median(b.map((x, i) => x / (a[i] as number))).toFixed(3)}x, per-5,000-points median ${median(pairs).toFixed(3)}x`,
  );
}
