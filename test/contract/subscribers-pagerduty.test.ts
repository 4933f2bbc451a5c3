import { describe, expect, it } from "vitest";
import { z } from "zod";
import { compilePattern } from "../../core/eventbridge/pattern";
import { applyInputTransformer } from "../../core/eventbridge/input-transformer";
import {
  awsInputTransformer,
  PAGERDUTY_ROUTING_KEY_FIELD,
  PAGERDUTY_SUBSCRIPTIONS,
  pagerDutyConnectionAuth,
  type Subscription,
} from "../../events/subscribers";
import { INCIDENT_CASES, OTHER_EVENTS, RAW_MULTILINE_CASE, type SubscriberCase } from "./subscribers-events";

/**
 * PagerDuty Events API v2 "Send an Alert Event" request body, field by field from PagerDuty's documentation
 * (developer.pagerduty.com, events-API-v2 / Trigger Events): routing_key is the 32-character integration key;
 * payload is required for a trigger; summary at most 1024 characters; dedup_key at most 255.
 */
const PagerDutyLink = z.strictObject({ href: z.url(), text: z.string().optional() });
const PagerDutyImage = z.strictObject({ src: z.url({ protocol: /^https$/ }), href: z.url().optional(), alt: z.string().optional() });
const PagerDutyPayload = z.strictObject({
  summary: z.string().min(1).max(1024),
  source: z.string().min(1),
  severity: z.enum(["critical", "error", "warning", "info"]),
  timestamp: z.iso.datetime({ offset: true }).optional(),
  component: z.string().optional(),
  group: z.string().optional(),
  class: z.string().optional(),
  custom_details: z.record(z.string(), z.unknown()).optional(),
});
const PagerDutyEvent = z
  .strictObject({
    routing_key: z.string().length(32),
    event_action: z.enum(["trigger", "acknowledge", "resolve"]),
    dedup_key: z.string().min(1).max(255).optional(),
    payload: PagerDutyPayload.optional(),
    images: z.array(PagerDutyImage).optional(),
    links: z.array(PagerDutyLink).optional(),
    client: z.string().optional(),
    client_url: z.url().optional(),
  })
  .refine((body) => body.event_action !== "trigger" || body.payload !== undefined, { message: "a trigger needs a payload" });
type PagerDutyEvent = z.infer<typeof PagerDutyEvent>;

/** What the API destination's connection adds to every body: the secret routing key. */
const ROUTING_KEY = "R0UT1NGKEY0123456789abcdef012345";

const matching = (event: SubscriberCase["event"]): Subscription[] =>
  PAGERDUTY_SUBSCRIPTIONS.filter((s) => compilePattern(s.pattern)(event));

/** The request PagerDuty receives: the rendered template plus the connection's body parameter. */
function request(subscription: Subscription, event: SubscriberCase["event"]): { rendered: Record<string, unknown>; body: PagerDutyEvent } {
  const rendered = JSON.parse(applyInputTransformer(awsInputTransformer(subscription.inputTransformer), event)) as Record<string, unknown>;
  const parsed = PagerDutyEvent.safeParse({ ...rendered, [PAGERDUTY_ROUTING_KEY_FIELD]: ROUTING_KEY });
  if (!parsed.success) throw new Error(`${subscription.name}: ${z.prettifyError(parsed.error)}`);
  return { rendered, body: parsed.data };
}

const detail = (event: SubscriberCase["event"]) =>
  event.detail as { dedupKey: string; summary: string; severity: string; links: unknown[]; incident: Record<string, unknown> };

describe("PagerDuty subscriptions: routing", () => {
  it("validate as EventBridge patterns and have distinct names", () => {
    expect(new Set(PAGERDUTY_SUBSCRIPTIONS.map((s) => s.name)).size).toBe(PAGERDUTY_SUBSCRIPTIONS.length);
    for (const s of PAGERDUTY_SUBSCRIPTIONS) expect(() => compilePattern(s.pattern), s.name).not.toThrow();
  });

  for (const { name, event } of INCIDENT_CASES) {
    it(`sends exactly one request for: ${name}`, () => {
      const status = detail(event).incident.status;
      const hits = matching(event);
      expect(hits).toHaveLength(1);
      expect(hits[0]?.name).toBe(status === "open" ? (detail(event).incident.service ? "pagerduty-trigger" : "pagerduty-trigger-no-service") : "pagerduty-resolve");
    });
  }

  it("ignores every event that is not about an incident", () => {
    for (const event of OTHER_EVENTS) expect(matching(event), event["detail-type"]).toEqual([]);
  });
});

describe("PagerDuty subscriptions: request bodies", () => {
  for (const { name, event } of [...INCIDENT_CASES, RAW_MULTILINE_CASE]) {
    it(`renders a valid Events API v2 request for: ${name}`, () => {
      const [subscription] = matching(event);
      if (!subscription) throw new Error("no subscription matched");
      const { rendered, body } = request(subscription, event);
      const d = detail(event);
      expect(rendered).not.toHaveProperty(PAGERDUTY_ROUTING_KEY_FIELD);
      expect(body.dedup_key).toBe(d.dedupKey);
      if (d.incident.status === "resolved") {
        expect(body).toEqual({ routing_key: ROUTING_KEY, event_action: "resolve", dedup_key: d.dedupKey });
        return;
      }
      expect(body.event_action).toBe("trigger");
      expect(body.payload).toMatchObject({
        summary: d.summary,
        severity: d.severity,
        source: d.incident.service ?? `vigil:${String(event.account)}:${String(event.region)}`,
        component: d.incident.component ?? "",
        group: d.incident.group ?? "",
        class: d.incident.class ?? "",
      });
      expect(body.payload?.custom_details).toMatchObject({
        incident_id: d.incident.incidentId,
        title: d.incident.title,
        priority: d.incident.priority,
        alert_count: d.incident.alertCount,
        service: d.incident.service ?? "",
      });
      expect(body.links).toEqual(d.links);
    });
  }

  it("keeps one dedup_key from trigger to resolve", () => {
    const keys = INCIDENT_CASES.slice(0, 3).map(({ event }) => {
      const [subscription] = matching(event);
      return subscription && request(subscription, event).body.dedup_key;
    });
    expect(new Set(keys)).toEqual(new Set([detail(INCIDENT_CASES[0]!.event).dedupKey]));
  });

  it("fits AWS's input transformer limits", () => {
    for (const { name, inputTransformer } of PAGERDUTY_SUBSCRIPTIONS) {
      const paths = Object.entries(inputTransformer.inputPathsMap);
      expect(paths.length, name).toBeLessThanOrEqual(100);
      for (const [key, path] of paths) {
        expect(key, name).toMatch(/^[A-Za-z0-9_-]+$/);
        expect(key.toLowerCase().startsWith("aws"), name).toBe(false);
        expect(path.length, name).toBeLessThanOrEqual(256);
      }
      expect(inputTransformer.inputTemplate.length, name).toBeLessThanOrEqual(8192);
      expect(inputTransformer.inputTemplate, name).not.toContain(PAGERDUTY_ROUTING_KEY_FIELD);
    }
  });
});

describe("PagerDuty connection", () => {
  it("carries the routing key as a secret body parameter, and in the API key slot a connection must fill", () => {
    expect(pagerDutyConnectionAuth(ROUTING_KEY)).toEqual({
      apiKey: { key: "X-Routing-Key", value: ROUTING_KEY },
      invocationHttpParameters: { bodies: [{ key: "routing_key", value: ROUTING_KEY, isValueSecret: true }] },
    });
  });
});
