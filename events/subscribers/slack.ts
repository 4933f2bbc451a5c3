import type { EventPattern } from "../patterns";
import { INCIDENT_ACTIVE, INCIDENT_OVER } from "./incident-patterns";
import { jsonTemplate, type SubscriberInputTransformer, type Subscription } from "./subscription";

const SLACK_PATHS = {
  summary: "$.detail.summary",
  severity: "$.detail.severity",
  detailType: "$.detail-type",
  link: "$.detail.links[0].href",
  incidentId: "$.detail.incident.incidentId",
  priority: "$.detail.incident.priority",
  service: "$.detail.incident.service",
  rootCauseService: "$.detail.incident.rootCauseService",
  alertCount: "$.detail.incident.alertCount",
  firstSeen: "$.detail.incident.firstSeen",
  lastSeen: "$.detail.incident.lastSeen",
  resolvedAt: "$.detail.incident.resolvedAt",
} as const;

type Phase = "active" | "resolved";

const EMOJI: Record<Phase, string> = { active: ":rotating_light:", resolved: ":white_check_mark:" };

const plain = (text: string) => ({ type: "plain_text", text, emoji: false });

/**
 * A Block Kit message. Text that comes from alarms and findings goes in `plain_text`, so a name like `<!channel>`
 * is shown, not acted on; mrkdwn carries only Vigil's own ids. The header holds bounded values only (detail-type,
 * priority, severity), well under Slack's 150 characters.
 */
function messageTemplate(phase: Phase, linked: boolean): string {
  const emoji = EMOJI[phase];
  const timing = phase === "active" ? "Last seen: <lastSeen>" : "Resolved: <resolvedAt>";
  const blocks: unknown[] = [
    { type: "header", text: { type: "plain_text", text: `${emoji} <detailType> · <priority> · <severity>`, emoji: true } },
    { type: "section", text: plain("<summary>") },
    {
      type: "section",
      fields: [
        plain("Service: <service>"),
        plain("Root cause: <rootCauseService>"),
        plain("Alerts: <alertCount>"),
        plain("First seen: <firstSeen>"),
        plain(timing),
      ],
    },
    { type: "context", elements: [{ type: "mrkdwn", text: "Vigil incident `<incidentId>`" }] },
  ];
  if (linked) {
    blocks.push({ type: "actions", elements: [{ type: "button", text: plain("Open"), url: "<link>" }] });
  }
  return jsonTemplate({ text: `${emoji} [<severity>] <summary>`, blocks, unfurl_links: false, unfurl_media: false });
}

const transformer = (phase: Phase, linked: boolean): SubscriberInputTransformer => ({
  inputPathsMap: SLACK_PATHS,
  inputTemplate: messageTemplate(phase, linked),
});

// A button needs a valid URL, so events without links get the message without one.
const withLink = (pattern: typeof INCIDENT_ACTIVE | typeof INCIDENT_OVER, present: boolean): EventPattern => ({
  ...pattern,
  detail: { ...pattern.detail, links: { href: [{ exists: present }] } },
});

/**
 * Slack incoming-webhook subscriptions for incidents: one message when an incident opens or changes, one when it is
 * over, each split on whether the event carries a link (the first becomes an "Open" button). Each is one rule and
 * one API destination target on the ops bus, whose endpoint is the webhook URL; the patterns are disjoint.
 */
export const SLACK_SUBSCRIPTIONS: readonly Subscription[] = [
  { name: "slack-incident-active", pattern: withLink(INCIDENT_ACTIVE, true), inputTransformer: transformer("active", true) },
  { name: "slack-incident-active-unlinked", pattern: withLink(INCIDENT_ACTIVE, false), inputTransformer: transformer("active", false) },
  { name: "slack-incident-resolved", pattern: withLink(INCIDENT_OVER, true), inputTransformer: transformer("resolved", true) },
  { name: "slack-incident-resolved-unlinked", pattern: withLink(INCIDENT_OVER, false), inputTransformer: transformer("resolved", false) },
];
