import type { CanaryObservationSignal, RdsSnapshotSignal, ReplicationMetricSignal, S3ReplicationEventSignal, Signal } from "./signals";
import type { EvidenceSource, Measure, Outstanding, ReplicationState } from "./state";

const MINUTE = 60_000;
/** RDS source snapshots remembered to date their copies; older ones cannot be the newest copy's source. */
const MAX_SNAPSHOTS = 20;
/** Unreplicated S3 changes remembered; past this the oldest (which dominate the RPO) are kept. */
const MAX_OUTSTANDING = 200;

/** The state after a signal, and whether the signal added evidence (an observation) or was a no-op. */
export interface Absorbed {
  state: ReplicationState;
  changed: boolean;
}

function withMeasure(state: ReplicationState, key: string, measure: Measure): Absorbed {
  const current = state.measures[key];
  if (current !== undefined && current.at >= measure.at) {
    const outOfOrder = current.at > measure.at;
    return {
      state: outOfOrder ? { ...state, flags: { ...state.flags, outOfOrder: state.flags.outOfOrder + 1 } } : state,
      changed: false,
    };
  }
  return { state: { ...state, measures: { ...state.measures, [key]: measure } }, changed: true };
}

function withOutstanding(state: ReplicationState, key: string, entry: Outstanding): ReplicationState {
  const entries = Object.entries({ ...state.outstanding, [key]: entry });
  if (entries.length > MAX_OUTSTANDING) entries.sort(([, a], [, b]) => a.since - b.since).length = MAX_OUTSTANDING;
  return { ...state, outstanding: Object.fromEntries(entries) };
}

/** Drops outstanding changes a success proves replicated; reports whether any went. */
function clearOutstanding(state: ReplicationState, proves: (o: Outstanding, key: string) => boolean): Absorbed {
  const kept = Object.entries(state.outstanding).filter(([key, o]) => !proves(o, key));
  if (kept.length === Object.keys(state.outstanding).length) return { state, changed: false };
  return { state: { ...state, outstanding: Object.fromEntries(kept) }, changed: true };
}

function either(a: Absorbed, b: (s: ReplicationState) => Absorbed): Absorbed {
  const next = b(a.state);
  return { state: next.state, changed: a.changed || next.changed };
}

function absorbS3Event(state: ReplicationState, s: S3ReplicationEventSignal): Absorbed {
  const source: EvidenceSource = "s3-replication-event";
  const existing = state.outstanding[s.objectKey];
  switch (s.operation) {
    case "OperationFailedReplication":
      if (existing?.failed === true) return { state, changed: false };
      return {
        state: withOutstanding(state, s.objectKey, {
          since: s.requestTime,
          at: s.at,
          failed: true,
          source,
          ...(s.failureReason === undefined ? {} : { failureReason: s.failureReason }),
        }),
        changed: true,
      };
    case "OperationMissedThreshold":
      // A failure or an earlier report of the same change already says more.
      if (existing !== undefined) return { state, changed: false };
      return { state: withOutstanding(state, s.objectKey, { since: s.requestTime, at: s.at, failed: false, source }), changed: true };
    case "OperationReplicatedAfterThreshold": {
      const lag = { at: s.at, lagMinutes: Math.max(0, s.at - s.requestTime) / MINUTE, source };
      const measured = withMeasure(state, `s3:latency:${s.ruleId}`, lag);
      // This change is in; and any failure older than it is superseded by a later success.
      return either(measured, (st) => clearOutstanding(st, (o, key) => key === s.objectKey || (o.failed && o.since < s.requestTime)));
    }
    case "OperationNotTracked":
      // Not tracked by Replication Time Control: says nothing about lag.
      return { state, changed: false };
  }
}

function absorbMetric(state: ReplicationState, s: ReplicationMetricSignal): Absorbed {
  if (s.service === "dynamodb") {
    return withMeasure(state, `dynamodb:latency:${s.receivingRegion}`, { at: s.at, lagMinutes: s.value / MINUTE, source: "dynamodb-replication-latency" });
  }
  const source: EvidenceSource = "s3-replication-metric";
  if (s.metric === "ReplicationLatency") {
    const measured = withMeasure(state, `s3:latency:${s.ruleId}`, { at: s.at, lagMinutes: s.value / 60, source });
    // S3 replicated something after these failures: a later success.
    return either(measured, (st) => clearOutstanding(st, (o) => o.failed && o.at < s.at));
  }
  // Nothing pending at `at`: every change made before it, other than a failure, is in the replica.
  if (s.value === 0) return clearOutstanding(state, (o) => !o.failed && o.since <= s.at);
  return { state, changed: false };
}

