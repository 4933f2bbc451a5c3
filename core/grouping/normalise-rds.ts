import type { RdsResourceEvent, RdsSnapshotEvent } from "../../events/inbound";
import { ignore, type NormaliseResult, type Severity } from "./alert";
import { buildAlert, eventTimeOf } from "./draft";
import { resolveContext } from "./resolve";
import type { Topology } from "./topology";

/** RDS event categories by how bad they are; categories not listed (backup, maintenance, notification…) are `info`. */
const CATEGORY_SEVERITY: Record<string, Severity> = {
  failure: "error",
  "low storage": "error",
  failover: "error",
  availability: "warning",
  security: "warning",
  "read replica": "warning",
};
const RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2, critical: 3 };

/** Messages that report the end of what the same category announced (failover, backup, recovery…). */
const COMPLETION = /\b(complete|completed|finished|recovered|restored|resumed)\b/i;

/**
 * Severity of an RDS event: the worst of its categories (`failure`, `low storage`, `failover` → error;
 * `availability`, `security`, `read replica` → warning; the rest → info).
 *
 * @param categories - `detail.EventCategories`
 */
export function rdsSeverity(categories: readonly string[]): Severity {
  return categories.reduce<Severity>((worst, c) => {
    const s = CATEGORY_SEVERITY[c.toLowerCase()] ?? "info";
    return RANK[s] > RANK[worst] ? s : worst;
  }, "info");
}

/**
 * Normalises an RDS instance, cluster, parameter-group, proxy or snapshot event. Fingerprint: the source ARN
 * and the event categories, so `failover started` (RDS-EVENT-0013) and `failover completed` (0049) share it.
 * A message reporting completion (`completed`, `finished`, `recovered`…) → resolved, anything else → firing;
 * severity by `rdsSeverity`. Snapshot events other than failures are the replication monitor's backup signal,
 * not alerts → ignored (`grouping.not_an_alert`).
 *
 * @param event - a parsed RDS event
 * @param kind - its inbound kind
 * @param topology - the indexed topology
 */
export function normaliseRds(event: RdsResourceEvent | RdsSnapshotEvent, kind: string, topology: Topology): NormaliseResult {
  const { detail } = event;
  const categories = [...detail.EventCategories].sort();
  const severity = rdsSeverity(categories);
  if (kind === "rds.snapshot-event" && severity === "info") {
    return ignore("grouping.not_an_alert", `RDS ${detail.EventID} on ${detail.SourceIdentifier}: ${detail.Message}`);
  }
  const ctx = resolveContext(topology, {
    account: event.account,
    region: event.region,
    refs: [detail.SourceArn],
    names: [detail.SourceIdentifier],
  });
  return {
    alerts: [
      buildAlert(
        event,
        {
          fingerprint: `rds:${detail.SourceArn}:${categories.join("+") || "event"}`,
          status: COMPLETION.test(detail.Message) ? "resolved" : "firing",
          severity,
          kind,
          title: `${detail.EventID} ${detail.SourceIdentifier}`,
          summary: `RDS ${detail.SourceIdentifier} (${categories.join(", ")}): ${detail.Message}`,
          eventTime: eventTimeOf(event, detail.Date),
          labels: { rdsEventId: detail.EventID, rdsCategories: categories.join(","), rdsSourceType: detail.SourceType },
        },
        ctx,
      ),
    ],
  };
}
