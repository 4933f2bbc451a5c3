import { MetricUnit } from "@aws-lambda-powertools/metrics";
import { applySignal, evaluate, type ReplicationTransition } from "../core/replication/model";
import { routeSignals, type Signal } from "../core/replication/signals";
import { publishEvents } from "../core/publish/publisher";
import { createStore } from "../core/store/service";
import { config } from "./lib/config";
import { lambda, logger, metrics } from "./lib/powertools";
import { decodeMonitorInput } from "./lib/replication-inputs";
import { advanceTargets } from "./lib/replication-targets";
import { dynamodb, eventbridge, resources } from "./lib/resources";

/** What an invocation did; a stream invocation also answers with an empty `batchItemFailures`. */
export interface MonitorReport {
  signals: number;
  unprotected: number;
  malformed: number;
  irrelevant: number;
  transitions: ReplicationTransition["type"][];
  batchItemFailures?: [];
}

let store: ReturnType<typeof createStore> | undefined;

/**
 * The disaster-recovery watch: folds replication signals into each protected resource's state and
 * publishes `Replication RPO Breached` / `Replication RPO Restored` once the state they describe is written.
 *
 * One function, four triggers. Metrics: a second event source mapping on the metrics stream (anomaly-scorer
 * keeps its own); Lambda's Kinesis filters match JSON `data`, and a Metric Streams record is several
 * newline-delimited objects, so no filter applies and other namespaces are skipped by a substring test.
 * S3 replication notifications: the bucket notification invokes it with `Records[]`. RDS snapshot events
 * and canary arrivals: ops-bus rules. Staleness: a one-minute schedule evaluates every target at its time.
 * Malformed, irrelevant and unprotected inputs are counted and ignored; they never touch a state.
 */
export const handler = lambda(async (event: unknown): Promise<MonitorReport> => {
  const { protected: targets, ...settings } = config().replication;
  const input = decodeMonitorInput(event, targets);
  const report: MonitorReport = { signals: 0, unprotected: 0, malformed: 0, irrelevant: 0, transitions: [] };
  if (input.kind === "unrecognised") {
    logger.warn("replication monitor ignored an event it does not consume", { detail: input.detail });
    return report;
  }
  store ??= createStore({ client: dynamodb, table: resources.table() });
  const publish = (entries: Parameters<typeof publishEvents>[2]) => publishEvents(eventbridge, resources.bus(), entries);
  let transitions: ReplicationTransition[];
  if (input.kind === "schedule") {
    transitions = await advanceTargets(store, targets, (state, target) => {
      const { state: next, transition } = evaluate(state, target, input.at, settings);
      return { state: next, transitions: transition ? [transition] : [] };
    }, publish);
  } else {
    const signals: Signal[] = [];
    for (const result of input.results) {
      if (result.ok) signals.push(result.signal);
      else if (result.reason === "malformed") {
        report.malformed++;
        logger.warn("malformed replication signal ignored", { detail: result.detail });
      } else report.irrelevant++;
    }
    const { byTarget, unprotected } = routeSignals(signals, targets);
    if (unprotected > 0) logger.debug("signals for unprotected resources ignored", { count: unprotected });
    Object.assign(report, { signals: signals.length - unprotected, unprotected });
    const receivedAt = Date.now();
    transitions = await advanceTargets(store, targets.filter((t) => byTarget.has(t.id)), (state, target) => {
      const made: ReplicationTransition[] = [];
      let current = state;
      // Event-time order within the batch, so a record's older minutes do not count as out of order.
      for (const signal of [...(byTarget.get(target.id) ?? [])].sort((a, b) => a.at - b.at)) {
        const { state: next, transition } = applySignal(current, signal, target, { receivedAt, settings });
        current = next;
        if (transition) made.push(transition);
      }
      return { state: current, transitions: made };
    }, publish);
    if (input.fromStream) report.batchItemFailures = [];
  }
  report.transitions = transitions.map((t) => t.type);
  metrics.addMetric("ReplicationSignals", MetricUnit.Count, report.signals);
  metrics.addMetric("ReplicationSignalsUnprotected", MetricUnit.Count, report.unprotected);
  metrics.addMetric("ReplicationSignalsMalformed", MetricUnit.Count, report.malformed);
  metrics.addMetric("ReplicationTransitions", MetricUnit.Count, transitions.length);
  return report;
});
