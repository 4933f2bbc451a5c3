import { EventBridgeSchema } from "../../events/inbound/envelope";
import * as z from "zod";
import {
  type CloudWatchAlarmStateChangeEvent,
  type ConfigRulesComplianceChangeEvent,
  type CostAnomalyEvent,
  type EbsMultiVolumeSnapshotsEvent,
  type EbsSnapshotNotificationEvent,
  type EbsVolumeNotificationEvent,
  type Ec2InstanceStateChangeEvent,
  type GuardDutyFindingEvent,
  type HealthEvent,
  type InboundEvent,
  type InboundKind,
  isKnownEventType,
  parseInboundEvent,
  type RdsResourceEvent,
  type RdsSnapshotEvent,
  type SecurityHubFindingsImportedEvent,
} from "../../events/inbound";
import { describeFirstIssue } from "../../events/format-issue";
import { VIGIL_SOURCE } from "../../events/outbound/envelope";
import { ignore, type NormaliseOptions, type NormaliseResult } from "./alert";
import { normaliseAlarm } from "./normalise-alarm";
import { normaliseComplianceChange } from "./normalise-config";
import { normaliseCostAnomaly, normaliseVigilAnomaly } from "./normalise-cost";
import { normaliseEbs, normaliseInstanceState } from "./normalise-ec2";
import { normaliseGuardDuty, normaliseSecurityHub } from "./normalise-finding";
import { normaliseGeneric } from "./normalise-generic";
import { normaliseHealth } from "./normalise-health";
import { normaliseRds } from "./normalise-rds";
import type { Topology } from "./topology";

/**
 * Turns one parsed inbound event into alerts. Every alerting family maps to `firing`/`resolved` alerts (see each
 * `normalise*` for its fingerprint, status and severity rules). What yields no alert, with a stable code:
 * - `grouping.not_an_alert`: CloudTrail API calls, S3 object notifications, Config configuration item changes,
 *   EBS operations that did not fail, RDS snapshot events that are not failures: they report no problem and
 *   clear none;
 * - `grouping.own_event`: Vigil's own events other than `Anomaly Detected` (incidents, remediations,
 *   replication), so Vigil never groups its own output;
 * - `grouping.unknown_state`: a Config evaluation with INSUFFICIENT_DATA.
 * Events that only clear something (alarm OK, Config COMPLIANT, Health closed, EC2 running) are `resolved`
 * alerts, never ignored, so correlation can attach them to the incident they close. Pure; never throws on an
 * event that passed `parseInboundEvent`.
 *
 * @param event - an event validated by `parseInboundEvent`
 * @param kind - the kind `parseInboundEvent` returned with it
 * @param topology - the indexed topology (`buildTopology`)
 * @param options - severities for alarms
 */
export function normalise(event: InboundEvent, kind: InboundKind, topology: Topology, options: NormaliseOptions = {}): NormaliseResult {
  // `kind` comes from the same parse as `event`, so each branch's cast names the schema that already validated it.
  switch (kind) {
    case "cloudwatch.alarm-state-change":
      return normaliseAlarm(event as CloudWatchAlarmStateChangeEvent, topology, options);
    case "guardduty.finding":
      return normaliseGuardDuty(event as GuardDutyFindingEvent, topology);
    case "securityhub.findings-imported":
      return normaliseSecurityHub(event as SecurityHubFindingsImportedEvent, topology);
    case "config.compliance-change":
      return normaliseComplianceChange(event as ConfigRulesComplianceChangeEvent, topology);
    case "health.event":
      return normaliseHealth(event as HealthEvent, topology);
    case "ec2.instance-state-change":
      return normaliseInstanceState(event as Ec2InstanceStateChangeEvent, topology);
    case "ebs.volume-notification":
    case "ebs.snapshot-notification":
    case "ebs.multi-volume-snapshots":
      return normaliseEbs(event as EbsVolumeNotificationEvent | EbsSnapshotNotificationEvent | EbsMultiVolumeSnapshotsEvent, kind, topology);
    case "rds.resource-event":
    case "rds.snapshot-event":
      return normaliseRds(event as RdsResourceEvent | RdsSnapshotEvent, kind, topology);
    case "cost.anomaly-detected":
      return normaliseCostAnomaly(event as CostAnomalyEvent, topology);
    case "config.configuration-item-change":
    case "cloudtrail.api-call":
    case "s3.object-created":
      return ignore("grouping.not_an_alert", `${event.source} ${event["detail-type"]} ${event.id} reports a change, not a problem`);
  }
  if (event.source === VIGIL_SOURCE && event["detail-type"] === "Anomaly Detected") return normaliseVigilAnomaly(event, topology);
  return ignore("grouping.own_event", `Vigil's own ${event["detail-type"]} ${event.id} is not re-ingested as an alert`);
}

/** Enough of an event to name it in a rejection. */
const RoutingSchema = z.object({ source: z.string(), "detail-type": z.string(), id: z.string().optional() });

/**
 * Normalises anything that arrives on the bus, for callers that have not parsed it yet (replay, the CLI,
 * batch handlers). A known type is parsed with its schema and given to `normalise`. An EventBridge event of a
 * type Vigil does not know becomes a generic alert (`normaliseGeneric`), not a rejection: it may belong to an
 * incident. Anything else (not an EventBridge event, or a known type whose detail fails its schema) is ignored
 * with `grouping.malformed_event` and the first bad field. Never throws, so one bad event never blocks another.
 *
 * @param raw - one event, as delivered
 * @param topology - the indexed topology
 * @param options - severities for alarms
 */
export function normaliseEvent(raw: unknown, topology: Topology, options: NormaliseOptions = {}): NormaliseResult {
  const parsed = parseInboundEvent(raw);
  if (parsed.ok) return normalise(parsed.event, parsed.kind, topology, options);
  const head = RoutingSchema.safeParse(raw);
  if (head.success && isKnownEventType(head.data.source, head.data["detail-type"])) {
    const { source, "detail-type": detailType, id } = head.data;
    return ignore("grouping.malformed_event", `${source} ${detailType}${id ? ` ${id}` : ""}: ${parsed.error}`);
  }
  const envelope = EventBridgeSchema.safeParse(raw);
  if (!envelope.success) return ignore("grouping.malformed_event", `not an EventBridge event: ${describeFirstIssue(envelope.error)}`);
  return normaliseGeneric(envelope.data, topology);
}
