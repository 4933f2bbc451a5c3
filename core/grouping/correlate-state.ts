import type { Severity } from "./alert";

/**
 * Lifecycle of a group: `pending` holds alerts that may be noise (lone, transient, flapping, informational);
 * it becomes an `open` incident once it shows a correlated problem, then `resolved`. A pending group that
 * never qualifies is `discarded` and its alerts are suppressed (late clears of its alerts are suppressed too).
 */
export type GroupStatus = "pending" | "open" | "resolved" | "discarded";

/** Incident priority, PagerDuty-style: P1 is the most urgent. */
export type Priority = "P1" | "P2" | "P3" | "P4" | "P5";

/** How an alert came to join a group; symptom links (dependency, AZ) are muted by inhibition. */
export type LinkKind = "fingerprint" | "composite" | "resource" | "rule" | "service" | "dependency" | "zone" | "new";

/** Notification timers of one incident (Alertmanager's group_wait / group_interval / repeat_interval). */
export interface NotifyTimers {
  /** When the next page is due; undefined when nothing is scheduled. */
  dueAt?: number | undefined;
  /** When the last page (opened, updated or repeat) went out. */
  lastSentAt?: number | undefined;
  /** Whether a page for this incident ever went out (so its resolve must go out too). */
  paged: boolean;
  /** Alerts joined since the last page that should be paged as an update. */
  dirty: boolean;
  /** Why its pages are held now (the latest muted page: silence, maintenance window, inhibition); cleared by the next page sent. */
  muted?: MuteRecord | undefined;
}

/** Why an incident's page was muted (`notify.muted`), and by what: a silence's id, a window's name, the inhibiting incident. */
export interface MuteRecord {
  reason: "silenced" | "maintenance" | "inhibited";
  by: string;
}

/** One correlated group of alerts: a pending candidate or an incident. Plain data. */
export interface Group {
  id: string;
  status: GroupStatus;
  /** Event time of the first and latest alert. */
  firstAt: number;
  /**
   * When its own failure began, where the preludes an opening incident took in (`gatherPrelude`) date `firstAt` earlier:
   * what a zone impairment's gathering judges it by. Optional: absent, `firstAt`.
   */
  failingSince?: number | undefined;
  lastAt: number;
  openedAt?: number | undefined;
  resolvedAt?: number | undefined;
  /** Event time at which every member alert was resolved; undefined while one fires. */
  quietSince?: number | undefined;
  /**
   * When every member alert is over (see `overAt`): cleared, or silent for `silenceTimeout` (alerts whose source sends
   * no clear) or `staleTimeout` (a clear that never came). An open incident resolves `resolveTimeout` after it.
   * Optional: states saved before it existed resolve on `quietSince` only.
   */
  overAt?: number | undefined;
  fingerprints: string[];
  /** Independent roots (a composite alarm counts as the children that triggered it). */
  roots: string[];
  /**
   * Fingerprints that anchor the group to its cause: the alerts it was formed from while pending, and those
   * their later firings and composites over their children. Service and dependency
   * joiners are not anchors, so they never keep the group joinable on their own (no chaining into giants).
   */
  anchors: string[];
  /** Event time of the latest anchor alert (firing or resolved). */
  anchorAt: number;
  services: string[];
  /** Services of the group's anchor alerts: where its cause is, so only their dependents join as symptoms. */
  causeServices: string[];
  /**
   * Services of its anchor alerts that are availability signals (alarms, instance or database state), so a service
   * named by both findings and alarms still draws availability symptoms. Optional: states saved before it existed read as all.
   */
  availabilityServices?: string[] | undefined;
  /**
   * Per `service@region`, when an availability alert of that service (cause or symptom: errors, latency, unhealthy hosts,
   * a database's or cache's saturation; not a compute host's CPU or memory) last went to firing in this group: whether the
   * service itself fails calls there, not only its hosts are busy (see `failsCalls`). Optional: states saved before it
   * existed read as none.
   */
  failing?: Record<string, number> | undefined;
  /**
   * Per `service@region`, when a slow burn of its `burnKeys` last cleared in this group: an out-of-memory restart,
   * whose errors and unhealthy hosts follow within `restartWindow` (see `restarted`). Optional: states saved before it
   * existed read as none.
   */
  restartedAt?: Record<string, number> | undefined;
  /** Services of its anchor alerts that are findings (compliance, security, cost): the only ones another finding joins by service. */
  findingServices: string[];
  regions: string[];
  accounts: string[];
  /** `region/az` pairs this group announces as impaired (Health events naming a zone). */
  impairedZones: string[];
  /** Until when its impaired zones still draw alerts in: the latest announcement or burst plus the cascade window, or the all-clear. */
  impairedUntil?: number | undefined;
  /**
   * `region/az` pairs where its availability alerts say hosts fail (status checks, a zone's unhealthy hosts, a failover,
   * a zone's errors, a cache or database node's saturation): an impairment of the zone gathers these groups. A busy compute
   * host there (CPU, memory) ties no group to its zone.
   */
  zones: string[];
  resources: string[];
  /**
   * Per account, when a spend signal (`isSpendSignal`) last fired in it: its account's later spend signals join it
   * within `spendWindow` (`spendLink`). Optional: absent in groups with none and in states saved before it existed.
   */
  spend?: Record<string, number> | undefined;
  /** Instances its idle alarms (spend signals) watch. Optional: states saved before it existed read as none. */
  idle?: string[] | undefined;
  /** SQS queues its alarms watch (see `watchedQueues`). Optional: states saved before it existed read as none. */
  queues?: string[] | undefined;
  rules: string[];
  /**
   * `service#metric` of the slow-burn signals (compute memory alarms) that fired in it as its cause (anchors): a leak's
   * next cycle, on any instance of the service, rejoins it. Optional: states saved before it existed read as none.
   */
  burnKeys?: string[] | undefined;
  /** Event ids held while pending, released on open or suppressed on discard. */
  heldEventIds: string[];
  eventCount: number;
  severity: Severity;
  priority: Priority;
  rootService?: string | undefined;
  /** Open incident whose root causes this one (its pages are muted, its alerts stay attached). */
  inhibitedBy?: string | undefined;
  /** Why a discarded group's alerts were suppressed. */
  discardReason?: SuppressReason | undefined;
  notify: NotifyTimers;
}

