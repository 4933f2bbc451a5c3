import { indexTopology, type EngineContext } from "../../core/grouping";
import { publishEvents } from "../../core/publish/publisher";
import { createStore } from "../../core/store/service";
import { config } from "./config";
import type { GroupingDeps } from "./grouping-run";
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
