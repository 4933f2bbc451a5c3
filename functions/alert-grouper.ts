import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import { MetricUnit } from "@aws-lambda-powertools/metrics";
import type { KinesisStreamEvent, KinesisStreamRecord } from "aws-lambda";
import { normaliseEvent, type Alert } from "../core/grouping";
import { groupingContext, groupingDeps, reportStateOverflow } from "./lib/grouping-context";
import { groupAlerts } from "./lib/grouping-run";
import { lambda, logger, metrics } from "./lib/powertools";

/** A record whose data is not JSON: it fails alone, is retried, then goes to the on-failure destination. */
export class UndecodableAlertRecordError extends Error {
  override readonly name = "UndecodableAlertRecordError";
  readonly code = "grouping.undecodable_record";
}

const processor = new BatchProcessor(EventType.KinesisDataStreams);

/**
 * Groups alerts into incidents. Records on the alert stream are the ops-bus events (one per record, keyed by
 * the account their alerts are grouped under: events/patterns.ts `alertGrouperRoutes`; the stream has one
 * shard, so every scope's alerts arrive in order). Each is normalised alone: undecodable data fails that
 * record only, an event Vigil does not know becomes a generic alert, and an event that is no alert is logged
 * and skipped. The batch's alerts are then grouped per correlation scope (accounts the topology links share
 * one; loaded once, committed once, outbox applied).
 */
export const handler = lambda(async (event: KinesisStreamEvent, context) => {
  const alerts: Alert[] = [];
  // The envelope time of each alert's event: the grouper splits a batch by it (see groupAlerts).
  const emitted = new Map<Alert, number>();
  let ignored = 0;
  // Alerts of another correlation scope than their record's partition key (a Security Hub import carrying findings
  // of unlinked accounts): grouped all the same; only if the stream has several shards may they arrive late. Expected 0.
  let offPartition = 0;
  const scopes = groupingContext().topology.scopes;
  const decode = async (record: KinesisStreamRecord) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(record.kinesis.data, "base64").toString("utf8"));
    } catch (error) {
      throw new UndecodableAlertRecordError(`record ${record.kinesis.sequenceNumber} is not a JSON event`, { cause: error });
    }
    const result = normaliseEvent(parsed, groupingContext().topology);
    if ("ignored" in result) {
      ignored++;
      logger.debug("event yields no alert", { sequenceNumber: record.kinesis.sequenceNumber, code: result.code, reason: result.ignored });
    } else {
      const time = Date.parse(String((parsed as { time?: unknown }).time));
      for (const alert of result.alerts) {
        if (scopes.scopeOf(alert.account) !== scopes.scopeOf(record.kinesis.partitionKey)) offPartition++;
        alerts.push(alert);
        emitted.set(alert, Number.isFinite(time) ? time : alert.eventTime);
      }
    }
  };
  const response = await processPartialResponse(event, decode, processor, { context });
  const report = await groupAlerts(groupingDeps(), alerts, groupingContext(), (alert) => emitted.get(alert) ?? alert.eventTime);
  metrics.addMetric("AlertsGrouped", MetricUnit.Count, report.alerts);
  metrics.addMetric("AlertsDuplicate", MetricUnit.Count, report.duplicates);
  metrics.addMetric("EventsIgnored", MetricUnit.Count, ignored);
  metrics.addMetric("AlertsOffPartition", MetricUnit.Count, offPartition);
  metrics.addMetric("ScopeConflicts", MetricUnit.Count, report.conflicts);
  // Per-account scopes of an earlier version taken over by correlation scopes: nonzero only after an upgrade.
  metrics.addMetric("ScopesAdopted", MetricUnit.Count, report.adopted);
  metrics.addMetric("IncidentEventsPublished", MetricUnit.Count, report.published);
  reportStateOverflow(report);
  return response;
});
