import { MetricUnit } from "@aws-lambda-powertools/metrics";
import { indexTopology, type EngineContext } from "../../core/grouping";
import { publishEvents } from "../../core/publish/publisher";
import { createStore } from "../../core/store/service";
import { config } from "./config";
import type { GroupingDeps, GroupingReport } from "./grouping-run";
import { logger, metrics } from "./powertools";
import { dynamodb, eventbridge, resources } from "./resources";

let engine: EngineContext | undefined;
let deps: GroupingDeps | undefined;

/**
 * The engine context from the bundled config (topology and `grouping`), built once per instance. The
 * topology is indexed, not validated again: config() is the config validated at deploy, or by the local
 * runtime when it loads one.
 */
export function groupingContext(): EngineContext {
  engine ??= { topology: indexTopology(config().topology), config: config().grouping };
  return engine;
}

/** The store and the ops-bus publisher, bound once per instance. */
export function groupingDeps(): GroupingDeps {
  deps ??= {
    store: createStore({ client: dynamodb, table: resources.table() }),
    publish: (entries) => publishEvents(eventbridge, resources.bus(), entries),
  };
  return deps;
}

/**
 * Says when a scope's state outgrew its item: history dropped to keep grouping (`shedHistory`), a warning with what
 * went and `ScopeHistoryShed` (scopes), which an alarm watches; or, when even that was not enough, the state stored
 * over several items (core/store/scope-parts.ts), a warning and `ScopeStateSpilled` (scopes). Either way the estate has
 * outgrown one state per correlation scope.
 */
export function reportStateOverflow(report: GroupingReport): void {
  const shed = report.shed ?? {};
  if (Object.keys(shed).length > 0) logger.warn("grouping state outgrew its item: oldest history dropped", { shed });
  metrics.addMetric("ScopeHistoryShed", MetricUnit.Count, Object.keys(shed).length);
  const spilled = report.spilled ?? {};
  if (Object.keys(spilled).length > 0) logger.warn("grouping state outgrew its item even without history: stored over several items", { parts: spilled });
  metrics.addMetric("ScopeStateSpilled", MetricUnit.Count, Object.keys(spilled).length);
}
