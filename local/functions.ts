import { FUNCTION_PATTERNS, forwardedFromDefaultBus, type EventPattern } from "../events/patterns";

/** How a function is triggered, mirroring its subscription in infra/. */
export type Trigger =
  | { kind: "bus"; patterns: readonly EventPattern[] }
  | { kind: "kinesis"; batchSize: number }
  | { kind: "url" };

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
  { name: "audit-writer", trigger: { kind: "bus", patterns: FUNCTION_PATTERNS.auditWriter }, load: () => import("../functions/audit-writer") },
  { name: "anomaly-scorer", trigger: { kind: "kinesis", batchSize: 100 }, load: () => import("../functions/anomaly-scorer") },
  // One function, two subscriptions: ops-bus rules (plus the staleness schedule) and its own mapping
  // on the metrics stream, which reads with its own iterators beside anomaly-scorer's.
  {
    name: "replication-monitor",
    trigger: { kind: "bus", patterns: FUNCTION_PATTERNS.replicationMonitor },
    load: () => import("../functions/replication-monitor"),
    schedule: { everyMs: 60_000 },
  },
  { name: "remediator", trigger: { kind: "bus", patterns: FUNCTION_PATTERNS.remediator }, load: () => import("../functions/remediator") },
  // Behind a function URL in AWS; invoked directly here (`invokeFunction("approve", …)`).
  { name: "approve", trigger: { kind: "url" }, load: () => import("../functions/approve") },
  { name: "replication-monitor-metrics", trigger: { kind: "kinesis", batchSize: 100 }, load: () => import("../functions/replication-monitor") },
];

/** Rules on the default bus that forward the AWS events Vigil consumes to its ops bus, one per family. */
export const FORWARDING_RULES = Object.entries(forwardedFromDefaultBus).map(([family, pattern]) => ({
  name: `forward-${family}`,
  pattern: pattern as EventPattern,
}));
