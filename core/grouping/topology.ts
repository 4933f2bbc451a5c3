import { describeFirstIssue } from "../../events/format-issue";
import { InvalidTopologyError } from "./errors";
import { indexTopology, type Topology } from "./topology-index";
import { TopologySchema } from "./topology-schema";

// The indexing lives in topology-index.ts, which imports the schema module for its types only: with
// bundle splitting, any import of topology-schema.ts from a module a function loads put the topology
// schema in the chunk that function shares with the config validator, built at every cold start.
export * from "./topology-index";
export * from "./topology-schema";

/**
 * Validates a topology and indexes it: resource (ARN, id, name, SQS URL) and alarm (ARN, name) → service,
 * service → dependencies and dependents, AZ name ↔ zone id, account id → alias. Throws
 * `InvalidTopologyError` (`grouping.invalid_topology`) naming the first bad field.
 *
 * @param raw - the parsed topology JSON/YAML (config `topology` section or a `--topology` file)
 */
export function buildTopology(raw: unknown): Topology {
  const parsed = TopologySchema.safeParse(raw ?? {});
  if (!parsed.success) throw new InvalidTopologyError(describeFirstIssue(parsed.error));
  return indexTopology(parsed.data);
}
