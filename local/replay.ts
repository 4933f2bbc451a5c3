import { PutRecordsCommand, type PutRecordsRequestEntry } from "@aws-sdk/client-kinesis";
import { isKnownEventType, parseInboundEvent } from "../events/inbound";
import { matchesPattern } from "../core/eventbridge/pattern";
import { VIGIL_SOURCE } from "../events/outbound";
import type { BusEvent } from "./eventbridge/bus";
import type { Runtime } from "./runtime";
import { fireSchedule, invokeFunction, startSchedules } from "./direct-invoke";
import { FORWARDING_RULES } from "./functions";
import { inEventTimeOrder, readReplayFile, type ReplayItem, type ReplayProblem } from "./replay-input";

export interface ReplayOptions {
  files: string[];
  /** Fire timers up to this time (ms); default: the last event's time. */
  until?: number;
  onProgress?: (done: number, total: number) => void;
  onProblem?: (problem: ReplayProblem) => void;
}

export interface ReplaySummary {
  read: number;
  /** EventBridge events and S3 notifications. */
  events: number;
  metrics: number;
  skipped: ReplayProblem[];
  emitted: BusEvent[];
  deadLetters: number;
  seconds: number;
  /** Ids of the EventBridge events read, in input order (files in the order given, then line order). */
  eventIds: string[];
}

/** Metric Streams puts several metrics in one record; so does the replay, per series. */
const METRIC_BATCH = 500;
/**
 * Metrics are sent to Kinesis a minute at a time, as Metric Streams delivers them (in AWS they
 * arrive two to three minutes late, so events of the same minute may well come first).
 */
const METRIC_FLUSH_MS = 60_000;
/**
 * Between events, metrics are still delivered at least every five minutes of event time (Metric Streams'
 * own latency is two to three), so a schedule never judges staleness on metrics held back longer.
 * Shorter costs a Kinesis round per minute of replay; longer could make a protected resource look stale.
 */
const METRIC_HOLD_MS = 5 * 60_000;
/**
 * `vigil replay`'s alert stream window (minutes): the grouper reads an hour of alerts per batch. Any window
 * decides the same (core/grouping/scope-step-scheduled.ts; the alert stream has one shard, so every scope's alerts arrive in order), an hour
 * costs a seventh of the grouping writes and a fifth of the CPU of a minute on the recorded storms.
 */
export const REPLAY_STREAM_WINDOW_MINUTES = 60;
/** S3 bucket notifications invoke the replication monitor directly (S3 sends none to EventBridge). */
const S3_NOTIFICATION_TARGET = "replication-monitor";

/**
 * Feeds recorded events and metrics through the runtime in event-time order on its virtual
 * clock, settling after each step so every decision sees exactly what came before it.
 */
