import { describe, expect, it } from "vitest";
import { OUTBOUND_DETAIL_TYPES, type OutboundDetailType, vigilEntry } from "../../events/outbound";
import { awsInputTransformer, PAGERDUTY_SUBSCRIPTIONS, SLACK_SUBSCRIPTIONS } from "../../events/subscribers";
import { VirtualClock } from "../../local/clock";
import { LocalEventBus } from "../../local/eventbridge/bus";
import { OUTBOUND_SAMPLES } from "./outbound-samples";

const BUS = "vigil-ops";

/** A local bus with every subscription wired as a rule whose sink records what the API destination would get. */
function wiredBus() {
  const bus = new LocalEventBus({ clock: new VirtualClock(Date.parse("2024-05-01T12:00:00Z")) });
  const received: { subscription: string; body: Record<string, unknown> }[] = [];
  for (const s of [...PAGERDUTY_SUBSCRIPTIONS, ...SLACK_SUBSCRIPTIONS]) {
    bus.putRule({
      name: s.name,
      busName: BUS,
      pattern: s.pattern,
      targets: [
        {
          id: "api-destination",
          kind: "sink",
          inputTransformer: awsInputTransformer(s.inputTransformer),
          deliver: (input) => void received.push({ subscription: s.name, body: JSON.parse(input) as Record<string, unknown> }),
        },
      ],
    });
  }
  return { bus, received };
}

const entry = (t: OutboundDetailType) => ({ ...vigilEntry(t, OUTBOUND_SAMPLES[t]), EventBusName: BUS });

describe("subscriptions on the local event bus", () => {
  it("turn an incident's life into one PagerDuty trigger, update and resolve, and one Slack message each", async () => {
    const { bus, received } = wiredBus();
    bus.putEvents([entry("Incident Opened"), entry("Incident Updated"), entry("Incident Resolved")]);
    await bus.drain();
    expect(bus.deadLetters).toEqual([]);
    expect(received.map((r) => r.subscription).sort()).toEqual(
      ["pagerduty-trigger", "pagerduty-trigger", "pagerduty-resolve", "slack-incident-active", "slack-incident-active", "slack-incident-resolved"].sort(),
    );
    const pagerDuty = received.filter((r) => r.subscription.startsWith("pagerduty"));
    expect(pagerDuty.map((r) => r.body.event_action).sort()).toEqual(["resolve", "trigger", "trigger"]);
    expect(new Set(pagerDuty.map((r) => r.body.dedup_key))).toEqual(new Set([OUTBOUND_SAMPLES["Incident Opened"].dedupKey]));
  });

  it("deliver nothing for the other detail-types", async () => {
    const { bus, received } = wiredBus();
    bus.putEvents(OUTBOUND_DETAIL_TYPES.filter((t) => !t.startsWith("Incident")).map(entry));
    await bus.drain();
    expect(bus.accepted).toHaveLength(OUTBOUND_DETAIL_TYPES.length - 3);
    expect(received).toEqual([]);
  });
});
