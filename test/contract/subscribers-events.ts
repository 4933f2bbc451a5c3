import { OUTBOUND_DETAIL_TYPES, type OutboundDetailInput, type OutboundDetailType, vigilEntry } from "../../events/outbound";
import { OUTBOUND_SAMPLES } from "./outbound-samples";

const INCIDENT_TYPES = ["Incident Opened", "Incident Updated", "Incident Resolved"] as const;
type IncidentType = (typeof INCIDENT_TYPES)[number];

/** One event a subscriber could receive, named for the case it covers. */
export interface SubscriberCase {
  name: string;
  event: Record<string, unknown> & { "detail-type": string; detail: Record<string, unknown> };
}

/**
 * The EventBridge event a rule target receives for one detail, validated on the way as Vigil's publisher does.
 *
 * @param detailType - a Vigil detail-type
 * @param detail - its detail
 */
export function received<T extends OutboundDetailType>(detailType: T, detail: OutboundDetailInput<T>): SubscriberCase["event"] {
  const entry = vigilEntry(detailType, detail);
  return {
    version: "0",
    id: "6a7e3b1c-0000-4000-8000-000000000001",
    source: entry.Source,
    "detail-type": entry.DetailType,
    account: "123456789012",
    time: entry.Time.toISOString().replace(/\.\d{3}Z$/, "Z"),
    region: "eu-west-1",
    resources: entry.Resources ?? [],
    detail: JSON.parse(entry.Detail) as Record<string, unknown>,
  };
}

const opened = OUTBOUND_SAMPLES["Incident Opened"];
const resolved = OUTBOUND_SAMPLES["Incident Resolved"];

/** Printable trouble: quotes, a backslash, angle brackets, a Slack mention, accents, CJK and an emoji. */
const TRICKY = `checkout "p99" > 2s at C:\\logs <!channel> — naïve 日本語 🚨`;

/** The opened sample's incident with only its required fields. */
const bareIncident = {
  incidentId: opened.incident.incidentId,
  title: opened.incident.title,
  priority: opened.incident.priority,
  alertCount: opened.incident.alertCount,
  firstSeen: opened.incident.firstSeen,
  lastSeen: opened.incident.lastSeen,
};

/** Every incident event case the subscribers must turn into valid requests. */
export const INCIDENT_CASES: SubscriberCase[] = [
  ...INCIDENT_TYPES.map((t: IncidentType) => ({ name: `sample ${t}`, event: received(t, OUTBOUND_SAMPLES[t]) })),
  {
    name: "quotes, backslash, unicode and a mention in summary; newlines in title",
    event: received("Incident Opened", {
      ...opened,
      summary: TRICKY,
      incident: { ...opened.incident, title: `line one "quoted"\nline two\ttabbed\r\nend`, service: `svc "α"` },
    }),
  },
  {
    name: "longest summary (1024 characters, multi-byte)",
    event: received("Incident Updated", { ...opened, summary: "é".repeat(1024), incident: { ...opened.incident, title: "ß".repeat(1024) } }),
  },
  {
    name: "no optional fields and no links",
    event: received("Incident Opened", { ...opened, links: [], incident: { ...bareIncident, status: "open" } }),
  },
  {
    name: "resolved with no optional fields and no links",
    event: received("Incident Resolved", {
      ...resolved,
      links: [],
      incident: { ...bareIncident, status: "resolved", resolvedAt: "2024-05-01T12:30:00.000Z" },
    }),
  },
  {
    name: "Incident Updated about a resolved incident",
    event: received("Incident Updated", {
      ...resolved,
      incident: { ...resolved.incident, status: "resolved", resolvedAt: "2024-05-01T12:30:00.000Z" },
    }),
  },
  {
    name: "several links",
    event: received("Incident Opened", {
      ...opened,
      links: [
        { href: "https://vigil.example.com/incidents/inc-1?tab=alerts&x=\"1\"", text: "Incident" },
        { href: "https://runbooks.example.com/checkout", text: "Runbook" },
      ],
    }),
  },
];

/**
 * An event that bypasses Vigil's schema (a hand-written producer on the same bus): a summary with line breaks,
 * which AWS escapes when the placeholder is inside a JSON string.
 */
export const RAW_MULTILINE_CASE: SubscriberCase = (() => {
  const event = received("Incident Opened", opened);
  return {
    name: "summary with line breaks from a producer that skips the schema",
    event: { ...event, detail: { ...event.detail, summary: 'first "line"\nsecond\r\nthird' } },
  };
})();

/** Every non-incident sample: subscribers must not match them. */
export const OTHER_EVENTS = OUTBOUND_DETAIL_TYPES.filter((t) => !(INCIDENT_TYPES as readonly string[]).includes(t)).map((t) =>
  received(t, OUTBOUND_SAMPLES[t]),
);
