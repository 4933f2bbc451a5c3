import { FUNCTION_PATTERNS, forwardedFromDefaultBus, type EventPattern } from "../events/patterns";

/** How a function is triggered, mirroring its subscription in infra/. */
export type Trigger =
  | { kind: "bus"; patterns: readonly EventPattern[] }
  /** A mapping on a stream: the metrics stream unless `stream` says the alert stream. */
  | { kind: "kinesis"; batchSize: number; stream?: "metrics" | "alerts" }
  | { kind: "url" }
  /** Invoked only by its `schedule`. */
  | { kind: "schedule" };

export interface LocalFunction {
  name: string;
  trigger: Trigger;
  load: () => Promise<unknown>;
  /**
   * Also invoked with an `aws.events` `Scheduled Event` every `everyMs` of the runtime's clock, as an
   * `sst.aws.Cron` invokes it in AWS (a replay fires it on the virtual clock).
   */
  schedule?: { everyMs: number };
  /**
   * Invocations run one at a time (a reserved concurrency of 1): the audit writer appends to one hash
   * chain, and concurrent appends only collide on its head and retry.
   */
  serial?: boolean;
}

/**
 * Every Vigil function the local runtime runs, with the subscription it has in AWS. The
 * modules load lazily so the runtime can set endpoints and linked resources first.
 */
export const FUNCTIONS: LocalFunction[] = [
  { name: "audit-writer", trigger: { kind: "bus", patterns: FUNCTION_PATTERNS.auditWriter }, load: () => import("../functions/audit-writer"), serial: true },
  { name: "anomaly-scorer", trigger: { kind: "kinesis", batchSize: 100 }, load: () => import("../functions/anomaly-scorer") },
  // One function, two subscriptions: ops-bus rules (plus the staleness schedule) and its own mapping
  // on the metrics stream, which reads with its own iterators beside anomaly-scorer's.
  {
    name: "replication-monitor",
    trigger: { kind: "bus", patterns: FUNCTION_PATTERNS.replicationMonitor },
    load: () => import("../functions/replication-monitor"),
    schedule: { everyMs: 60_000 },
  },
  // An sst.aws.Cron in AWS: only the one-minute schedule. Its reports reach the monitor on the ops bus.
  {
    name: "replication-canary",
    trigger: { kind: "schedule" },
    load: () => import("../functions/replication-canary"),
    schedule: { everyMs: 60_000 },
  },
  { name: "remediator", trigger: { kind: "bus", patterns: FUNCTION_PATTERNS.remediator }, load: () => import("../functions/remediator") },
  // Behind a function URL in AWS; invoked directly here (`invokeFunction("approve", …)`).
  { name: "approve", trigger: { kind: "url" }, load: () => import("../functions/approve") },
  { name: "replication-monitor-metrics", trigger: { kind: "kinesis", batchSize: 100 }, load: () => import("../functions/replication-monitor") },
  // Ops-bus rules put alerts on the alert stream (see STREAM_RULES); the grouper reads it in batches per account.
  { name: "alert-grouper", trigger: { kind: "kinesis", batchSize: 100, stream: "alerts" }, load: () => import("../functions/alert-grouper") },
  // Only a schedule: every minute it ticks the grouping scopes with something due.
  { name: "incident-timer", trigger: { kind: "schedule" }, load: () => import("../functions/incident-timer"), schedule: { everyMs: 60_000 } },
];

/** Rules on the default bus that forward the AWS events Vigil consumes to its ops bus, one per family. */
export const FORWARDING_RULES = Object.entries(forwardedFromDefaultBus).map(([family, pattern]) => ({
  name: `forward-${family}`,
  pattern: pattern as EventPattern,
}));

/** Ops-bus rules whose target is a stream, as in infra/: the alert grouper's patterns feed the alert stream, partitioned by account. */
export const STREAM_RULES = [
  { name: "alert-grouper-stream", stream: "alerts" as const, patterns: FUNCTION_PATTERNS.alertGrouper, partitionKeyPath: "$.account" },
];
