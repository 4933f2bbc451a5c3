import type { Alert } from "./alert";
import type { EngineContext } from "./correlate";
import type { Decision, Group, GroupingState, LinkKind } from "./correlate-state";
import { instanceStateFingerprint } from "./normalise-ec2";

/**
 * Remembers an instance launch that joined no group (a scale-out, or capacity someone started by hand), so a later
 * alarm on that instance can take it in (`adoptLaunches`). Only launches (clears of an instance's state) reach here.
 */
export function rememberLaunch(state: GroupingState, alert: Alert): void {
  if (alert.kind !== "ec2.instance-state-change") return;
  const launches = (state.launches ??= {});
  const previous = launches[alert.fingerprint];
  launches[alert.fingerprint] = [alert.eventTime, alert.service ?? "", (previous?.[2] ?? 0) + 1];
}

/**
 * An alarm on an instance launched within `fingerprintMemory` whose launch joined nothing takes that launch into its group:
 * instances started and left idle (a cost anomaly's idle alarms an hour later), or a new instance that fails. The launch's
 * events so far and to come belong to the group (`alerts.moved` from "", the events that joined no group). Informational
 * alerts never adopt, so a launch is never pulled in by another lifecycle event.
 *
 * @returns the move, empty when the alert names no such launch
 */
export function adoptLaunches(state: GroupingState, group: Group, alert: Alert, link: LinkKind, ctx: EngineContext): Decision[] {
  if (state.launches === undefined || alert.status !== "firing" || alert.severity === "info" || group.status === "discarded") return [];
  // An alarm taken in as a symptom (of a failing dependency or an impaired zone) is no failure of its instance's own.
  if (link === "dependency" || link === "zone" || group.impairedZones.length > 0) return [];
  const fingerprints: string[] = [];
  for (const resource of alert.resources) {
    if (!resource.includes(":instance/")) continue;
    const fp = instanceStateFingerprint(resource);
    const launch = state.launches[fp];
    if (launch === undefined || state.fingerprints[fp] !== undefined || alert.eventTime - launch[0] > ctx.config.fingerprintMemory) continue;
    fingerprints.push(fp);
  }
  if (fingerprints.length === 0) return [];
  // The instances launched with them (one action: the same service within a correlation window) come too, alarmed or not yet.
  const matched = fingerprints.map((fp) => state.launches![fp]!);
  for (const [fp, [t, service]] of Object.entries(state.launches)) {
    if (fingerprints.includes(fp) || state.fingerprints[fp] !== undefined || service === "") continue;
    if (matched.some(([at, of]) => of === service && Math.abs(at - t) <= ctx.config.correlationWindow)) fingerprints.push(fp);
  }
  for (const fp of fingerprints) {
    const [at, , events] = state.launches[fp]!;
    delete state.launches[fp];
    state.fingerprints[fp] = { groupId: group.id, status: "resolved", statusAt: at, severity: "info", firings: [], events };
    group.fingerprints.push(fp);
    group.eventCount += events;
  }
  return [{ type: "alerts.moved", incidentId: group.id, from: "", at: alert.eventTime, fingerprints }];
}
