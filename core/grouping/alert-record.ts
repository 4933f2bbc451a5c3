import type { Alert } from "./alert";
import type { Decision, Group, LinkDetail, LinkKind, MuteRecord } from "./correlate-state";

/**
 * One ingested alert as stored: what `vigil` and users read back (which group it joined, what it was).
 * `groupId` is the group at ingest (a pending group's id becomes the incident id when it opens; merges are
 * recorded beside it); null when it joined nothing (a clear of something never seen).
 */
export interface AlertRecord {
  eventId: string;
  fingerprint: string;
  groupId: string | null;
  status: Alert["status"];
  severity: Alert["severity"];
  source: string;
  kind: string;
  /** Event time, ISO 8601. */
  eventTime: string;
  service?: string;
  summary: string;
  /**
   * How it reached its group (`alert.attached`/`alert.held`): the link, or "new" when it founded the group, so a person
   * can read why an alert is in an incident (`describeLink`). Absent when it joined none, and in records stored before it existed.
   */
  link?: LinkKind;
  /** What the link went through (`LinkDetail`): a dependency's service, a zone. */
  through?: string;
  /** A dependency link the other way: it was adopted as the cause of callers failing in the group. */
  upstream?: true;
}

/** What a link means, for people reading an incident's alerts (`through` and `upstream` as the record keeps them). */
export function describeLink(link: LinkKind | undefined, detail: LinkDetail = {}): string {
  const { through, upstream } = detail;
  switch (link) {
    case "new":
      return "began the group";
    case "fingerprint":
      return "same alarm or finding again";
    case "composite":
      return "a composite alarm of its alarms";
    case "resource":
      return "same resource";
    case "rule":
      return "same Config rule, changing";
    case "service":
      return "same service";
    case "dependency":
      if (upstream === true) return through === undefined ? "called by a service failing in it" : `called by ${through}, failing in it`;
      return through === undefined ? "calls a service failing in it" : `calls ${through}, failing in it`;
    case "zone":
      // Zones are kept as region/zone (`zoneOf`); the zone's own name already says its region.
      return through === undefined ? "in the impaired zone" : `in impaired zone ${through.slice(through.indexOf("/") + 1)}`;
    default:
      return "how it joined was not recorded";
  }
}

/**
 * The stored record of an alert ingested into `groupId` (the `seen` entry's group: empty when none).
 *
 * @param alert - the normalised alert
 * @param groupId - the group it joined, "" for none
 * @param link - how it reached that group, when it was placed (see `AlertRecord.link`)
 * @param detail - what that link went through
 */
export function alertRecord(alert: Alert, groupId: string, link?: LinkKind, detail: LinkDetail = {}): AlertRecord {
  return {
    eventId: alert.eventId,
    fingerprint: alert.fingerprint,
    groupId: groupId === "" ? null : groupId,
    status: alert.status,
    severity: alert.severity,
    source: alert.source,
    kind: alert.kind,
    eventTime: new Date(alert.eventTime).toISOString(),
    ...(alert.service === undefined ? {} : { service: alert.service }),
    summary: alert.summary,
    ...(link === undefined || groupId === "" ? {} : { link }),
    ...(detail.through === undefined || groupId === "" ? {} : { through: detail.through }),
    ...(detail.upstream === true && groupId !== "" ? { upstream: true as const } : {}),
  };
}

/** `[from, into]` for every merge among the decisions, in order. */
export function mergesOf(decisions: readonly Decision[]): [string, string][] {
  return decisions.flatMap((d) => (d.type === "incident.merged" ? [[d.from, d.incidentId] as [string, string]] : []));
}

/**
 * `[from, into, fingerprints]`: the alerts of these fingerprints that group `from` held (and will get) belong to group `into`;
 * `from` "" stands for the alerts that joined no group (stored with `groupId` null).
 */
export type AlertMove = [from: string, into: string, fingerprints: string[]];

/** The moves among the decisions (`alerts.moved`, see `claimRollout` and `adoptLaunches`), in order. */
export function movesOf(decisions: readonly Decision[]): AlertMove[] {
  return decisions.flatMap((d) => (d.type === "alerts.moved" ? [[d.from, d.incidentId, d.fingerprints] as AlertMove] : []));
}

