import { describe, expect, it } from "vitest";
import { z } from "zod";
import { compilePattern } from "../../core/eventbridge/pattern";
import { applyInputTransformer } from "../../core/eventbridge/input-transformer";
import { awsInputTransformer, SLACK_SUBSCRIPTIONS, type Subscription } from "../../events/subscribers";
import { INCIDENT_CASES, OTHER_EVENTS, RAW_MULTILINE_CASE, type SubscriberCase } from "./subscribers-events";

/**
 * A Slack incoming-webhook message with Block Kit blocks, from Slack's reference (docs.slack.dev, Block Kit):
 * header text is plain_text of at most 150 characters; section text at most 3000, at most 10 fields of at most
 * 2000; context at most 10 elements; button text plain_text of at most 75, url at most 3000; at most 50 blocks.
 */
const plainText = (max: number) => z.strictObject({ type: z.literal("plain_text"), text: z.string().min(1).max(max), emoji: z.boolean().optional() });
const mrkdwn = (max: number) => z.strictObject({ type: z.literal("mrkdwn"), text: z.string().min(1).max(max), verbatim: z.boolean().optional() });
const textObject = (max: number) => z.discriminatedUnion("type", [plainText(max), mrkdwn(max)]);
const blockId = z.string().max(255).optional();
const Button = z.strictObject({
  type: z.literal("button"),
  text: plainText(75),
  url: z.url().max(3000).optional(),
  action_id: z.string().max(255).optional(),
  value: z.string().max(2000).optional(),
  style: z.enum(["primary", "danger"]).optional(),
});
const Block = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("header"), text: plainText(150), block_id: blockId }),
  z
    .strictObject({ type: z.literal("section"), text: textObject(3000).optional(), fields: z.array(textObject(2000)).min(1).max(10).optional(), block_id: blockId })
    .refine((s) => s.text !== undefined || s.fields !== undefined, { message: "a section needs text or fields" }),
  z.strictObject({ type: z.literal("context"), elements: z.array(textObject(3000)).min(1).max(10), block_id: blockId }),
  z.strictObject({ type: z.literal("actions"), elements: z.array(Button).min(1).max(25), block_id: blockId }),
  z.strictObject({ type: z.literal("divider"), block_id: blockId }),
]);
const SlackMessage = z.strictObject({
  text: z.string().min(1).max(40_000),
  blocks: z.array(Block).max(50).optional(),
  unfurl_links: z.boolean().optional(),
  unfurl_media: z.boolean().optional(),
});
type SlackMessage = z.infer<typeof SlackMessage>;

const matching = (event: SubscriberCase["event"]): Subscription[] =>
  SLACK_SUBSCRIPTIONS.filter((s) => compilePattern(s.pattern)(event));

function message(subscription: Subscription, event: SubscriberCase["event"]): SlackMessage {
  const parsed = SlackMessage.safeParse(JSON.parse(applyInputTransformer(awsInputTransformer(subscription.inputTransformer), event)));
  if (!parsed.success) throw new Error(`${subscription.name}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

const detail = (event: SubscriberCase["event"]) =>
  event.detail as { summary: string; severity: string; links: { href: string }[]; incident: Record<string, unknown> };

/** Every text a person sees in the message, in order. */
const texts = (m: SlackMessage): string[] =>
  (m.blocks ?? []).flatMap((b) => {
    if (b.type === "header") return [b.text.text];
    if (b.type === "section") return [...(b.text ? [b.text.text] : []), ...(b.fields ?? []).map((f) => f.text)];
    if (b.type === "context") return b.elements.map((e) => e.text);
    return [];
  });

describe("Slack subscriptions: routing", () => {
  it("validate as EventBridge patterns and have distinct names", () => {
    expect(new Set(SLACK_SUBSCRIPTIONS.map((s) => s.name)).size).toBe(SLACK_SUBSCRIPTIONS.length);
    for (const s of SLACK_SUBSCRIPTIONS) expect(() => compilePattern(s.pattern), s.name).not.toThrow();
  });

  for (const { name, event } of INCIDENT_CASES) {
    it(`posts exactly one message for: ${name}`, () => {
      const d = detail(event);
      const hits = matching(event);
      expect(hits).toHaveLength(1);
      const phase = d.incident.status === "open" ? "active" : "resolved";
      expect(hits[0]?.name).toBe(`slack-incident-${phase}${d.links.length > 0 ? "" : "-unlinked"}`);
    });
  }

  it("ignores every event that is not about an incident", () => {
    for (const event of OTHER_EVENTS) expect(matching(event), event["detail-type"]).toEqual([]);
  });
});

describe("Slack subscriptions: messages", () => {
  for (const { name, event } of [...INCIDENT_CASES, RAW_MULTILINE_CASE]) {
    it(`renders a valid incoming-webhook message for: ${name}`, () => {
      const [subscription] = matching(event);
      if (!subscription) throw new Error("no subscription matched");
      const m = message(subscription, event);
      const d = detail(event);
      const resolved = d.incident.status === "resolved";
      expect(m.text).toBe(`${resolved ? ":white_check_mark:" : ":rotating_light:"} [${d.severity}] ${d.summary}`);
      expect(texts(m)).toEqual([
        `${resolved ? ":white_check_mark:" : ":rotating_light:"} ${event["detail-type"]} · ${String(d.incident.priority)} · ${d.severity}`,
        d.summary,
        `Service: ${String(d.incident.service ?? "")}`,
        `Root cause: ${String(d.incident.rootCauseService ?? "")}`,
        `Alerts: ${String(d.incident.alertCount)}`,
        `First seen: ${String(d.incident.firstSeen)}`,
        resolved ? `Resolved: ${String(d.incident.resolvedAt ?? "")}` : `Last seen: ${String(d.incident.lastSeen)}`,
        `Vigil incident \`${String(d.incident.incidentId)}\``,
      ]);
      // Text from alarms and findings is never mrkdwn, so a mention in it is shown, not sent.
      const summarySection = m.blocks?.find((b) => b.type === "section" && b.text?.text === d.summary);
      expect(summarySection).toMatchObject({ text: { type: "plain_text" } });
      const actions = m.blocks?.filter((b) => b.type === "actions") ?? [];
      expect(actions).toEqual(d.links.length > 0 ? [{ type: "actions", elements: [expect.objectContaining({ url: d.links[0]?.href })] }] : []);
    });
  }

  it("fits AWS's input transformer limits", () => {
    for (const { name, inputTransformer } of SLACK_SUBSCRIPTIONS) {
      const paths = Object.entries(inputTransformer.inputPathsMap);
      expect(paths.length, name).toBeLessThanOrEqual(100);
      for (const [key, path] of paths) {
        expect(key, name).toMatch(/^[A-Za-z0-9_-]+$/);
        expect(path.length, name).toBeLessThanOrEqual(256);
      }
      expect(inputTransformer.inputTemplate.length, name).toBeLessThanOrEqual(8192);
    }
  });
});
