import type { GroupingConfig, MaintenanceWindow } from "./config";
import type { Decision, Group } from "./correlate-state";

const DAY_MS = 86_400_000;

/** The labels silences and maintenance windows match an incident on. */
function incidentLabels(group: Group): Record<string, string | undefined> {
  return {
    service: group.rootService,
    region: group.regions[0],
    account: group.accounts[0],
    severity: group.severity,
    priority: group.priority,
  };
}

function matches(matchers: Record<string, string>, group: Group): boolean {
  const labels = incidentLabels(group);
  return Object.entries(matchers).every(([key, value]) =>
    key === "service" ? group.services.includes(value) || labels.service === value : labels[key] === value,
  );
}

function inWindow(window: MaintenanceWindow, at: number): boolean {
  const [hours, minutes] = window.start.split(":").map(Number) as [number, number];
  // Check today's and yesterday's occurrence, so a window crossing midnight still covers the early hours.
  for (const back of [0, 1]) {
    const day = Math.floor(at / DAY_MS) - back;
    const start = day * DAY_MS + (hours * 60 + minutes) * 60_000;
    const weekday = new Date(start).getUTCDay();
    if (window.weekdays.includes(weekday) && at >= start && at < start + window.duration) return true;
  }
  return false;
}

/** Why a page for this incident is muted at `at` (silence, maintenance window, inhibition), or undefined. */
export function muteReason(group: Group, at: number, config: GroupingConfig): Extract<Decision, { type: "notify.muted" }> | undefined {
  if (group.inhibitedBy !== undefined) return { type: "notify.muted", incidentId: group.id, at, reason: "inhibited", by: group.inhibitedBy };
  const silence = config.silences.find((s) => at >= s.startsAt && at < s.endsAt && matches(s.matchers, group));
  if (silence !== undefined) return { type: "notify.muted", incidentId: group.id, at, reason: "silenced", by: silence.id };
  const window = config.maintenanceWindows.find((w) => inWindow(w, at) && matches(w.matchers, group));
  if (window !== undefined) return { type: "notify.muted", incidentId: group.id, at, reason: "maintenance", by: window.name };
  return undefined;
}

/**
 * Sends the pages that are due at `now` for an open incident, Alertmanager-style: the first after
 * `groupWait`, updates no sooner than `groupInterval` after the previous page, and a repeat after
 * `repeatInterval` of silence. A muted page is recorded as `notify.muted` and retried at the next interval.
 *
 * @param group - an open incident (updated in place)
 * @param now - the clock
 * @param config - timing, silences, maintenance windows
 */
export function duePages(group: Group, now: number, config: GroupingConfig): Decision[] {
  const timers = group.notify;
  if (group.status !== "open" || timers.dueAt === undefined || now < timers.dueAt) return [];
  const at = timers.dueAt;
  const muted = muteReason(group, at, config);
  if (muted !== undefined) {
    timers.dueAt = at + config.groupInterval;
    timers.muted = { reason: muted.reason, by: muted.by };
    return [muted];
  }
  const kind = !timers.paged ? "opened" : timers.dirty ? "updated" : "repeat";
  timers.paged = true;
  timers.dirty = false;
  timers.muted = undefined;
  timers.lastSentAt = at;
  timers.dueAt = at + config.repeatInterval;
  return [{ type: "notify", incidentId: group.id, at, kind }];
}

/** Schedules an update page after new alerts joined an open incident (no sooner than `groupInterval`). */
export function scheduleUpdate(group: Group, config: GroupingConfig): void {
  const timers = group.notify;
  timers.dirty = true;
  if (timers.lastSentAt === undefined) return;
  const next = timers.lastSentAt + config.groupInterval;
  if (timers.dueAt === undefined || next < timers.dueAt) timers.dueAt = next;
}

/**
 * The resolve page of an incident: always sent when the incident was ever paged, even inside a silence or a
 * maintenance window, so no on-call tool is left with an incident that never closes.
 */
export function resolvePage(group: Group, at: number): Decision[] {
  group.notify.dueAt = undefined;
  return group.notify.paged ? [{ type: "notify", incidentId: group.id, at, kind: "resolved" }] : [];
}