/**
 * Where a stored alert finally belongs: the group it joined at ingest ("" for none), followed through merges, then through its
 * fingerprint's moves in order (a move applies while its source group is, after merges, where the alert is).
 * Every reader of alert pages (assignments, benchmarks, tests) resolves with this one function.
 *
 * @param merges - `[from, into]` of every merge in the scope
 * @param moves - every move in the scope, in order
 * @returns a resolver from (group at ingest, fingerprint) to the final group id
 */
export function finalGroupOf(merges: readonly (readonly [string, string])[], moves: readonly AlertMove[]): (groupId: string, fingerprint: string) => string {
  const into = new Map<string, string>(merges.map(([from, to]) => [from, to]));
  const follow = (id: string): string => {
    const seen = new Set<string>();
    let current = id;
    while (into.has(current) && !seen.has(current)) {
      seen.add(current);
      current = into.get(current) as string;
    }
    return current;
  };
  const byFingerprint = new Map<string, AlertMove[]>();
  for (const move of moves) for (const fp of move[2]) byFingerprint.set(fp, [...(byFingerprint.get(fp) ?? []), move]);
  return (groupId, fingerprint) => {
    let group = follow(groupId);
    for (const [from, to] of byFingerprint.get(fingerprint) ?? []) if (follow(from) === group) group = follow(to);
    return group;
  };
}

/** An Incident item lists at most this many fingerprints (a storm's incident can gather thousands; items hold 400 KB). */
const MAX_STORED_FINGERPRINTS = 200;

/** What the store keeps of an incident (its Incident item), derived from its group. */
export interface IncidentRecord {
  incidentId: string;
  status: "open" | "resolved";
  title: string;
  priority: Group["priority"];
  service?: string;
  rootCauseService?: string;
  severity: Group["severity"];
  fingerprints: string[];
  alertCount: number;
  openedAt: string;
  updatedAt: string;
  resolvedAt?: string;
  /** Whether a page for it ever went out (a muted incident may never page). */
  paged: boolean;
  /** Why its pages are held (a silence, a maintenance window, an inhibiting incident); absent once one went out. */
  mutedReason?: MuteRecord["reason"];
  mutedBy?: string;
}

/**
 * The Incident item of a group that is (or was) an incident; undefined for a pending or discarded group,
 * which is no incident.
 *
 * @param group - the group after the step
 * @param title - its one-line title
 */
export function incidentRecord(group: Group, title: string): IncidentRecord | undefined {
  if (group.status !== "open" && group.status !== "resolved") return undefined;
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    incidentId: group.id,
    status: group.status,
    title,
    priority: group.priority,
    ...(group.services[0] === undefined ? {} : { service: group.services[0] }),
    ...(group.rootService === undefined ? {} : { rootCauseService: group.rootService }),
    severity: group.severity,
    fingerprints: group.fingerprints.slice(0, MAX_STORED_FINGERPRINTS),
    alertCount: group.eventCount,
    openedAt: iso(group.openedAt ?? group.firstAt),
    updatedAt: iso(group.lastAt),
    ...(group.status === "resolved" ? { resolvedAt: iso(group.resolvedAt ?? group.lastAt) } : {}),
    paged: group.notify.paged,
    ...(group.notify.muted === undefined ? {} : { mutedReason: group.notify.muted.reason, mutedBy: group.notify.muted.by }),
  };
}

/**
 * Ids of the incidents whose Incident item a step rewrites: those opened, resolved or merged into, and
 * those paged (or whose page was muted). An alert joining an open incident does not rewrite it on its own:
 * the item catches up at the next page (at most `groupInterval` later), which keeps writes per alert low.
 */
export function touchedIncidents(decisions: readonly Decision[]): Set<string> {
  const ids = new Set<string>();
  for (const d of decisions) {
    if (d.type === "incident.opened" || d.type === "incident.resolved" || d.type === "incident.merged" || d.type === "notify" || d.type === "notify.muted") ids.add(d.incidentId);
    // Both incidents of a move change: their alert counts, and the regions of the one the alerts joined.
    if (d.type === "alerts.moved") ids.add(d.incidentId).add(d.from);
  }
  return ids;
}
