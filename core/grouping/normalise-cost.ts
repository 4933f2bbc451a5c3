import type { CostAnomalyEvent } from "../../events/inbound";
import { anomalySchemas } from "../../events/outbound/anomaly";
import { ignore, type NormaliseResult, type Severity } from "./alert";
import { instanceArn } from "./arn";
import { buildAlert, eventTimeOf, type Envelope } from "./draft";
import { resolveContext } from "./resolve";
import type { Topology } from "./topology";

/** Spend this far above expected (in %) makes a cost anomaly an `error` rather than a `warning`. */
const COST_ERROR_IMPACT_PERCENT = 100;

/**
 * Severity of a cost anomaly: `error` when spend is at least double what was expected
 * (`totalImpactPercentage` ≥ 100), else `warning`.
 *
 * @param impactPercent - `impact.totalImpactPercentage`, when AWS sends it
 */
export function costSeverity(impactPercent: number | undefined): Severity {
  return impactPercent !== undefined && impactPercent >= COST_ERROR_IMPACT_PERCENT ? "error" : "warning";
}

/**
 * Normalises Cost Anomaly Detection's `Anomaly Detected` (source `aws.ce`). Fingerprint: the anomaly id.
 * Always firing (AWS sends no clearing event). Account and region come from the first root cause (the linked
 * account where spend rose), else the event; severity by `costSeverity`.
 *
 * @param event - a parsed cost anomaly
 * @param topology - the indexed topology
 */
export function normaliseCostAnomaly(event: CostAnomalyEvent, topology: Topology): NormaliseResult {
  const { detail } = event;
  const cause = detail.rootCauses[0];
  const account = cause?.linkedAccount ?? detail.accountId ?? event.account;
  const region = cause?.region ?? event.region;
  const awsService = cause?.service ?? detail.dimensionValue ?? detail.dimensionalValue;
  const ctx = resolveContext(topology, { account, region, refs: [...event.resources, ...(detail.monitorArn ? [detail.monitorArn] : [])] });
  const impact = detail.impact.totalImpact.toFixed(2);
  return {
    alerts: [
      buildAlert(
        event,
        {
          fingerprint: `cost:${detail.anomalyId}`,
          status: "firing",
          severity: costSeverity(detail.impact.totalImpactPercentage),
          kind: "cost.anomaly-detected",
          title: `Cost anomaly ${awsService ?? ""}`.trim(),
          summary: `Cost anomaly: ${awsService ?? "spend"} ${impact} above expected${cause?.usageType ? ` (${cause.usageType})` : ""}`,
          eventTime: eventTimeOf(event),
          account,
          region,
          labels: { awsService, usageType: cause?.usageType, costImpact: impact },
        },
        ctx,
      ),
    ],
  };
}

/**
 * Normalises Vigil's own `Anomaly Detected`. Fingerprint: the series id, so repeated anomalies in one metric
 * series dedup into one alert; firing, at the severity the scorer chose. Resources: the metric's dimension
 * values (instance ids become ARNs), resolved through the topology.
 *
 * @param event - a Vigil `Anomaly Detected` event (its detail is re-read with the contract's schema)
 * @param topology - the indexed topology
 */
export function normaliseVigilAnomaly(event: Envelope & { detail: unknown }, topology: Topology): NormaliseResult {
  const parsed = anomalySchemas().AnomalyDetectedDetailSchema.safeParse(event.detail);
  if (!parsed.success) return ignore("grouping.malformed_event", `Vigil Anomaly Detected ${event.id} has no valid anomaly detail`);
  const detail = parsed.data;
  const a = detail.anomaly;
  const refs = Object.entries(a.dimensions).map(([k, v]) => (k === "InstanceId" ? instanceArn(a.region, a.account, v) : v));
  const ctx = resolveContext(topology, {
    account: a.account,
    region: a.region,
    refs,
    names: Object.values(a.dimensions),
    az: a.dimensions.AvailabilityZone,
  });
  return {
    alerts: [
      buildAlert(
        event,
        {
          fingerprint: `anomaly:${a.seriesId}`,
          status: "firing",
          severity: detail.severity,
          kind: "vigil.anomaly-detected",
          title: `${a.namespace} ${a.metricName} anomaly`,
          summary: detail.summary,
          eventTime: eventTimeOf(event, a.timestamp),
          account: a.account,
          region: a.region,
          labels: { namespace: a.namespace, metricName: a.metricName, anomalyScore: a.score.toFixed(3) },
        },
        ctx,
      ),
    ],
  };
}
