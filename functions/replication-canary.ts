import { MetricUnit } from "@aws-lambda-powertools/metrics";
import { hasCanary } from "../core/replication/canary-probe";
import { publishEvents } from "../core/publish/publisher";
import { config } from "./lib/config";
import { lambda, logger, metrics } from "./lib/powertools";
import { CanaryHealth } from "./lib/replication-canary-health";
import { canaryEntry, probeTarget } from "./lib/replication-canary";
import { eventbridge, resources } from "./lib/resources";

/** What one run did: targets probed, skipped while backing off, reports published, and failing scopes. */
export interface CanaryReport {
  probed: number;
  skipped: number;
  published: number;
  failures: string[];
}

const health = new CanaryHealth();

/** The schedule's time: event time, so a replay on the virtual clock writes and reads markers in its own time. */
function runTime(event: unknown): number {
  const time = typeof event === "object" && event !== null ? (event as { time?: unknown }).time : undefined;
  const at = typeof time === "string" ? Date.parse(time) : NaN;
  return Number.isFinite(at) ? at : Date.now();
}

/**
 * The canary probe, every minute (`sst.aws.Cron`): for each protected S3 bucket and DynamoDB global
 * table, writes a marker carrying its write time in the source and looks for earlier markers in the
 * replica, measuring the real end-to-end lag. RDS has no canary: its snapshot copies are the recovery
 * point, and their copy events date it.
 *
 * The reports go to the ops bus as `Replication Canary Observed`, for replication-monitor, rather than
 * into the store: the monitor stays the only writer of ReplicationTarget state (one place for the
 * hysteresis, the outbox and the version checks), and a report is evidence like a metric or a notification.
 * A target the probe cannot reach is logged once and reports nothing, so the monitor marks it stale;
 * it never fails the run (nor a replay).
 */
export const handler = lambda(async (event: unknown): Promise<CanaryReport> => {
  const { protected: targets, ...settings } = config().replication;
  const now = runTime(event);
  const probed = targets.filter(hasCanary);
  const due = probed.filter((t) => health.due(t.id, now));
  const outcomes = await Promise.all(due.map((t) => probeTarget(t, now, settings)));
  const failures = due.flatMap((t, i) => health.report(t, now, outcomes[i]?.failures ?? [], logger));
  const results = outcomes.flatMap((o) => o.results);
  const published = results.length === 0 ? 0 : (await publishEvents(eventbridge, resources.bus(), results.map(canaryEntry))).published;
  metrics.addMetric("CanaryReports", MetricUnit.Count, published);
  metrics.addMetric("CanaryFailures", MetricUnit.Count, failures.length);
  return { probed: due.length, skipped: probed.length - due.length, published, failures };
});