export async function replay(runtime: Runtime, options: ReplayOptions): Promise<ReplaySummary> {
  const started = performance.now();
  const skipped: ReplayProblem[] = [];
  const skip = (p: ReplayProblem) => {
    skipped.push(p);
    options.onProblem?.(p);
  };
  const all: ReplayItem[] = [];
  let unreadable = 0;
  for (const path of options.files) {
    const { items, problems } = readReplayFile(path);
    problems.forEach(skip);
    unreadable += problems.length;
    all.push(...items);
  }
  const items = inEventTimeOrder(all).filter((item) => {
    if (item.kind !== "event") return true;
    const { source, "detail-type": detailType } = item.event;
    if (!isKnownEventType(String(source), String(detailType))) {
      // A type without a schema that the default bus still forwards (Trusted Advisor) becomes a generic alert in the grouper.
      if (FORWARDING_RULES.some((rule) => matchesPattern(rule.pattern, item.event))) return true;
      skip({ file: item.file, line: item.line, reason: `unknown event type (source ${JSON.stringify(source)}, detail-type ${JSON.stringify(detailType)}): Vigil consumes none of it` });
      return false;
    }
    const parsed = parseInboundEvent(item.event);
    if (!parsed.ok) skip({ file: item.file, line: item.line, reason: parsed.error });
    return parsed.ok;
  });

  const acceptedBefore = runtime.bus.accepted.length;
  const deadBefore = runtime.bus.deadLetters.length;
  let done = 0;
  let pendingMetrics: Extract<ReplayItem, { kind: "metric" }>[] = [];
  const flushMetrics = async () => {
    if (pendingMetrics.length === 0) return;
    await runtime.clock.advanceTo(pendingMetrics.at(-1)!.time);
    await putMetricRecords(runtime, pendingMetrics);
    pendingMetrics = [];
    await runtime.settle();
  };
  // Schedules start at the replay's first moment, not at the clock's epoch.
  if (items[0] !== undefined) await runtime.clock.advanceTo(items[0].time);
  startSchedules(runtime);
  // Events routed to the alert stream are written and consumed once the clock is about to leave their window
  // (a minute by default; see `RuntimeOptions.streamWindowMs`), so the grouper reads a window per batch.
  const window = runtime.streamWindowMs;
  let bufferedSince = Number.NEGATIVE_INFINITY;
  for (const item of items) {
    if (runtime.bufferedRecords() === 0) bufferedSince = item.time;
    else if (Math.floor(item.time / window) !== Math.floor(bufferedSince / window)) {
      await runtime.settle({ streams: "written" });
      bufferedSince = item.time;
    }
    const held = pendingMetrics.length > 0 ? item.time - pendingMetrics[0]!.time : 0;
    if (held >= (item.kind === "metric" ? METRIC_HOLD_MS : METRIC_FLUSH_MS)) await flushMetrics();
    if (item.kind === "metric") {
      pendingMetrics.push(item);
      if (pendingMetrics.length >= METRIC_BATCH) await flushMetrics();
    } else if (item.kind === "notification") {
      await runtime.clock.advanceTo(item.time);
      await invokeFunction(S3_NOTIFICATION_TARGET, item.notification);
      await runtime.settle({ streams: false });
    } else {
      await runtime.clock.advanceTo(item.time);
      const event = item.event as unknown as BusEvent;
      runtime.bus.inject(event.source === VIGIL_SOURCE ? runtime.names.bus : "default", event);
      await runtime.settle({ streams: false });
    }
    done++;
    options.onProgress?.(done, items.length);
  }
  await flushMetrics();
  if (runtime.bufferedRecords() > 0) await runtime.settle({ streams: "written" });
  const last = items.at(-1)?.time;
  const until = options.until ?? last;
  if (until !== undefined) {
    await runtime.clock.advanceTo(until);
    await runtime.settle();
    if (window > 60_000) await catchUpIncidentTimer(runtime, until, window - 60_000);
  }
  return {
    read: all.length + unreadable,
    events: items.filter((i) => i.kind !== "metric").length,
    metrics: items.filter((i) => i.kind === "metric").length,
    skipped,
    emitted: runtime.bus.accepted
      .slice(acceptedBefore)
      .filter(({ event, via }) => via === "PutEvents" && event.source === VIGIL_SOURCE)
      .map(({ event }) => event),
    deadLetters: runtime.bus.deadLetters.length - deadBefore,
    seconds: (performance.now() - started) / 1000,
    eventIds: all.flatMap((item) => (item.kind === "event" && typeof item.event.id === "string" ? [item.event.id] : [])),
  };
}

async function putMetricRecords(runtime: Runtime, metrics: Extract<ReplayItem, { kind: "metric" }>[]): Promise<void> {
  const bySeries = new Map<string, string[]>();
  for (const m of metrics) {
    const d = m.datum;
    const key = [d.account_id, d.region, d.namespace, d.metric_name, JSON.stringify(d.dimensions ?? {})].join("|");
    const lines = bySeries.get(key);
    if (lines) lines.push(m.raw);
    else bySeries.set(key, [m.raw]);
  }
  const records: PutRecordsRequestEntry[] = [...bySeries].map(([key, lines]) => ({
    PartitionKey: key.slice(0, 256),
    Data: Buffer.from(lines.join("\n") + "\n"),
  }));
  for (let i = 0; i < records.length; i += 500) {
    const out = await runtime.kinesis.send(new PutRecordsCommand({ StreamName: runtime.names.stream, Records: records.slice(i, i + 500) }));
    if (out.FailedRecordCount) throw new Error(`local Kinesis refused ${out.FailedRecordCount} metric record(s)`);
  }
}

/**
 * Every alert has been consumed at the end of a replay, so the incident timer no longer needs to lag the
 * stream: it ticks, without the lag, the minutes it is behind (`lagMs`, the last of them `until`'s), each
 * as a minute-by-minute replay ticks it, so pages and resolves come out alike, while the clock (the DR
 * watch's staleness, the other schedules) stays at `until`. Minutes with nothing due are skipped.
 */
async function catchUpIncidentTimer(runtime: Runtime, until: number, lagMs: number): Promise<void> {
  process.env.GROUPING_TIMER_LAG_MS = "0";
  const idle = runtime.scheduleSkips.probes.get(INCIDENT_TIMER);
  const last = Math.floor(until / 60_000) * 60_000;
  for (let at = last - lagMs + 60_000; at <= last; at += 60_000) {
    if (idle !== undefined && (await idle(at))) continue;
    await fireSchedule(INCIDENT_TIMER, at);
    await runtime.settle();
  }
}

/** The scheduled function that moves grouping scopes on in quiet periods. */
const INCIDENT_TIMER = "incident-timer";
