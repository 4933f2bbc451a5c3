import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { parseMetricStreamRecord } from "../events/inbound/metric-stream";

/** One thing to replay, with where it came from so problems can name the file and line. */
export type ReplayItem =
  | { kind: "event"; time: number; event: Record<string, unknown>; file: string; line: number }
  | { kind: "metric"; time: number; datum: Record<string, unknown>; raw: string; file: string; line: number }
  /** An S3 event notification (`Records[]`, `eventSource: aws:s3`), which S3 sends to Lambda directly. */
  | { kind: "notification"; time: number; notification: Record<string, unknown>; file: string; line: number };

export interface ReplayProblem {
  file: string;
  line: number;
  reason: string;
}

const MAX_EVENT_BYTES = 256 * 1024;

/**
 * Reads replay files: EventBridge events one JSON per line (as EventBridge delivers them), a
 * JSON array of such events (an archive or `aws events` export), CloudWatch Metric Streams
 * JSON lines, or S3 event notifications (`{"Records": [...]}`, as S3 invokes Lambda). Bad lines become problems naming file, line and reason; the rest is kept.
 */
export function readReplayFile(path: string): { items: ReplayItem[]; problems: ReplayProblem[] } {
  const file = basename(path);
  const text = readFileSync(path, "utf8");
  const items: ReplayItem[] = [];
  const problems: ReplayProblem[] = [];
  const trimmed = text.trimStart();
  const units: { line: number; text: string; value?: unknown }[] = [];
  if (trimmed.startsWith("[")) {
    try {
      (JSON.parse(text) as unknown[]).forEach((value, i) => units.push({ line: i + 1, text: JSON.stringify(value), value }));
    } catch (error) {
      problems.push({ file, line: 1, reason: `not a valid JSON array: ${(error as Error).message}` });
    }
  } else {
    text.split("\n").forEach((line, i) => {
      if (line.trim() !== "") units.push({ line: i + 1, text: line });
    });
  }
  for (const unit of units) {
    const problem = (reason: string) => problems.push({ file, line: unit.line, reason });
    if (Buffer.byteLength(unit.text, "utf8") > MAX_EVENT_BYTES) {
      problem(`event is ${Buffer.byteLength(unit.text, "utf8")} bytes, over EventBridge's 256 KB limit`);
      continue;
    }
    let value = unit.value;
    if (value === undefined) {
      try {
        value = JSON.parse(unit.text);
      } catch (error) {
        problem(`not valid JSON: ${(error as Error).message}`);
        continue;
      }
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      problem("expected a JSON object");
      continue;
    }
    const obj = value as Record<string, unknown>;
    if ("detail-type" in obj || "source" in obj) {
      const time = typeof obj.time === "string" ? Date.parse(obj.time) : NaN;
      if (Number.isNaN(time)) problem(`event has no valid "time" (got ${JSON.stringify(obj.time)})`);
      else items.push({ kind: "event", time, event: obj, file, line: unit.line });
    } else if ("metric_name" in obj && "namespace" in obj) {
      // Checked here with the consumer's own parser, so a bad line is reported by file and line.
      const { metrics, errors } = parseMetricStreamRecord(unit.text);
      if (errors[0]) problem(`Metric Streams record: ${errors[0].reason}`);
      else if (metrics[0]) items.push({ kind: "metric", time: metrics[0].timestamp, datum: obj, raw: unit.text, file, line: unit.line });
    } else if (Array.isArray(obj.Records)) {
      const time = notificationTime(obj.Records as unknown[]);
      if (typeof time === "string") problem(time);
      else items.push({ kind: "notification", time, notification: obj, file, line: unit.line });
    } else {
      problem('neither an EventBridge event (no "source"/"detail-type"), a Metric Streams record (no "namespace"/"metric_name") nor an S3 notification (no "Records")');
    }
  }
  return { items, problems };
}

/** The earliest `eventTime` of an S3 notification's records, or why it has none. */
function notificationTime(records: unknown[]): number | string {
  if (records.length === 0) return "S3 notification: Records is empty";
  let earliest = Number.POSITIVE_INFINITY;
  for (const [i, record] of records.entries()) {
    const r = record as { eventSource?: unknown; eventTime?: unknown } | null;
    if (r?.eventSource !== "aws:s3") return `S3 notification: Records[${i}].eventSource is ${JSON.stringify(r?.eventSource)}, expected "aws:s3"`;
    const time = typeof r.eventTime === "string" ? Date.parse(r.eventTime) : NaN;
    if (Number.isNaN(time)) return `S3 notification: Records[${i}] has no valid "eventTime" (got ${JSON.stringify(r.eventTime)})`;
    earliest = Math.min(earliest, time);
  }
  return earliest;
}

/** Event-time order; items with the same time keep their file order (a stable sort). */
export function inEventTimeOrder(items: ReplayItem[]): ReplayItem[] {
  return items.map((item, i) => ({ item, i })).sort((a, b) => a.item.time - b.item.time || a.i - b.i).map(({ item }) => item);
}
