import { describe, expect, it } from "vitest";
import { buildTopology, parseGroupingConfig, type Alert, type GroupingState } from "../../../core/grouping";
import { shedHistory } from "../../../core/grouping/state-shed";
import { alertFactory, MIN, runAlerts, T0 } from "./alert-factory";

const ctx = { topology: buildTopology({ services: [{ name: "api" }] }), config: parseGroupingConfig({}) };
const alert = alertFactory({ service: "api", prefix: "s" });

/** Lone blips a quarter of an hour apart (each held, then discarded as transient), then an incident still open at the end. */
function history(): GroupingState {
  const blips: Alert[] = Array.from({ length: 20 }, (_, i) => [
    alert({ fingerprint: `alarm:blip-${i}`, eventTime: T0 + i * 15 * MIN }),
    alert({ fingerprint: `alarm:blip-${i}`, eventTime: T0 + i * 15 * MIN + MIN, status: "resolved" }),
  ]).flat();
  const end = T0 + 20 * 15 * MIN;
  const incident = [alert({ fingerprint: "alarm:api-5xx", eventTime: end, severity: "error" }), alert({ fingerprint: "alarm:api-latency", eventTime: end + MIN, severity: "error" })];
  return runAlerts([...blips, ...incident], ctx).state;
}

const size = (state: GroupingState) => JSON.stringify(state).length;

describe("shedHistory", () => {
  it("drops closed groups oldest first, with the fingerprints only they held, until the state fits; never a live group", () => {
    const state = history();
    const live = Object.values(state.groups).filter((g) => g.status === "open" || g.status === "pending").map((g) => g.id);
    const closed = Object.values(state.groups).filter((g) => g.status === "discarded").sort((a, b) => a.lastAt - b.lastAt);
    expect(live.length).toBeGreaterThan(0);
    expect(closed.length).toBeGreaterThan(4);
    const limit = size(state) - 1;
    const report = shedHistory(state, (s) => size(s) <= limit);
    expect(report.fits).toBe(true);
    expect(report.groups).toBeGreaterThan(0);
    expect(report.seen).toBe(0);
    // The oldest went, the newest stayed, and so did the live incident and its fingerprints.
    expect(state.groups[closed[0]!.id]).toBeUndefined();
    expect(state.groups[closed.at(-1)!.id]).toBeDefined();
    expect(live.every((id) => state.groups[id] !== undefined)).toBe(true);
    expect(state.fingerprints["alarm:api-5xx"]).toBeDefined();
    expect(Object.values(state.fingerprints).every((e) => state.groups[e.groupId] !== undefined)).toBe(true);
  });

  it("then drops the oldest dedup keys, and says so when only live groups are left and it still does not fit", () => {
    const state = history();
    const report = shedHistory(state, () => false);
    expect(report).toMatchObject({ fits: false, seen: expect.any(Number) });
    expect(Object.keys(state.seen)).toHaveLength(0);
    expect(new Set(Object.values(state.groups).map((g) => g.status))).toEqual(new Set(["open", "pending"]));
    const untouched = history();
    expect(shedHistory(untouched, () => true)).toEqual({ groups: 0, fingerprints: 0, seen: 0, fits: true });
  });
});
