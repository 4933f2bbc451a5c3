import { describe, expect, it } from "vitest";
import { buildTopology, createGroupingState, ingestScopeBatch, parseGroupingConfig, tickScope } from "../../../core/grouping";
import { withoutUnchangedIncidents } from "../../../functions/lib/grouping-digests";
import { alertFactory, MIN, T0 } from "../grouping/alert-factory";

const ctx = { topology: buildTopology({ services: [{ name: "db" }, { name: "api", dependsOn: ["db"] }] }), config: parseGroupingConfig({}) };

/** A scope whose two error alarms opened an incident: the state and the tick's outbox with its Incident item. */
function opened() {
  const alert = alertFactory({ service: "api", prefix: "dig" });
  const state = createGroupingState();
  ingestScopeBatch(state, [alert({ fingerprint: "alarm:api-5xx", eventTime: T0, severity: "error" }), alert({ fingerprint: "alarm:api-latency", eventTime: T0 + MIN, severity: "error" })], ctx);
  const step = tickScope(state, T0 + MIN + ctx.config.groupWait, ctx);
  return step;
}

describe("withoutUnchangedIncidents", () => {
  it("keeps an Incident item never written, then drops it while its content is what was last written", () => {
    const step = opened();
    expect(step.outbox.incidents).toHaveLength(1);
    const first = withoutUnchangedIncidents(step.outbox, {}, step.state);
    expect(first.outbox.incidents).toEqual(step.outbox.incidents);
    const id = step.outbox.incidents[0]!.incidentId;
    expect(Object.keys(first.digests)).toEqual([id]);

    const again = withoutUnchangedIncidents(step.outbox, first.digests, step.state);
    expect(again.outbox.incidents).toEqual([]);
    expect(again.outbox.events).toEqual(step.outbox.events);
    expect(again.digests).toEqual(first.digests);
  });

  it("keeps an Incident item whose content changed, and records its new digest", () => {
    const step = opened();
    const { digests } = withoutUnchangedIncidents(step.outbox, {}, step.state);
    const changed = { ...step.outbox, incidents: step.outbox.incidents.map((i) => ({ ...i, alertCount: i.alertCount + 1 })) };
    const next = withoutUnchangedIncidents(changed, digests, step.state);
    expect(next.outbox.incidents).toEqual(changed.incidents);
    expect(next.digests).not.toEqual(digests);
  });

  it("forgets digests of incidents no longer in the state", () => {
    const step = opened();
    const result = withoutUnchangedIncidents({ ...step.outbox, incidents: [] }, { "gone-1": "abc" }, step.state);
    expect(result.digests).toEqual({});
  });
});
