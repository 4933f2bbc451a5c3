import { FUNCTION_PATTERNS, alertGrouperRoutes, forwardedFromDefaultBus, type EventPattern } from "../events/patterns";
import type { VigilConfig } from "../core/config";
import { subscribedFamilies } from "../core/remediation/subscription";

/** How a function is triggered, mirroring its subscription in infra/. */
export type Trigger =
  /** Ops-bus rules, one per pattern; `subscribe` keeps only the patterns a config needs (as infra/ deploys them). */
  | { kind: "bus"; patterns: readonly EventPattern[]; subscribe?: (config: VigilConfig) => boolean[] }
  /**
   * Ops-bus rules put the events on a FIFO queue with one message group, whose mapping invokes the function
   * with batches of up to `batchSize`, one batch at a time (the audit writer's one hash chain).
   */
  | { kind: "queue"; patterns: readonly EventPattern[]; batchSize: number }
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
}

/**
 * Every Vigil function the local runtime runs, with the subscription it has in AWS. The
 * modules load lazily so the runtime can set endpoints and linked resources first.
 */
export const FUNCTIONS: LocalFunction[] = [
  // A FIFO queue in AWS (infra/audit-queue.ts): one batch at a time appends to the one hash chain.
  { name: "audit-writer", trigger: { kind: "queue", patterns: FUNCTION_PATTERNS.auditWriter, batchSize: 10 }, load: () => import("../functions/audit-writer") },
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
  // Only the families some policy can match (core/remediation/subscription.ts): with no policies, no rule at all.
  {
    name: "remediator",
    trigger: { kind: "bus", patterns: FUNCTION_PATTERNS.remediator, subscribe: (config) => subscribedFamilies(FUNCTION_PATTERNS.remediator, config.remediation.policies) },
    load: () => import("../functions/remediator"),
  },
  // Behind a function URL in AWS; invoked directly here (`invokeFunction("approve", …)`).
  { name: "approve", trigger: { kind: "url" }, load: () => import("../functions/approve") },
  { name: "replication-monitor-metrics", trigger: { kind: "kinesis", batchSize: 100 }, load: () => import("../functions/replication-monitor") },
  // Ops-bus rules put alerts on the alert stream (see STREAM_RULES); the grouper reads it in batches per correlation scope.
  { name: "alert-grouper", trigger: { kind: "kinesis", batchSize: 100, stream: "alerts" }, load: () => import("../functions/alert-grouper") },
  // Only a schedule: every minute it ticks the grouping scopes with something due.
  { name: "incident-timer", trigger: { kind: "schedule" }, load: () => import("../functions/incident-timer"), schedule: { everyMs: 60_000 } },
];

/** Rules on the default bus that forward the AWS events Vigil consumes to its ops bus, one per family. */
export const FORWARDING_RULES = Object.entries(forwardedFromDefaultBus).map(([family, pattern]) => ({
  name: `forward-${family}`,
  pattern: pattern as EventPattern,
}));

/**
 * Ops-bus rules whose target is a stream, as in infra/: one per alert-grouper route, each putting its events on
 * the alert stream partitioned by the account the alert is grouped under (see `alertGrouperRoutes`).
 */
export const STREAM_RULES = alertGrouperRoutes.map((route, i) => ({
  name: `alert-grouper-stream-${i}`,
  stream: "alerts" as const,
  pattern: route.pattern as EventPattern,
  partitionKeyPath: route.partitionKeyPath,
}));
