import { DEFAULT_REPLICATION_SETTINGS, type ProtectedResource, type ReplicationSettings, staleAfterMinutes } from "./config";
import { TargetMismatchError } from "./errors";
import { absorb, observe } from "./evidence";
import type { Signal } from "./signals";
import { ALERTING_STATUSES, type EvidenceSource, type ReplicationState, type ReplicationStatus } from "./state";

const MINUTE = 60_000;

/**
 * A domain fact for the outbound events: `breached` opens an episode (status breached or stale),
 * `restored` closes it. Moving between breached and stale inside an episode is not a transition.
 */
export interface ReplicationTransition {
  type: "breached" | "restored";
  targetId: string;
  /** Evaluation time, epoch ms (event time of the deciding signal, or the schedule's now). */
  at: number;
  status: ReplicationStatus;
  previousStatus: ReplicationStatus;
  observedRpoMinutes: number | null;
  source: EvidenceSource | null;
  lastSignalAt: number | null;
  /** One line for humans: why. */
  reason: string;
}

/** The outcome of an evaluation. */
export interface Evaluation {
  state: ReplicationState;
  status: ReplicationStatus;
  observedRpoMinutes: number | null;
  transition?: ReplicationTransition;
}

/** How `applySignal` reads time. */
export interface ApplyOptions {
  /** Arrival time by the handler's clock; signals dated after it (plus the tolerance) are clamped and flagged. */
  receivedAt?: number;
  settings?: ReplicationSettings;
}

const isAlerting = (status: ReplicationStatus) => ALERTING_STATUSES.includes(status);
const fmt = (minutes: number) => `${minutes.toFixed(1)} min`;

/** Clamps every time of a signal to `limit`: a clock ahead of ours cannot date evidence in our future. */
function clampSignal(signal: Signal, limit: number): Signal {
  const c = (t: number) => Math.min(t, limit);
  switch (signal.type) {
    case "s3-replication-event":
      return { ...signal, at: c(signal.at), requestTime: c(signal.requestTime) };
    case "canary-observation":
      return { ...signal, at: c(signal.at), writtenAt: c(signal.writtenAt), observedAt: signal.observedAt === null ? null : c(signal.observedAt) };
    default:
      return { ...signal, at: c(signal.at) };
  }
}

function candidateStatus(
  state: ReplicationState,
  target: ProtectedResource,
  now: number,
  settings: ReplicationSettings,
): { status: ReplicationStatus; rpo: number | null; source: EvidenceSource | null; reason: string } {
  if (state.lastSignalAt === null) return { status: "unknown", rpo: null, source: null, reason: "no signal yet" };
  const window = staleAfterMinutes(target, settings);
  const seen = observe(state, now, window * MINUTE);
  if (seen.failure !== null) {
    const why = seen.failure.failureReason === undefined ? "" : `: ${seen.failure.failureReason}`;
    return { status: "breached", rpo: seen.rpoMinutes, source: seen.failure.source, reason: `replication failed${why}` };
  }
  if (seen.rpoMinutes !== null && seen.rpoMinutes > target.rpoMinutes) {
    return { status: "breached", rpo: seen.rpoMinutes, source: seen.source, reason: `observed RPO ${fmt(seen.rpoMinutes)} > ${fmt(target.rpoMinutes)}` };
  }
  const silentFor = (now - state.lastSignalAt) / MINUTE;
  if (silentFor > window) {
    return { status: "stale", rpo: seen.rpoMinutes, source: seen.source, reason: `no signal for ${fmt(silentFor)} (stale after ${fmt(window)})` };
  }
  // Signals, but none that dates a recovery point yet (e.g. an RDS snapshot whose DR copy has not finished).
  if (seen.rpoMinutes === null) return { status: "unknown", rpo: null, source: null, reason: "no signal gives an RPO yet" };
  return { status: "ok", rpo: seen.rpoMinutes, source: seen.source, reason: `observed RPO ${fmt(seen.rpoMinutes)} <= ${fmt(target.rpoMinutes)}` };
}

function restoreSatisfied(state: ReplicationState, now: number, settings: ReplicationSettings): boolean {
  const r = state.restore;
  return r !== null && (r.count >= settings.restoreObservations || now - r.since >= settings.restoreAfterMinutes * MINUTE);
}

