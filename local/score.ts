import { readFileSync, writeFileSync } from "node:fs";
import { createDetector, scorePoint, type DetectorConfig } from "../core/anomaly";

/** A row that could not be scored; it is kept in place with a score of 0. */
export interface ScoreRowProblem {
  /** 1-based line number in the input (the header is line 1). */
  line: number;
  reason: string;
}

/** The output CSV and the rows that were kept with a score of 0. */
export interface ScoreCsvResult {
  csv: string;
  problems: ScoreRowProblem[];
}

const NAB_TIME = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(Z|[+-]00:?00)?$/;

/**
 * Parses a CSV timestamp to epoch ms: NAB's "YYYY-MM-DD hh:mm:ss" (UTC), ISO 8601
 * with a zone, or epoch seconds/milliseconds. NaN when it is none of these.
 */
export function parseTimestamp(text: string): number {
  const t = text.trim().replace(/^"|"$/g, "");
  const m = NAB_TIME.exec(t);
  if (m) {
    const ms = m[7] ? Number(`0.${m[7]}`) * 1000 : 0;
    return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0)) + Math.floor(ms);
  }
  if (/^\d+(\.\d+)?$/.test(t)) {
    const n = Number(t);
    return n < 1e11 ? n * 1000 : n;
  }
  return /\d{4}-\d{2}-\d{2}T/.test(t) ? Date.parse(t) : Number.NaN;
}

/**
 * Scores a `timestamp,value` CSV with the streaming detector (the Lambda's
 * code) and returns `timestamp,anomaly_score`: one row per input row, in
 * input order. Rows that are malformed or that the detector skips
 * (bad value, bad, duplicate or out-of-order timestamp) score 0 and are reported.
 */
export function scoreCsvDetailed(text: string, config: Partial<DetectorConfig> = {}): ScoreCsvResult {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === "") lines.pop();
  const header = (lines[0] ?? "").split(",").map((h) => h.trim().replace(/^"|"$/g, "").toLowerCase());
  const tCol = header.indexOf("timestamp");
  const vCol = header.indexOf("value");
  const problems: ScoreRowProblem[] = [];
  if (tCol < 0 || vCol < 0) {
    throw new CsvHeaderError(lines[0] ?? "");
  }
  const state = createDetector(config);
  const out: string[] = ["timestamp,anomaly_score"];
  for (let i = 1; i < lines.length; i++) {
    const cells = lines[i]!.split(",");
    const rawTs = (cells[tCol] ?? "").trim();
    const rawValue = (cells[vCol] ?? "").trim().replace(/^"|"$/g, "");
    const value = rawValue === "" ? Number.NaN : Number(rawValue);
    const { result } = scorePoint(state, { timestamp: parseTimestamp(rawTs), value });
    if ("skipped" in result) {
      problems.push({ line: i + 1, reason: result.skipped });
      out.push(`${rawTs},0`);
    } else {
      out.push(`${rawTs},${Number(result.score.toPrecision(8))}`);
    }
  }
  return { csv: `${out.join("\n")}\n`, problems };
}

/** The CSV has no `timestamp` or no `value` column. */
export class CsvHeaderError extends Error {
  override name = "CsvHeaderError";
  readonly code = "score.invalid_header";

  constructor(header: string) {
    super(`Expected a CSV header with "timestamp" and "value" columns, got "${header}"`);
  }
}

/** `scoreCsvDetailed` without the problem list: just the output CSV text. */
export function scoreCsv(text: string, config: Partial<DetectorConfig> = {}): string {
  return scoreCsvDetailed(text, config).csv;
}

/**
 * Scores the CSV at `inPath`; writes the result to `outPath` when given.
 * Returns the output text and the rows kept with a score of 0.
 */
export function scoreFile(inPath: string, outPath?: string, config: Partial<DetectorConfig> = {}): ScoreCsvResult {
  const result = scoreCsvDetailed(readFileSync(inPath, "utf8"), config);
  if (outPath !== undefined) writeFileSync(outPath, result.csv);
  return result;
}
