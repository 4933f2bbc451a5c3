import { createHash } from "node:crypto";
import { seriesIdOf } from "../anomaly/series-id";

/** Kinesis limits: a record's data plus partition key ≤ 1 MiB; a partition key ≤ 256 characters. */
export const MAX_RECORD_BYTES = 1024 * 1024;
export const MAX_PARTITION_KEY_LENGTH = 256;

/** One Firehose record's payload, decoded to text. */
export interface SourceRecord {
  recordId: string;
  text: string;
}

/** A line that was dropped, numbered from 1 within its Firehose record. */
export interface MalformedLine {
  recordId: string;
  line: number;
  reason: string;
}

/** One Kinesis record to write: every line of one series in this invocation, in arrival order. */
export interface ForwardEntry {
  partitionKey: string;
  data: string;
  /** Metric lines in `data`. */
  lines: number;
  /** The Firehose records whose lines it carries: they fail if it cannot be written. */
  recordIds: string[];
}

/** What to write, and what was dropped. */
export interface ForwardPlan {
  entries: ForwardEntry[];
  malformed: MalformedLine[];
  /** Lines planned for writing. */
  lines: number;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * The series id of one Metric Streams JSON line, exactly as the anomaly scorer computes it
 * (core/anomaly/series-id), or why the line is unusable. Only the identifying fields are checked:
 * the scorer validates values, so this stays free of zod and cheap per line.
 */
export function seriesIdOfLine(text: string): { seriesId: string } | { reason: string } {
  let datum: unknown;
  try {
    datum = JSON.parse(text);
  } catch (error) {
    return { reason: `invalid JSON: ${(error as Error).message}` };
  }
  if (!isObj(datum)) return { reason: "not a JSON object" };
  for (const field of ["account_id", "region", "namespace", "metric_name"] as const) {
    if (typeof datum[field] !== "string" || datum[field] === "") return { reason: `${field}: expected a non-empty string` };
  }
  const dimensions = datum.dimensions ?? {};
  if (!isObj(dimensions) || !Object.values(dimensions).every((v) => typeof v === "string")) {
    return { reason: "dimensions: expected an object of strings" };
  }
  return {
    seriesId: seriesIdOf({
      account: datum.account_id as string,
      region: datum.region as string,
      namespace: datum.namespace as string,
      metricName: datum.metric_name as string,
      dimensions: dimensions as Record<string, string>,
    }),
  };
}

/** A series' partition key: its id, or a hash of it when longer than Kinesis allows (same series, same shard). */
export function partitionKeyOf(seriesId: string): string {
  return seriesId.length <= MAX_PARTITION_KEY_LENGTH ? seriesId : createHash("sha256").update(seriesId).digest("hex");
}

/**
 * The lines of one payload: newline-delimited JSON, as Metric Streams writes it. A payload that is one
 * pretty-printed object (AWS's documentation shows them so) is one line, re-serialised compactly.
 */
export function metricLines(text: string): { line: number; text: string }[] {
  const lines = text.split(/\r?\n/);
  const first = lines.findIndex((l) => l.trim() !== "");
  if (first === -1) return [];
  if (lines[first]!.trim() === "{" && lines.filter((l) => l.trim() !== "").length > 1) {
    try {
      return [{ line: first + 1, text: JSON.stringify(JSON.parse(text)) }];
    } catch {
      // Not one object after all: read line by line, so each bad line is reported on its own.
    }
  }
  return lines.flatMap((l, i) => (l.trim() === "" ? [] : [{ line: i + 1, text: l }]));
}

/**
 * Groups the lines of a Firehose batch by series: one Kinesis record per series (split only beyond
 * 1 MiB), partitioned by the series id, so a series always lands on one shard and its lines keep
 * their arrival order. Malformed lines are dropped and listed; they never affect their batch-mates.
 */
export function planForwarding(records: readonly SourceRecord[]): ForwardPlan {
  const bySeries = new Map<string, { lines: string[]; recordIds: string[]; bytes: number }[]>();
  const malformed: MalformedLine[] = [];
  let count = 0;
  for (const { recordId, text } of records) {
    for (const { line, text: lineText } of metricLines(text)) {
      const id = seriesIdOfLine(lineText);
      if ("reason" in id) {
        malformed.push({ recordId, line, reason: id.reason });
        continue;
      }
      const key = partitionKeyOf(id.seriesId);
      const bytes = Buffer.byteLength(lineText) + 1;
      if (bytes + Buffer.byteLength(key) > MAX_RECORD_BYTES) {
        malformed.push({ recordId, line, reason: `line of ${bytes} bytes exceeds a Kinesis record` });
        continue;
      }
      const chunks = bySeries.get(key) ?? [];
      if (chunks.length === 0) bySeries.set(key, chunks);
      let last = chunks.at(-1);
      if (last === undefined || last.bytes + bytes > MAX_RECORD_BYTES) {
        last = { lines: [], recordIds: [], bytes: Buffer.byteLength(key) };
        chunks.push(last);
      }
      last.lines.push(lineText);
      last.bytes += bytes;
      if (!last.recordIds.includes(recordId)) last.recordIds.push(recordId);
      count++;
    }
  }
  const entries = [...bySeries].flatMap(([partitionKey, chunks]) =>
    chunks.map((c) => ({ partitionKey, data: `${c.lines.join("\n")}\n`, lines: c.lines.length, recordIds: c.recordIds })),
  );
  return { entries, malformed, lines: count };
}