function absorbRds(state: ReplicationState, s: RdsSnapshotSignal): Absorbed {
  if (s.phase !== "copied") {
    const known = state.snapshots[s.snapshotId];
    // The snapshot's data point is its start; a completion only stands in for it until the start is known.
    const point = known === undefined ? s.at : Math.min(known, s.at);
    if (point === known) return { state, changed: false };
    const entries = Object.entries({ ...state.snapshots, [s.snapshotId]: point }).sort(([, a], [, b]) => b - a);
    return { state: { ...state, snapshots: Object.fromEntries(entries.slice(0, MAX_SNAPSHOTS)) }, changed: true };
  }
  const copyStart = s.at - (s.copyMinutes ?? 0) * MINUTE;
  const sources = Object.values(state.snapshots).filter((t) => t <= copyStart);
  // The copy holds the newest source snapshot taken before it began; unknown, its start bounds it.
  const point = sources.length > 0 ? Math.max(...sources) : copyStart;
  const current = state.recoveryPoint;
  if (current !== null && current.at >= point) {
    return { state: { ...state, flags: { ...state.flags, outOfOrder: state.flags.outOfOrder + (current.at > point ? 1 : 0) } }, changed: false };
  }
  return { state: { ...state, recoveryPoint: { at: point, estimated: sources.length === 0 } }, changed: true };
}

function absorbCanary(state: ReplicationState, s: CanaryObservationSignal): Absorbed {
  const source: EvidenceSource = s.kind === "s3" ? "s3-canary" : "dynamodb-canary";
  const route = `${s.kind}:canary:${s.replica}`;
  if (s.observedAt === null) {
    const pending = state.outstanding[route];
    if (pending !== undefined && pending.since <= s.writtenAt) return { state, changed: false };
    return { state: withOutstanding(state, route, { since: s.writtenAt, at: s.at, failed: false, source }), changed: true };
  }
  const rawLag = s.observedAt - s.writtenAt;
  const skewed = rawLag < 0 ? { ...state, flags: { ...state.flags, negativeLags: state.flags.negativeLags + 1 } } : state;
  const measured = withMeasure(skewed, route, { at: s.writtenAt, lagMinutes: Math.max(0, rawLag) / MINUTE, source });
  // This marker arrived: older pending markers on the route and older failures are superseded.
  return either(measured, (st) => clearOutstanding(st, (o, key) => (key === route && o.since <= s.writtenAt) || (o.failed && o.since < s.writtenAt)));
}

/**
 * Folds one signal's evidence into the state. Pure; out-of-order and duplicate signals are no-ops
 * (counted in `flags.outOfOrder` when older than what is known).
 *
 * @param state - the current state
 * @param signal - a signal already matched to this state's target, times already skew-corrected
 */
export function absorb(state: ReplicationState, signal: Signal): Absorbed {
  switch (signal.type) {
    case "s3-replication-event":
      return absorbS3Event(state, signal);
    case "replication-metric":
      return absorbMetric(state, signal);
    case "rds-snapshot":
      return absorbRds(state, signal);
    case "canary-observation":
      return absorbCanary(state, signal);
  }
}

/** What the evidence says at one instant. */
export interface Observation {
  /** Observed data-loss window, minutes; null when no live evidence gives one. */
  rpoMinutes: number | null;
  source: EvidenceSource | null;
  /** A failed replication is unresolved. */
  failure: Outstanding | null;
}

/**
 * The observed RPO at `now`: the largest of the live measures (newer than the staleness window),
 * the age of each change known to be unreplicated, and (RDS) the age of the newest DR copy's data point.
 *
 * @param state - the current state
 * @param now - evaluation time, epoch ms
 * @param staleWindowMs - measures older than this no longer describe the present
 */
export function observe(state: ReplicationState, now: number, staleWindowMs: number): Observation {
  let best: { value: number; source: EvidenceSource } | null = null;
  const consider = (value: number, source: EvidenceSource) => {
    if (best === null || value > best.value) best = { value, source };
  };
  for (const m of Object.values(state.measures)) if (now - m.at <= staleWindowMs) consider(m.lagMinutes, m.source);
  let failure: Outstanding | null = null;
  for (const o of Object.values(state.outstanding)) {
    consider(Math.max(0, now - o.since) / MINUTE, o.source);
    if (o.failed && (failure === null || o.since < failure.since)) failure = o;
  }
  if (state.recoveryPoint !== null) consider(Math.max(0, now - state.recoveryPoint.at) / MINUTE, "rds-snapshot");
  const found = best as { value: number; source: EvidenceSource } | null;
  return { rpoMinutes: found?.value ?? null, source: found?.source ?? null, failure };
}
