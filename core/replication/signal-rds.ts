import { describeFirstIssue } from "../../events/format-issue";
import { RdsSnapshotEventSchema } from "../../events/inbound/rds";
import { parseArn } from "./arn";
import type { RdsSnapshotSignal, SignalResult } from "./signals";

/**
 * The RDS event ids the model reads (RDS User Guide, "DB snapshot events" and "DB cluster snapshot events").
 * `started` marks a snapshot's data point, `created` its completion, `copied` a finished copy
 * (0060 cross-region, whose region is the DR copy's; 0197 local).
 */
export const RDS_SNAPSHOT_EVENT_IDS: Readonly<Record<string, RdsSnapshotSignal["phase"]>> = Object.freeze({
  "RDS-EVENT-0040": "started", // manual DB snapshot being created
  "RDS-EVENT-0090": "started", // automated DB snapshot being created
  "RDS-EVENT-0074": "started", // manual cluster snapshot started
  "RDS-EVENT-0168": "started", // automated cluster snapshot being created
  "RDS-EVENT-0042": "created", // manual DB snapshot created
  "RDS-EVENT-0091": "created", // automated DB snapshot created
  "RDS-EVENT-0075": "created", // manual cluster snapshot created
  "RDS-EVENT-0169": "created", // automated cluster snapshot created
  "RDS-EVENT-0060": "copied", // finished cross-region copy
  "RDS-EVENT-0197": "copied", // finished local copy
});

// "Finished copy of snapshot X from region us-east-1 in 12 minutes."
const COPY_MESSAGE = /from region ([a-z]{2}(?:-[a-z]+)+-\d)(?: in (\d+(?:\.\d+)?) minutes?)?/i;

/**
 * Normalises an `aws.rds` DB or cluster snapshot event. Events other than snapshot start, creation and
 * copy completion (deletion, export, …) are `irrelevant`.
 *
 * @param event - an `RDS DB Snapshot Event` or `RDS DB Cluster Snapshot Event`, as EventBridge delivers it
 */
export function signalFromRdsEvent(event: unknown): SignalResult {
  const parsed = RdsSnapshotEventSchema.safeParse(event);
  if (!parsed.success) return { ok: false, reason: "malformed", detail: describeFirstIssue(parsed.error) };
  const { detail } = parsed.data;
  const phase = RDS_SNAPSHOT_EVENT_IDS[detail.EventID];
  if (phase === undefined) return { ok: false, reason: "irrelevant", detail: `${detail.EventID}: ${detail.Message}` };
  const arn = parseArn(detail.SourceArn);
  const snapshot = arn === undefined ? undefined : /^(?:cluster-)?snapshot:(.+)$/.exec(arn.resource)?.[1];
  if (arn === undefined || snapshot === undefined) {
    return { ok: false, reason: "malformed", detail: `detail.SourceArn: not a snapshot ARN: ${detail.SourceArn}` };
  }
  const at = Date.parse(detail.Date);
  if (!Number.isFinite(at)) return { ok: false, reason: "malformed", detail: `detail.Date: not a date: ${detail.Date}` };
  const copy = phase === "copied" ? COPY_MESSAGE.exec(detail.Message) : null;
  const copyMinutes = copy?.[2] === undefined ? undefined : Number(copy[2]);
  return {
    ok: true,
    signal: {
      type: "rds-snapshot",
      phase,
      eventId: detail.EventID,
      at,
      snapshotArn: detail.SourceArn,
      snapshotId: snapshot.replace(/^rds:/, ""),
      region: arn.region,
      account: arn.account,
      ...(copy?.[1] === undefined ? {} : { copiedFromRegion: copy[1] }),
      ...(copyMinutes === undefined ? {} : { copyMinutes }),
    },
  };
}
