import { describe, expect, it } from "vitest";
import { adoptScopeStates, buildTopology, parseGroupingConfig, predecessorScopes, tick, type GroupingState } from "../../../core/grouping";
import { alertFactory, MIN, runAlerts, T0 } from "./alert-factory";

const A = "111111111111";
const B = "222222222222";
const C = "333333333333";
const ctx = { topology: buildTopology({ services: [{ name: "api" }, { name: "db" }] }), config: parseGroupingConfig({}) };

/** Two error alarms of one service in one account: an open incident in that account's own state. */
function accountState(account: string, service: string, at: number): GroupingState {
  const alert = alertFactory({ service, prefix: `${account}-${service}` });
  return runAlerts(
    [
      alert({ fingerprint: `alarm:arn:aws:cloudwatch:us-east-1:${account}:alarm:${service}-5xx`, eventTime: at, severity: "error", account }),
      alert({ fingerprint: `alarm:arn:aws:cloudwatch:us-east-1:${account}:alarm:${service}-latency`, eventTime: at + MIN, severity: "error", account }),
    ],
    ctx,
  ).state;
}

describe("predecessorScopes", () => {
  it("names the members' own scopes and their possible earlier group ids, never the scope itself", () => {
    const scopes = buildTopology({ services: [{ name: "api", account: B, dependsOn: ["db"] }, { name: "db", account: A }] }).scopes;
    expect(predecessorScopes(`group#${A}`, scopes)).toEqual([`acct#${A}`, `acct#${B}`, `group#${B}`]);
    expect(predecessorScopes(`acct#${C}`, scopes)).toEqual([]);
  });
});

describe("adoptScopeStates", () => {
  it("unites groups, fingerprints and dedup keys; takes the latest clock, the earliest deadline and the highest sequence", () => {
    const a = accountState(A, "api", T0);
    const b = accountState(B, "db", T0 + 5 * MIN);
    const { state, taken, skipped } = adoptScopeStates([structuredClone(a), structuredClone(b)]);
    expect(taken).toEqual([0, 1]);
    expect(skipped).toEqual([]);
    expect(Object.keys(state.groups).sort()).toEqual([...Object.keys(a.groups), ...Object.keys(b.groups)].sort());
    expect(Object.keys(state.fingerprints)).toHaveLength(Object.keys(a.fingerprints).length + Object.keys(b.fingerprints).length);
    expect(Object.keys(state.seen)).toHaveLength(4);
    expect(state.clock).toBe(Math.max(a.clock, b.clock));
    expect(state.nextDueAt).toBe(Math.min(a.nextDueAt, b.nextDueAt));
    expect(state.seq).toBe(Math.max(a.seq, b.seq));
  });

  it("keeps the adopted incidents alive: the merged state pages and resolves them as their own states would", () => {
    const a = accountState(A, "api", T0);
    const b = accountState(B, "db", T0 + 5 * MIN);
    const { state } = adoptScopeStates([structuredClone(a), structuredClone(b)]);
    const notified = tick(state, T0 + 30 * MIN, ctx).decisions.filter((d) => d.type === "notify").map((d) => d.incidentId);
    const alone = [a, b].flatMap((s) => tick(s, T0 + 30 * MIN, ctx).decisions.filter((d) => d.type === "notify").map((d) => d.incidentId));
    expect(notified.length).toBeGreaterThan(0);
    expect(notified.sort()).toEqual(alone.sort());
  });

  it("leaves out a whole state whose group id another already holds, rather than half merge it", () => {
    const a = accountState(A, "api", T0);
    const { state, taken, skipped } = adoptScopeStates([structuredClone(a), structuredClone(a)]);
    expect(taken).toEqual([0]);
    expect(skipped).toEqual([1]);
    expect(Object.keys(state.groups)).toEqual(Object.keys(a.groups));
  });
});
