import { FUNCTION_PATTERNS, forwardedFromDefaultBus, type EventPattern } from "../events/patterns";

/** How a function is triggered, mirroring its subscription in infra/. */
export type Trigger =
  | { kind: "bus"; patterns: readonly EventPattern[] }
  | { kind: "kinesis"; batchSize: number };

export interface LocalFunction {
  name: string;
  trigger: Trigger;
  load: () => Promise<unknown>;
}

/**
 * Every Vigil function the local runtime runs, with the subscription it has in AWS. The
 * modules load lazily so the runtime can set endpoints and linked resources first.
 */
export const FUNCTIONS: LocalFunction[] = [
  { name: "audit-writer", trigger: { kind: "bus", patterns: FUNCTION_PATTERNS.auditWriter }, load: () => import("../functions/audit-writer") },
  { name: "anomaly-scorer", trigger: { kind: "kinesis", batchSize: 100 }, load: () => import("../functions/anomaly-scorer") },
];

/** Rules on the default bus that forward the AWS events Vigil consumes to its ops bus, one per family. */
export const FORWARDING_RULES = Object.entries(forwardedFromDefaultBus).map(([family, pattern]) => ({
  name: `forward-${family}`,
  pattern: pattern as EventPattern,
}));