/**
 * Decides the status at `now` with hysteresis: breach as soon as the observed RPO exceeds the target
 * (or a replication failed), stale when signals stopped, and leave breached/stale for ok only after
 * `restoreObservations` consecutive observations below `rpoMinutes × restoreRatio`, or such observations
 * for `restoreAfterMinutes`. `unknown` until the first signal.
 *
 * @param state - the current state
 * @param target - its protected resource
 * @param now - evaluation time, epoch ms; an earlier time than the state has seen is read as that time
 * @param settings - the model's thresholds
 */
export function evaluate(
  state: ReplicationState,
  target: ProtectedResource,
  now: number,
  settings: ReplicationSettings = DEFAULT_REPLICATION_SETTINGS,
): Evaluation {
  if (state.targetId !== target.id) throw new TargetMismatchError(state.targetId, target.id);
  const at = Math.max(now, state.clock ?? now);
  const candidate = candidateStatus(state, target, at, settings);
  const previous = state.status;
  let status = candidate.status;
  const restorable = candidate.rpo !== null && candidate.rpo < target.rpoMinutes * settings.restoreRatio;
  if (isAlerting(previous) && status === "ok" && !(restorable && restoreSatisfied(state, at, settings))) status = previous;
  // Without evidence either way, an open episode stays open rather than falling back to unknown.
  if (isAlerting(previous) && status === "unknown") status = previous;

  const next: ReplicationState = {
    ...state,
    clock: at,
    status,
    observedRpoMinutes: candidate.rpo,
    lastSource: candidate.source ?? state.lastSource,
    alertSince: isAlerting(status) ? (isAlerting(previous) ? state.alertSince : at) : null,
    restore: isAlerting(status) ? state.restore : null,
  };
  const base = { targetId: target.id, at, status, previousStatus: previous, observedRpoMinutes: candidate.rpo, source: next.lastSource, lastSignalAt: state.lastSignalAt };
  if (!isAlerting(previous) && isAlerting(status)) {
    return { state: next, status, observedRpoMinutes: candidate.rpo, transition: { ...base, type: "breached", reason: candidate.reason } };
  }
  if (isAlerting(previous) && status === "ok") {
    return { state: next, status, observedRpoMinutes: candidate.rpo, transition: { ...base, type: "restored", reason: candidate.reason } };
  }
  return { state: next, status, observedRpoMinutes: candidate.rpo };
}

/**
 * Applies one signal (already matched to `target`) and evaluates at its event time, so a breach is
 * detected when the evidence arrives rather than at the next schedule. Pure; duplicates and datapoints
 * older than what is known change nothing. Signals dated after `receivedAt` are clamped to it, and
 * counted in `flags.futureSignals` when beyond the skew tolerance.
 *
 * @param state - the target's current state
 * @param signal - a normalised signal
 * @param target - the protected resource it matched
 * @param options - arrival time and thresholds
 */
export function applySignal(state: ReplicationState, signal: Signal, target: ProtectedResource, options: ApplyOptions = {}): Evaluation {
  const settings = options.settings ?? DEFAULT_REPLICATION_SETTINGS;
  let input = signal;
  let current = state;
  if (options.receivedAt !== undefined) {
    if (signal.at > options.receivedAt + settings.clockSkewToleranceSeconds * 1000) {
      current = { ...current, flags: { ...current.flags, futureSignals: current.flags.futureSignals + 1 } };
    }
    input = clampSignal(signal, options.receivedAt);
  }
  const { state: absorbed, changed } = absorb(current, input);
  if (!changed) return evaluate(absorbed, target, Math.max(input.at, state.clock ?? input.at), settings);

  const at = Math.max(input.at, state.clock ?? input.at);
  const lastSignalAt = Math.max(input.at, state.lastSignalAt ?? input.at);
  const withSignal: ReplicationState = { ...absorbed, lastSignalAt };
  const seen = observe(withSignal, at, staleAfterMinutes(target, settings) * MINUTE);
  const good = seen.failure === null && seen.rpoMinutes !== null && seen.rpoMinutes < target.rpoMinutes * settings.restoreRatio;
  // Only observations count towards a restore; a bad one starts the count again.
  const restore = good ? { count: (withSignal.restore?.count ?? 0) + 1, since: withSignal.restore?.since ?? at } : null;
  return evaluate({ ...withSignal, restore }, target, at, settings);
}
