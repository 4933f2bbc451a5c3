import type { Alert } from "./alert";

/**
 * Metrics whose alarm below a threshold says a resource sits idle (paid for, unused), not that anything fails. A host
 * count or request count below a threshold is an outage, so only these utilisation metrics count.
 */
const UTILISATION_METRICS: ReadonlySet<string> = new Set(["CPUUtilization", "NetworkIn", "NetworkOut", "NetworkPacketsIn", "NetworkPacketsOut"]);

/**
 * Trusted Advisor's cost optimisation checks (the names its events carry in `check-name`). Its other categories
 * (security, fault tolerance, performance, service limits) are no spend.
 */
const COST_CHECKS: ReadonlySet<string> = new Set([
  "Low Utilization Amazon EC2 Instances",
  "Idle Load Balancers",
  "Underutilized Amazon EBS Volumes",
  "Unassociated Elastic IP Addresses",
  "Amazon RDS Idle DB Instances",
  "Underutilized Amazon Redshift Clusters",
  "Amazon EC2 Reserved Instances Optimization",
  "Amazon EC2 Reserved Instance Lease Expiration",
  "Savings Plan",
  "Amazon Route 53 Latency Resource Record Sets",
]);

/**
 * Whether an alert tells of money spent, not of anything failing: a cost anomaly, a billing alarm, a Trusted Advisor
 * cost check, or a utilisation alarm that fired below its threshold (an idle instance). These correlate with each other
 * by account over `spendWindow` (`spendLink`), never with failures: an idle fleet is no symptom of an outage in its zone.
 *
 * @param alert - a normalised alert
 */
export function isSpendSignal(alert: Alert): boolean {
  if (alert.kind === "cost.anomaly-detected") return true;
  if (alert.kind === "cloudwatch.alarm-state-change") {
    if (alert.labels.namespace === "AWS/Billing") return true;
    return alert.labels.thresholdSide === "below" && UTILISATION_METRICS.has(alert.labels.metricName ?? "");
  }
  return alert.source === "aws.trustedadvisor" && COST_CHECKS.has(alert.labels.checkName ?? "");
}

/**
 * The side of its threshold an alarm watches, from CloudWatch's state reason ("… were less than the threshold (5.0)",
 * "… was not less than the threshold"): `below`, `above`, or undefined when the reason says neither (missing data).
 * Alarm events carry no comparison operator, only this text.
 *
 * @param reason - `detail.state.reason` of an alarm state change
 */
export function thresholdSide(reason: string): "below" | "above" | undefined {
  if (/\b(?:less|lower) than (?:or equal to )?the threshold\b/i.test(reason)) return "below";
  if (/\bgreater than (?:or equal to )?the threshold\b/i.test(reason)) return "above";
  return undefined;
}
