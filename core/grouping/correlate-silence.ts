import type { Alert } from "./alert";
import type { GroupingConfig } from "./config";
import type { Group, GroupingState } from "./correlate-state";

/** Kinds whose source reports the end of what it reported: an alarm goes OK, a Config rule COMPLIANT, a Health event closed. */
const CLEARING_KINDS: ReadonlySet<string> = new Set(["cloudwatch.alarm-state-change", "config.compliance-change", "health.event"]);

/**
 * Whether an alert's source never sends a clear for it as a matter of course: GuardDuty findings (only a user's
 * archive ends one), one-shot events (RDS, EC2 state, EBS, cost anomalies, Vigil's anomalies, unknown event types).
 * A Security Hub control finding does clear (Compliance PASSED); an imported threat finding does not. Such an alert
 * is over once its source has been silent for `silenceTimeout` (Alertmanager's `resolve_timeout` for alerts without end).
 *
 * @param alert - a normalised alert
 */
export function sendsNoClear(alert: Alert): boolean {
  if (CLEARING_KINDS.has(alert.kind)) return false;
  return !(alert.kind === "securityhub.findings-imported" && alert.labels.complianceStatus !== undefined);
}

/**
 * When every alert a group owns is over: the latest of their clears; for an alert that sends no clear, its last
 * report plus `silenceTimeout`; for one whose clear never came (an alarm stuck in ALARM, a violation nobody fixes),
 * its last report plus `staleTimeout` (PagerDuty's incident auto-resolution), so no incident stays open forever.
 *
 * @param state - engine state (read only)
 * @param group - the group
 * @param config - for `silenceTimeout`
 */
export function overAt(state: GroupingState, group: Group, config: GroupingConfig): number {
  let at = Number.NEGATIVE_INFINITY;
  for (const fp of group.fingerprints) {
    const entry = state.fingerprints[fp];
    if (entry === undefined || entry.groupId !== group.id) continue;
    if (entry.status === "resolved") at = Math.max(at, entry.statusAt);
    else at = Math.max(at, entry.statusAt + (entry.spend === true ? config.spendWindow : entry.noClear === true ? config.silenceTimeout : config.staleTimeout));
  }
  return at;
}

/**
 * Marks a resolved group's alerts that send no clear as over at the end of their silence, so the same finding
 * reported again later is a new firing (a new bout of activity), not a re-publication of a live one.
 *
 * @param state - engine state (updated in place)
 * @param group - a group that just resolved
 * @param config - for `silenceTimeout`
 */
export function closeSilent(state: GroupingState, group: Group, config: GroupingConfig): void {
  for (const fp of group.fingerprints) {
    const entry = state.fingerprints[fp];
    if (entry === undefined || entry.groupId !== group.id || entry.status !== "firing" || entry.noClear !== true) continue;
    entry.status = "resolved";
    entry.statusAt += entry.spend === true ? config.spendWindow : config.silenceTimeout;
  }
}
