import { deterministicId } from "../anomaly/emit";
import type { Decision, Group } from "./correlate-state";

/** The outbound detail-types a page becomes. */
export type IncidentDetailType = "Incident Opened" | "Incident Updated" | "Incident Resolved";

/** A page as the publisher needs it: the detail-type and a detail valid against events/outbound/incident.ts. */
export interface IncidentEvent {
  detailType: IncidentDetailType;
  detail: IncidentDetail;
}

/** The incident payload of an outbound detail (events/outbound/incident.ts `IncidentPayloadSchema`). */
export interface IncidentPayload {
  incidentId: string;
  status: "open" | "resolved";
  title: string;
  priority: Group["priority"];
  service?: string;
  rootCauseService?: string;
  alertCount: number;
  fingerprints: string[];
  firstSeen: string;
  lastSeen: string;
  resolvedAt?: string;
  /** PagerDuty `component`: the probable root-cause service. */
  component?: string;
  /** PagerDuty `group`: the account and region the incident is in. */
  group?: string;
  /** PagerDuty `class`: the incident's priority, so routing rules can key on it. */
  class?: string;
}

/** An Incident Opened/Updated/Resolved detail (events/outbound/incident.ts). */
export interface IncidentDetail {
  schemaVersion: "1";
  id: string;
  eventId: string;
  severity: Group["severity"];
  summary: string;
  dedupKey: string;
  occurredAt: string;
  links: { href: string; text: string }[];
  incident: IncidentPayload;
}

const KIND_TO_TYPE: Record<Extract<Decision, { type: "notify" }>["kind"], IncidentDetailType> = {
  opened: "Incident Opened",
  updated: "Incident Updated",
  repeat: "Incident Updated",
  resolved: "Incident Resolved",
};

/** At most this many fingerprints travel in an outbound detail (EventBridge caps an entry at 256 KB). */
const MAX_FINGERPRINTS = 50;

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * What an incident no service owns is about, from its first alert's fingerprint (see the normalisers): an AWS Health
 * event's type code, a Config rule, or the kind of signal, so its page says more than that nobody owns it.
 */
function unattributed(group: Group): string {
  const first = group.roots[0] ?? group.fingerprints[0] ?? "";
  const family = first.slice(0, first.indexOf(":"));
  switch (family) {
    case "health": {
      // health:<event ARN>:<account>; the ARN ends event/<service>/<type code>/<event id>.
      const typeCode = /:event\/[^/]+\/([^/]+)\//.exec(first)?.[1];
      return typeCode === undefined ? "AWS Health event" : `AWS Health ${typeCode}`;
    }
    case "config":
      // config:<account>:<region>:<rule>:<resource type>:<resource id>
      return `Config rule ${first.split(":")[3] ?? ""}`.trim();
    case "cost":
      return "cost anomaly";
    case "finding":
      return "security finding";
    case "anomaly":
      return "metric anomaly";
    default:
      return "unattributed alerts";
  }
}

/** Services a title names before it only counts the rest: a page's one line must stay readable. */
const TITLE_SERVICES = 3;

/**
 * One line naming the incident: priority, where the cause is, and which other services it reached (the first
 * `TITLE_SERVICES`, then how many more), so a page says what is hit without opening it.
 */
export function incidentTitle(group: Group): string {
  const where = group.rootService === "aws" ? "AWS zone impairment" : (group.rootService ?? group.services[0] ?? unattributed(group));
  const others = group.services.filter((s) => s !== where);
  const named = others.slice(0, TITLE_SERVICES).join(", ");
  const more = others.length > TITLE_SERVICES ? ` and ${others.length - TITLE_SERVICES} more` : "";
  const spread = others.length > 0 ? `, also ${named}${more}` : "";
  return `${group.priority} ${where}: ${group.eventCount} alert${group.eventCount === 1 ? "" : "s"}${spread}`;
}

/** The incident payload of a group, as of `at` (its resolve time when resolved). */
export function incidentPayload(group: Group): IncidentPayload {
  const resolved = group.status === "resolved";
  const component = group.rootService ?? group.services[0];
  const scope = [group.accounts[0], group.regions[0]].filter((s) => s !== undefined).join("/");
  return {
    incidentId: group.id,
    status: resolved ? "resolved" : "open",
    title: incidentTitle(group),
    priority: group.priority,
    ...(group.services[0] === undefined ? {} : { service: group.services[0] }),
    ...(group.rootService === undefined ? {} : { rootCauseService: group.rootService }),
    alertCount: Math.max(1, group.eventCount),
    fingerprints: group.fingerprints.slice(0, MAX_FINGERPRINTS),
    firstSeen: iso(group.firstAt),
    lastSeen: iso(group.lastAt),
    ...(resolved ? { resolvedAt: iso(group.resolvedAt ?? group.lastAt) } : {}),
    ...(component === undefined ? {} : { component }),
    ...(scope === "" ? {} : { group: scope }),
    class: group.priority,
  };
}

/**
 * The outbound event of a `notify` decision: `opened` → Incident Opened, `updated`/`repeat` → Incident
 * Updated, `resolved` → Incident Resolved. `dedupKey` is the incident id, so a PagerDuty trigger and its
 * resolve pair up; the eventId is derived from incident, kind and time, so it is the same on redelivery.
 *
 * @param decision - a `notify` decision from `ingest`/`tick`
 * @param group - the incident's group after the step that decided it
 */
export function incidentEvent(decision: Extract<Decision, { type: "notify" }>, group: Group): IncidentEvent {
  const detailType = KIND_TO_TYPE[decision.kind];
  const incident = incidentPayload(group);
  const verb = decision.kind === "resolved" ? "resolved" : decision.kind === "repeat" ? "still open" : decision.kind === "updated" ? "updated" : "opened";
  const summary = `${incident.title} (${verb})`.replace(/[\r\n]+/g, " ").slice(0, 1024);
  return {
    detailType,
    detail: {
      schemaVersion: "1",
      id: group.id,
      eventId: deterministicId(detailType, group.id, decision.kind, String(decision.at)),
      severity: group.severity,
      summary,
      dedupKey: group.id.slice(0, 255),
      occurredAt: iso(decision.at),
      links: [],
      incident: decision.kind === "resolved" ? { ...incident, status: "resolved", resolvedAt: iso(decision.at) } : { ...incident, status: "open" },
    },
  };
}

/**
 * Outbound events for a step's decisions, in order. Only pages (`notify`) go out: they follow
 * Alertmanager timing, silences and inhibition, so a muted incident emits nothing until its resolve.
 *
 * @param decisions - decisions of one or more steps
 * @param groupOf - the group of an incident id after those steps (undefined when it was merged away)
 */
export function incidentEvents(decisions: readonly Decision[], groupOf: (id: string) => Group | undefined): IncidentEvent[] {
  const events: IncidentEvent[] = [];
  for (const d of decisions) {
    if (d.type !== "notify") continue;
    const group = groupOf(d.incidentId);
    if (group !== undefined) events.push(incidentEvent(d, group));
  }
  return events;
}
