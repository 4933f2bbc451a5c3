/** ok, breached (over RPO), stale (signals stopped) or unknown (no signal yet). */
export type ReplicationStatus = "ok" | "breached" | "stale" | "unknown";

/** Statuses that open an episode (`Replication RPO Breached`) which only a restore closes. */
export const ALERTING_STATUSES: readonly ReplicationStatus[] = ["breached", "stale"];

/** The evidence an observation rests on, one value per signal family and kind. */
export type EvidenceSource =
  | "s3-replication-event"
  | "s3-replication-metric"
  | "s3-canary"
  | "rds-snapshot"
  | "dynamodb-replication-latency"
  | "dynamodb-canary";

/** The newest lag measured in one series (a replication rule, a receiving region, a canary route). */
export interface Measure {
  /** Event time of the measurement; an older one never replaces it. */
  at: number;
  lagMinutes: number;
  source: EvidenceSource;
}

/** A change known not to be in the replica yet: the RPO is at least `now − since`. */
export interface Outstanding {
  /** When the change was made at the source. */
  since: number;
  /** Event time of the signal that reported it. */
  at: number;
  /** S3 gave up on it (`OperationFailedReplication`): breached until a later success. */
  failed: boolean;
  source: EvidenceSource;
  failureReason?: string;
}

/** Replication state of one protected resource: plain data, JSON-serialisable, times in epoch ms. */
export interface ReplicationState {
  targetId: string;
  status: ReplicationStatus;
  /** Latest time the model has seen (signals and evaluations); never moves back. */
  clock: number | null;
  /** Event time of the newest signal that carried evidence. */
  lastSignalAt: number | null;
  /** Source of the evidence behind the last evaluation. */
  lastSource: EvidenceSource | null;
  observedRpoMinutes: number | null;
  /** Newest measure per series key. */
  measures: Record<string, Measure>;
  /** Unreplicated changes by key (object key and version, or canary route). */
  outstanding: Record<string, Outstanding>;
  /** RDS: data point of the newest restorable copy in a DR region, and whether it had to be estimated. */
  recoveryPoint: { at: number; estimated: boolean } | null;
  /** RDS: data point of recent source snapshots, by snapshot id. */
  snapshots: Record<string, number>;
  /** Consecutive in-target observations since `since` (the restore hysteresis). */
  restore: { count: number; since: number } | null;
  /** When the current breached/stale episode began. */
  alertSince: number | null;
  /** Counters of inputs the model corrected or ignored. */
  flags: { futureSignals: number; negativeLags: number; outOfOrder: number };
}

/**
 * A fresh state: `unknown` until the first signal.
 *
 * @param targetId - the protected resource's id
 */
export function initialState(targetId: string): ReplicationState {
  return {
    targetId,
    status: "unknown",
    clock: null,
    lastSignalAt: null,
    lastSource: null,
    observedRpoMinutes: null,
    measures: {},
    outstanding: {},
    recoveryPoint: null,
    snapshots: {},
    restore: null,
    alertSince: null,
    flags: { futureSignals: 0, negativeLags: 0, outOfOrder: 0 },
  };
}