/** What the engine remembers per fingerprint: its group and recent behaviour. */
export interface FingerprintEntry {
  groupId: string;
  status: "firing" | "resolved";
  /** Event time of the transition `status` reflects (late, older events never overwrite it). */
  statusAt: number;
  severity: Severity;
  /** The finding's occurrence count when last seen (GuardDuty `service.count`), for escalation. */
  count?: number | undefined;
  /** Event times at which it went to firing, within the flap window. */
  firings: number[];
  /**
   * `service@region` of an availability alert that is no host-local signal (see `Group.failing`), so the engine can tell
   * whether a service still fails in a group. Optional: entries saved before it existed have none.
   */
  where?: string | undefined;
  /**
   * The `service@region` of a failing symptom through which it joined its group (`Link.via`: its service calls a service
   * that fails in the group, not the cause itself), so it moves with that service's alarms when a rollout claims them.
   */
  via?: string | undefined;
  /**
   * It is a spend signal (`isSpendSignal`): while firing it holds its group open `spendWindow` after its last report (not
   * `silenceTimeout` or `staleTimeout`): an idle instance's alarm stays in ALARM for as long as the waste goes on.
   */
  spend?: boolean | undefined;
  /** It is an instance's status check (`StatusCheckFailed*`): lone past the transient pause, it still opens (`failedAlone`). */
  hostCheck?: boolean | undefined;
  /** How many of its events its current group holds, so moving it to another group (`alerts.moved`) moves their count. */
  events?: number | undefined;
  /** It is a regional service's metric (see `isRegionalServiceSignal`). */
  regional?: boolean | undefined;
  /** Its source sends no clear (see `sendsNoClear`): while firing, it is over `silenceTimeout` after `statusAt`, its last report. */
  noClear?: boolean | undefined;
}

