import type { EventPattern } from "../patterns";
import { INCIDENT_ACTIVE, INCIDENT_OVER } from "./incident-patterns";
import { asJson, jsonTemplate, type Subscription } from "./subscription";

/** PagerDuty Events API v2 endpoint: the API destination's invocation endpoint (HTTP method POST). */
export const PAGERDUTY_EVENTS_ENDPOINT = "https://events.pagerduty.com/v2/enqueue";

/**
 * Body field PagerDuty reads the integration (routing) key from. It is never in a template, where anyone who can
 * describe the rule could read it: the API destination's connection adds it to every request body as a secret
 * invocation body parameter (`authParameters.invocationHttpParameters.bodies`, `isValueSecret: true`), which
 * EventBridge keeps in Secrets Manager.
 */
export const PAGERDUTY_ROUTING_KEY_FIELD = "routing_key";

/**
 * `authParameters` of the API destination's connection (authorization type `API_KEY`), in Pulumi's
 * `aws.cloudwatch.EventConnection` shape. The routing key goes in the body as a secret invocation parameter, which
 * is what PagerDuty documents; the API key slot, which a connection must fill, carries it too as `X-Routing-Key`,
 * a header the Events API also reads though PagerDuty documents only the body field. Both live in the
 * connection's Secrets Manager secret, never in the rule.
 *
 * @param routingKey - the Events API v2 integration key (a string, or a Pulumi output of one)
 */
export function pagerDutyConnectionAuth<K>(routingKey: K) {
  return {
    apiKey: { key: "X-Routing-Key", value: routingKey },
    invocationHttpParameters: { bodies: [{ key: PAGERDUTY_ROUTING_KEY_FIELD, value: routingKey, isValueSecret: true }] },
  };
}

const TRIGGER_PATHS = {
  dedupKey: "$.detail.dedupKey",
  summary: "$.detail.summary",
  severity: "$.detail.severity",
  occurredAt: "$.detail.occurredAt",
  links: "$.detail.links",
  detailType: "$.detail-type",
  eventId: "$.detail.eventId",
  account: "$.account",
  region: "$.region",
  incidentId: "$.detail.incident.incidentId",
  title: "$.detail.incident.title",
  priority: "$.detail.incident.priority",
  status: "$.detail.incident.status",
  service: "$.detail.incident.service",
  rootCauseService: "$.detail.incident.rootCauseService",
  alertCount: "$.detail.incident.alertCount",
  firstSeen: "$.detail.incident.firstSeen",
  lastSeen: "$.detail.incident.lastSeen",
  component: "$.detail.incident.component",
  group: "$.detail.incident.group",
  class: "$.detail.incident.class",
} as const;

/**
 * A `trigger`: `dedup_key` is the detail's `dedupKey` (stable per incident, at most 255 characters), so later
 * triggers update the same PagerDuty alert and the resolve closes it. Optional fields sit inside strings, so an
 * absent one becomes "" rather than a null PagerDuty might reject.
 */
function triggerTemplate(source: string): string {
  return jsonTemplate({
    event_action: "trigger",
    dedup_key: "<dedupKey>",
    client: "Vigil",
    payload: {
      summary: "<summary>",
      source,
      severity: "<severity>",
      timestamp: "<occurredAt>",
      component: "<component>",
      group: "<group>",
      class: "<class>",
      custom_details: {
        incident_id: "<incidentId>",
        title: "<title>",
        priority: "<priority>",
        status: "<status>",
        service: "<service>",
        root_cause_service: "<rootCauseService>",
        alert_count: asJson("alertCount"),
        first_seen: "<firstSeen>",
        last_seen: "<lastSeen>",
        vigil_event: "<detailType>",
        vigil_event_id: "<eventId>",
      },
    },
    links: asJson("links"),
  });
}

// `source` is required: the owning service when the incident has one, else where Vigil saw it.
const activeWithService = (present: boolean): EventPattern => ({
  ...INCIDENT_ACTIVE,
  detail: { incident: { ...INCIDENT_ACTIVE.detail.incident, service: [{ exists: present }] } },
});

/**
 * PagerDuty Events API v2 subscriptions for incidents: `trigger` while an incident is open (split on whether it
 * has an owning service, which becomes `payload.source`), `resolve` once it is over. Each is one rule and one API
 * destination target on the ops bus; the patterns are disjoint, so every incident event is sent at most once.
 * The connection supplies {@link PAGERDUTY_ROUTING_KEY_FIELD}.
 */
export const PAGERDUTY_SUBSCRIPTIONS: readonly Subscription[] = [
  {
    name: "pagerduty-trigger",
    pattern: activeWithService(true),
    inputTransformer: { inputPathsMap: TRIGGER_PATHS, inputTemplate: triggerTemplate("<service>") },
  },
  {
    name: "pagerduty-trigger-no-service",
    pattern: activeWithService(false),
    inputTransformer: { inputPathsMap: TRIGGER_PATHS, inputTemplate: triggerTemplate("vigil:<account>:<region>") },
  },
  {
    name: "pagerduty-resolve",
    pattern: INCIDENT_OVER,
    inputTransformer: {
      inputPathsMap: { dedupKey: "$.detail.dedupKey" },
      inputTemplate: jsonTemplate({ event_action: "resolve", dedup_key: "<dedupKey>" }),
    },
  },
];
