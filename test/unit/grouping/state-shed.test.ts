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

  it("then drops the oldest dedup keys, down to the live groups alone if that is what fits", () => {
    const state = history();
    const liveOnly = (s: GroupingState) => Object.keys(s.seen).length === 0 && Object.values(s.groups).every((g) => g.status === "open" || g.status === "pending");
    const report = shedHistory(state, liveOnly);
    expect(report).toMatchObject({ fits: true, seen: expect.any(Number) });
    expect(report.seen).toBeGreaterThan(0);
    expect(Object.keys(state.seen)).toHaveLength(0);
    expect(new Set(Object.values(state.groups).map((g) => g.status))).toEqual(new Set(["open", "pending"]));
  });

  it("drops nothing when the state fits already, or would not fit even with all its history gone", () => {
    const fitting = history();
    expect(shedHistory(fitting, () => true)).toEqual({ groups: 0, fingerprints: 0, seen: 0, fits: true });
    const hopeless = history();
    const before = JSON.stringify(hopeless);
    expect(shedHistory(hopeless, () => false)).toEqual({ groups: 0, fingerprints: 0, seen: 0, fits: false });
    expect(JSON.stringify(hopeless)).toBe(before);
  });
});