/**
 * The engine's whole state: plain, JSON-serialisable data, so a handler can load it, call `ingest`/`tick`
 * and save it back.
 *
 * Persistence plan (≤ 1.5 DynamoDB writes per alert): partition the state by correlation scope (account +
 * region, with cross-region links resolved through the topology's service name), one item per open group
 * (`GROUP#id`, its fingerprints, roots and timers) plus one item per scope for the fingerprint index and the
 * dedup ring (`SCOPE#acct#region`, bounded by `fingerprintMemory`/`dedupWindow` pruning). A Kinesis/SQS
 * batch of alerts is grouped by scope, the scope item and the touched groups are read with one BatchGet,
 * `ingest` runs for the whole batch in event-time order, and the changed items are written back with
 * conditional puts on a `version` attribute (optimistic concurrency, no transactions). Alerts themselves
 * are appended in a BatchWrite (25 per call) as `ALERT#eventId` items under the group. Per batch of n alerts
 * touching g groups that is n alert items + g group items + 1 scope item, so ≈ 1.1 writes per alert at
 * batch size 100; decisions are published after the writes succeed.
 */
export interface GroupingState {
  /** Monotonic counter for group ids, so ids are deterministic for a given input. */
  seq: number;
  groups: Record<string, Group>;
  fingerprints: Record<string, FingerprintEntry>;
  /** `eventId#fingerprint` → [event time, group id], for idempotence on redelivery. */
  seen: Record<string, [number, string]>;
  /** The latest clock value seen (ingest or tick). */
  clock: number;
  /** Earliest time `tick` has anything to do; lets a hot loop skip the scan. */
  nextDueAt: number;
  /** When `seen`/`fingerprints` were last pruned. */
  prunedAt: number;
  /** Per zone (`region/az`), recent zone-tied availability firings as [event time, service], for burst detection. */
  zoneSignals?: Record<string, [number, string][]> | undefined;
  /**
   * Per instance-state fingerprint, its latest launch that joined no group, as [event time, service, events], within
   * `fingerprintMemory` (see `adoptLaunches`).
   */
  launches?: Record<string, [number, string, number]> | undefined;
}

/** What a link went through, for people (`Link.through`): a dependency's service (`upstream`: a caller failing in the group), a zone. */
export interface LinkDetail {
  through?: string | undefined;
  upstream?: true | undefined;
}

/** Why an alert or a held group produced no page. */
export type SuppressReason = "transient" | "flapping" | "lone" | "informational";

/** The facts a handler persists and publishes; nothing here performs I/O. */
export type Decision =
  | { type: "alert.duplicate"; eventId: string; groupId: string }
  | ({ type: "alert.held"; eventId: string; groupId: string; reason: "awaiting-correlation"; link: LinkKind } & LinkDetail)
  | ({ type: "alert.attached"; eventId: string; incidentId: string; link: LinkKind; muted: boolean } & LinkDetail)
  | { type: "alert.suppressed"; eventId: string; reason: SuppressReason }
  | { type: "incident.opened"; incidentId: string; at: number; eventIds: string[]; priority: Priority; rootService?: string | undefined }
  | { type: "incident.updated"; incidentId: string; at: number; eventCount: number; priority: Priority; rootService?: string | undefined }
  | { type: "incident.resolved"; incidentId: string; at: number }
  | { type: "incident.merged"; incidentId: string; from: string; at: number; eventIds: string[] }
  /**
   * Alerts of these fingerprints held in incident `from` (every event so far and the ones to come) belong to `incidentId` now;
   * `from` "" means the events of these fingerprints that joined no group.
   */
  | { type: "alerts.moved"; incidentId: string; from: string; at: number; fingerprints: string[] }
  | { type: "notify"; incidentId: string; at: number; kind: "opened" | "updated" | "repeat" | "resolved" }
  | ({ type: "notify.muted"; incidentId: string; at: number } & MuteRecord);

/** What `ingest` and `tick` return: the next state and the decisions taken. */
export interface Step {
  state: GroupingState;
  decisions: Decision[];
}

/** An empty engine state. */
export function createGroupingState(): GroupingState {
  return { seq: 0, groups: {}, fingerprints: {}, seen: {}, clock: 0, nextDueAt: Number.POSITIVE_INFINITY, prunedAt: 0 };
}
