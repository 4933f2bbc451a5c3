import { patterns } from "../events/patterns";

/** How a function is triggered, mirroring its subscription in infra/functions.ts. */
export type Trigger =
  | { kind: "bus"; pattern: unknown }
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
  { name: "audit-writer", trigger: { kind: "bus", pattern: patterns.auditWriter }, load: () => import("../functions/audit-writer") },
];

/** The rule on the default bus that forwards the AWS events Vigil consumes to its ops bus. */
export const FORWARDING_RULE = { name: "forward-to-ops-bus", pattern: patterns.forwardedFromDefaultBus };
