import { alarmKind, alarmStateChangeSchemas, type CloudWatchAlarmStateChangeEvent } from "../../events/inbound";
import type { AlertStatus, NormaliseOptions, NormaliseResult, Severity } from "./alert";
import { instanceArn } from "./arn";
import { buildAlert, eventTimeOf } from "./draft";
import { resolveContext } from "./resolve";
import { thresholdSide } from "./spend";
import type { Topology } from "./topology";

/** Dimensions whose value names a resource (the rest qualify a metric: `Operation`, `AvailabilityZone`, `Currency`…). */
const RESOURCE_DIMENSIONS = new Set([
  "InstanceId",
  "AutoScalingGroupName",
  "DBInstanceIdentifier",
  "DBClusterIdentifier",
  "TableName",
  "FunctionName",
  "QueueName",
  "TopicName",
  "LoadBalancer",
  "TargetGroup",
  "LoadBalancerName",
  "CacheClusterId",
  "ReplicationGroupId",
  "NatGatewayId",
  "ClusterName",
  "ServiceName",
  "VolumeId",
  "BucketName",
  "StreamName",
  "ApiName",
  "DistributionId",
]);

function alarmArnOf(event: CloudWatchAlarmStateChangeEvent): string {
  const name = event.detail.alarmName;
  return (
    event.resources.find((r) => r.includes(":alarm:")) ?? `arn:aws:cloudwatch:${event.region}:${event.account}:alarm:${name}`
  );
}

/** ARNs of the child alarms whose transition triggered a composite alarm (`reasonData.triggeringAlarms`). */
function triggeringAlarms(reasonData: string | undefined): string[] {
  if (reasonData === undefined) return [];
  try {
    const parsed = JSON.parse(reasonData) as { triggeringAlarms?: unknown };
    if (!Array.isArray(parsed.triggeringAlarms)) return [];
    return parsed.triggeringAlarms.flatMap((t: unknown) => {
      const arn = (t as { arn?: unknown } | null)?.arn;
      return typeof arn === "string" ? [arn] : [];
    });
  } catch {
    // reasonData is free-form for some alarm types; a non-JSON one simply names no children.
    return [];
  }
}

interface MetricFacts {
  namespace?: string;
  metricName?: string;
  dimensions: Record<string, string>;
}

function metricFacts(event: CloudWatchAlarmStateChangeEvent): MetricFacts {
  // The configuration is a union of loose objects; re-reading it with the metric schema narrows it without a cast.
  // The schema set is built on first use, not at import (events/lazy.ts).
  const config = alarmStateChangeSchemas().MetricAlarmConfigurationSchema.safeParse(event.detail.configuration);
  if (!config.success) return { dimensions: {} };
  const stats = config.data.metrics.flatMap((m) => (m.metricStat === undefined ? [] : [m.metricStat.metric]));
  const dimensions = Object.assign({}, ...stats.map((s) => s.dimensions)) as Record<string, string>;
  const first = stats[0];
  return { ...(first ? { namespace: first.namespace, metricName: first.name } : {}), dimensions };
}

function dimensionRefs(event: CloudWatchAlarmStateChangeEvent, dimensions: Record<string, string>): string[] {
  return Object.entries(dimensions).flatMap(([key, value]) => {
    if (!RESOURCE_DIMENSIONS.has(key)) return [];
    return [key === "InstanceId" ? instanceArn(event.region, event.account, value) : value];
  });
}

/**
 * Normalises a `CloudWatch Alarm State Change` (metric, metric-math, anomaly-detection, Metrics Insights and
 * composite alarms). Fingerprint: the alarm ARN, so ALARM and OK of one alarm share it.
 * Status and severity:
 * - `ALARM` → firing, `options.alarmSeverity` (default `warning`); composite alarms `options.compositeAlarmSeverity`
 *   (default `error`), since they aggregate what a team pages on;
 * - `OK` → resolved;
 * - `INSUFFICIENT_DATA` → resolved when it leaves `ALARM` (the alarm no longer asserts the problem), otherwise
 *   firing at `info` (the metric vanished: stopped or terminated instances, a stalled producer).
 * Resources: the alarm, then the resource it monitors (topology), then resource dimensions; a composite adds the
 * child alarms that triggered it (label `triggeringAlarms`).
 *
 * @param event - a parsed alarm state change
 * @param topology - the indexed topology
 * @param options - severities
 */
export function normaliseAlarm(
  event: CloudWatchAlarmStateChangeEvent,
  topology: Topology,
  options: NormaliseOptions = {},
): NormaliseResult {
  const { detail } = event;
  const alarmArn = alarmArnOf(event);
  const scope = { account: event.account, region: event.region };
  const known = topology.alarm(alarmArn, scope) ?? topology.alarm(detail.alarmName, scope);
  const kind = alarmKind(detail);
  const metric = metricFacts(event);
  const triggers = kind === "composite" ? triggeringAlarms(detail.state.reasonData) : [];
  const firingSeverity: Severity =
    kind === "composite" ? (options.compositeAlarmSeverity ?? "error") : (options.alarmSeverity ?? "warning");

  const state = detail.state.value;
  const previous = detail.previousState.value;
  let status: AlertStatus = "firing";
  let severity = firingSeverity;
  if (state === "OK" || (state === "INSUFFICIENT_DATA" && previous === "ALARM")) status = "resolved";
  else if (state === "INSUFFICIENT_DATA") severity = "info";

  const dimensionResources = dimensionRefs(event, metric.dimensions);
  // A metric whose dimensions name no resource (Service, Environment) aggregates a whole service: it is no zone's,
  // whatever instance the topology lists as the alarm's monitored resource.
  const serviceWide = kind !== "composite" && Object.keys(metric.dimensions).length > 0 && dimensionResources.length === 0;
  const ctx = resolveContext(topology, {
    account: event.account,
    region: event.region,
    refs: [alarmArn, ...(known?.monitoredResource ? [known.monitoredResource] : []), ...dimensionResources, ...triggers],
    tags: [known?.tags],
    names: [detail.alarmName],
    az: known?.az ?? metric.dimensions.AvailabilityZone,
    zoneFromRefs: !serviceWide,
  });
  const what = metric.metricName === undefined ? kind : `${metric.namespace ?? ""} ${metric.metricName}`.trim();
  return {
    alerts: [
      buildAlert(
        event,
        {
          fingerprint: `alarm:${alarmArn}`,
          status,
          severity,
          kind: "cloudwatch.alarm-state-change",
          title: detail.alarmName,
          summary: `${detail.alarmName} ${previous} → ${state} (${what}): ${detail.state.reason}`,
          eventTime: eventTimeOf(event, detail.state.timestamp),
          labels: {
            alarmName: detail.alarmName,
            alarmKind: kind,
            alarmState: state,
            previousState: previous,
            namespace: metric.namespace,
            metricName: metric.metricName,
            thresholdSide: thresholdSide(detail.state.reason),
            triggeringAlarms: triggers.length > 0 ? triggers.join(",") : undefined,
            childAlarms: known?.children?.join(","),
            actionsSuppressedBy: detail.state.actionsSuppressedBy,
          },
        },
        ctx,
      ),
    ],
  };
}
