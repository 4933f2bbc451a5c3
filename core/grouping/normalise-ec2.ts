import {
  ebsNotificationSchemas,
  type EbsMultiVolumeSnapshotsEvent,
  type EbsSnapshotNotificationEvent,
  type EbsVolumeNotificationEvent,
  type Ec2InstanceStateChangeEvent,
} from "../../events/inbound";
import { ignore, type NormaliseResult } from "./alert";
import { instanceArn } from "./arn";
import { buildAlert, eventTimeOf } from "./draft";
import { resolveContext } from "./resolve";
import type { Topology } from "./topology";

/** The fingerprint of an instance's state changes: its stops fire it, its launches clear it. */
export function instanceStateFingerprint(instanceArn: string): string {
  return `ec2-state:${instanceArn}`;
}

/** Instance states that take capacity away. */
const DOWN_STATES = new Set(["stopping", "stopped", "shutting-down", "terminated"]);

/**
 * Normalises an `EC2 Instance State-change Notification`, always at `info` (a state change is context for
 * correlation, e.g. an ASG replacing an impaired instance, not a page). Fingerprint: the instance ARN.
 * `stopping`/`stopped`/`shutting-down`/`terminated` → firing; `pending`/`running` → resolved: the instance is
 * (coming back) in service, which clears an earlier stop of the same instance, and for a new instance tells
 * correlation that replacement capacity arrived.
 *
 * @param event - a parsed EC2 state change
 * @param topology - the indexed topology
 */
export function normaliseInstanceState(event: Ec2InstanceStateChangeEvent, topology: Topology): NormaliseResult {
  const id = event.detail["instance-id"];
  const arn = event.resources.find((r) => r.endsWith(`/${id}`)) ?? instanceArn(event.region, event.account, id);
  const state = event.detail.state;
  const ctx = resolveContext(topology, { account: event.account, region: event.region, refs: [arn] });
  return {
    alerts: [
      buildAlert(
        event,
        {
          fingerprint: instanceStateFingerprint(arn),
          status: DOWN_STATES.has(state) ? "firing" : "resolved",
          severity: "info",
          kind: "ec2.instance-state-change",
          title: `EC2 instance ${state}`,
          summary: `EC2 instance ${id} is ${state}`,
          eventTime: eventTimeOf(event),
          labels: { ec2State: state, resourceType: "AWS::EC2::Instance" },
        },
        ctx,
      ),
    ],
  };
}

type EbsEvent = EbsVolumeNotificationEvent | EbsSnapshotNotificationEvent | EbsMultiVolumeSnapshotsEvent;

/**
 * Normalises an EBS volume or snapshot notification. A `failed` result → firing `error`, fingerprint the
 * resource ARN and the API action (`attachVolume`…); any other result is a completed operation that reports no
 * problem → ignored (`grouping.not_an_alert`).
 *
 * @param event - a parsed EBS notification
 * @param kind - its inbound kind
 * @param topology - the indexed topology
 */
export function normaliseEbs(event: EbsEvent, kind: string, topology: Topology): NormaliseResult {
  const { detail } = event;
  const subject = event.resources[0] ?? event.id;
  if (detail.result !== "failed") {
    return ignore("grouping.not_an_alert", `EBS ${detail.event} on ${subject} ended ${detail.result}`);
  }
  // The three EBS details share a loose base; their own schemas tell which extra fields this one has.
  const { EbsMultiVolumeSnapshotsDetailSchema, EbsSnapshotNotificationDetailSchema } = ebsNotificationSchemas();
  const multi = EbsMultiVolumeSnapshotsDetailSchema.safeParse(detail);
  const single = EbsSnapshotNotificationDetailSchema.safeParse(detail);
  const sources = multi.success ? multi.data.snapshots.map((s) => s.source) : single.success ? [single.data.source] : [];
  const endTime = multi.success ? multi.data.endTime : single.success ? single.data.endTime : undefined;
  const ctx = resolveContext(topology, { account: event.account, region: event.region, refs: [...event.resources, ...sources] });
  return {
    alerts: [
      buildAlert(
        event,
        {
          fingerprint: `ebs:${subject}:${detail.event}`,
          status: "firing",
          severity: "error",
          kind,
          title: `EBS ${detail.event} failed`,
          summary: `EBS ${detail.event} failed on ${subject}${detail.cause ? `: ${detail.cause}` : ""}`,
          eventTime: eventTimeOf(event, endTime),
          labels: { ebsEvent: detail.event, ebsResult: detail.result },
        },
        ctx,
      ),
    ],
  };
}
