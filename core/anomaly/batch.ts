import { createDetector, scorePoint, type DetectorConfig, type DetectorState, type PointScore } from "./index";
import { deserializeDetector, serializeDetector } from "./serialize";
import type { SeriesKey } from "./series-id";

/** One point of one series, in the order it arrived. */
export interface SeriesPoint {
  seriesId: string;
  key: SeriesKey;
  timestamp: number;
  value: number;
}

/** A series as loaded from the store: its serialised detector and its recent anomalies. */
export interface StoredSeries {
  state: string;
  /**
   * The same detector already in memory (a warm Lambda's cache), used instead of parsing `state`.
   * It must be exactly what `state` holds; scoring updates it in place.
   */
  detector?: DetectorState;
  /** Anomalies found in the last points, kept so a redelivered batch can re-emit them. */
  recentAnomalies: AnomalyFinding[];
}

export interface AnomalyFinding extends PointScore {
  seriesId: string;
  key: SeriesKey;
  timestamp: number;
  value: number;
}

export interface SeriesOutcome {
  seriesId: string;
  /** Serialised detector after the batch. */
  state: string;
  /** The detector after the batch (the object scored in place): what a warm cache keeps. */
  detector: DetectorState;
  lastTimestamp: number;
  recentAnomalies: AnomalyFinding[];
  /** Whether anything changed (a point was learned); unchanged series need no write. */
  changed: boolean;
}

export interface BatchScore {
  series: SeriesOutcome[];
  /** Anomalies to publish: new ones, and earlier ones whose points were delivered again. */
  anomalies: AnomalyFinding[];
  scored: number;
  skipped: { seriesId: string; timestamp: number; reason: string }[];
}

/** How many recent anomalies a series remembers for re-emission. */
export const RECENT_ANOMALIES = 5;

/**
 * Scores a batch of points against their series' stored detectors. Points of one series are
 * taken in arrival order; a point the detector refuses (duplicate, out of order, not finite)
 * is skipped with its reason and never touches the state. A point delivered again that had
 * produced an anomaly yields that anomaly again, so an emission lost to a crash between save
 * and publish is recovered by the redelivery (consumers deduplicate on the event id).
 */
export function scoreBatch(
  points: readonly SeriesPoint[],
  stored: ReadonlyMap<string, StoredSeries>,
  config: Partial<DetectorConfig> = {},
): BatchScore {
  const bySeries = new Map<string, SeriesPoint[]>();
  for (const p of points) {
    const list = bySeries.get(p.seriesId);
    if (list) list.push(p);
    else bySeries.set(p.seriesId, [p]);
  }
  const result: BatchScore = { series: [], anomalies: [], scored: 0, skipped: [] };
  for (const [seriesId, list] of bySeries) {
    const previous = stored.get(seriesId);
    const detector: DetectorState = previous ? (previous.detector ?? deserializeDetector(previous.state)) : createDetector(config);
    const recent = [...(previous?.recentAnomalies ?? [])];
    let changed = false;
    for (const point of list) {
      const { result: verdict } = scorePoint(detector, { timestamp: point.timestamp, value: point.value });
      if ("skipped" in verdict) {
        const earlier = recent.find((a) => a.timestamp === point.timestamp);
        if (earlier) result.anomalies.push(earlier);
        result.skipped.push({ seriesId, timestamp: point.timestamp, reason: verdict.skipped });
        continue;
      }
      changed = true;
      result.scored++;
      if (verdict.anomalous) {
        const finding = { ...verdict, seriesId, key: point.key, timestamp: point.timestamp, value: point.value };
        result.anomalies.push(finding);
        recent.push(finding);
        if (recent.length > RECENT_ANOMALIES) recent.shift();
      }
    }
    result.series.push({
      seriesId,
      state: changed || !previous ? serializeDetector(detector) : previous.state,
      detector,
      lastTimestamp: detector.lastTimestamp ?? 0,
      recentAnomalies: recent,
      changed,
    });
  }
  return result;
}
