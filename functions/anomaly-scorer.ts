import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import { MetricUnit } from "@aws-lambda-powertools/metrics";
import type { KinesisStreamEvent, KinesisStreamRecord } from "aws-lambda";
import { scoreBatch, type AnomalyFinding, type SeriesPoint, type StoredSeries } from "../core/anomaly/batch";
import { anomalyDetail } from "../core/anomaly/emit";
import { pointFromDatum } from "../core/anomaly/points";
import { publishEvents } from "../core/publish/publisher";
import { createStore } from "../core/store/service";
import { loadSeries, saveSeries } from "../core/store/series-batch";
import { parseMetricStreamRecord } from "../events/inbound/metric-stream";
import { anomalyEntry } from "../events/outbound/anomaly";
import { DetectorCache } from "./lib/anomaly-detectors";
import { config } from "./lib/config";
import { lambda, logger, metrics } from "./lib/powertools";
import { dynamodb, eventbridge, resources } from "./lib/resources";

/** A record with no usable line at all: retried, then sent to the on-failure destination. */
export class UndecodableRecordError extends Error {
  override readonly name = "UndecodableRecordError";
  readonly code = "anomaly.undecodable_record";
}

/** Series still contended after every reload: the batch fails and Lambda retries it. */
export class SeriesContentionError extends Error {
  override readonly name = "SeriesContentionError";
  readonly code = "anomaly.series_contention";
}

const processor = new BatchProcessor(EventType.KinesisDataStreams);
const SAVE_ATTEMPTS = 3;
let store: ReturnType<typeof createStore> | undefined;
// Kept across warm invocations: a series whose stored version is unchanged is not parsed again.
const detectors = new DetectorCache();

/**
 * Scores every point of a batch of Metric Streams records. Records are decoded one by one
 * (a record with no usable line fails alone, reported in batchItemFailures); detector state is
 * then loaded once, scored, saved once with conditional writes, and anomalies published.
 */
export const handler = lambda(async (event: KinesisStreamEvent, context) => {
  const points: SeriesPoint[] = [];
  let badLines = 0;
  const decode = async (record: KinesisStreamRecord) => {
    const { metrics: data, errors } = parseMetricStreamRecord(Buffer.from(record.kinesis.data, "base64").toString("utf8"));
    for (const e of errors) logger.warn("metric line skipped", { sequenceNumber: record.kinesis.sequenceNumber, line: e.line, reason: e.reason });
    badLines += errors.length;
    if (data.length === 0) throw new UndecodableRecordError(`record ${record.kinesis.sequenceNumber} holds no Metric Streams JSON line`);
    for (const datum of data) {
      const point = pointFromDatum(datum);
      if ("skipped" in point) {
        badLines++;
        logger.warn("metric datum skipped", { sequenceNumber: record.kinesis.sequenceNumber, reason: point.skipped });
      } else points.push(point);
    }
  };
  const response = await processPartialResponse(event, decode, processor, { context });

  store ??= createStore({ client: dynamodb, table: resources.table() });
  const anomalies = await scoreAndSave(store, points);
  if (anomalies.length > 0) {
    await publishEvents(eventbridge, resources.bus(), anomalies.map((a) => anomalyEntry("Anomaly Detected", anomalyDetail(a))));
  }
  metrics.addMetric("PointsScored", MetricUnit.Count, points.length);
  metrics.addMetric("PointsSkipped", MetricUnit.Count, badLines);
  metrics.addMetric("AnomaliesDetected", MetricUnit.Count, anomalies.length);
  return response;
});

/** Loads, scores and saves; series that lost a race to another writer are reloaded and re-scored. */
async function scoreAndSave(store: ReturnType<typeof createStore>, points: SeriesPoint[]): Promise<AnomalyFinding[]> {
  const anomalies: AnomalyFinding[] = [];
  let pending = points;
  for (let attempt = 1; pending.length > 0; attempt++) {
    if (attempt > SAVE_ATTEMPTS) {
      throw new SeriesContentionError(`series still written concurrently after ${SAVE_ATTEMPTS} attempts: ${[...new Set(pending.map((p) => p.seriesId))].join(", ")}`);
    }
    const ids = [...new Set(pending.map((p) => p.seriesId))];
    const loaded = await loadSeries(store, ids);
    const stored = new Map<string, StoredSeries & { version: number }>();
    for (const id of ids) {
      const item = loaded.get(id);
      const detector = detectors.take(id, item?.version ?? -1);
      if (item) stored.set(id, { state: item.state, detector, recentAnomalies: JSON.parse(item.recentAnomalies ?? "[]"), version: item.version });
    }
    const scored = scoreBatch(pending, stored, config().anomaly);
    for (const s of scored.skipped) logger.debug("point skipped", s);
    const writes = scored.series
      .filter((s) => s.changed)
      .map((s) => ({
        seriesId: s.seriesId,
        state: s.state,
        lastTimestamp: s.lastTimestamp,
        recentAnomalies: JSON.stringify(s.recentAnomalies),
        updatedAt: new Date().toISOString(),
        expectedVersion: stored.get(s.seriesId)?.version ?? 0,
      }));
    const { saved, conflicts } = await saveSeries(store, writes);
    const lost = new Set(conflicts);
    const savedAt = new Map(saved.map((item) => [item.seriesId, item.version]));
    for (const s of scored.series) {
      const version = s.changed ? savedAt.get(s.seriesId) : stored.get(s.seriesId)?.version;
      if (version !== undefined) detectors.keep(s.seriesId, version, s.detector);
    }
    anomalies.push(...scored.anomalies.filter((a) => !lost.has(a.seriesId)));
    metrics.addMetric("StateBytes", MetricUnit.Bytes, saved.reduce((n, s) => n + Buffer.byteLength(s.state), 0) / Math.max(saved.length, 1));
    pending = pending.filter((p) => lost.has(p.seriesId));
  }
  return anomalies;
}
