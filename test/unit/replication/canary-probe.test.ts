import { describe, expect, it } from "vitest";
import {
  applySignal,
  CANARY_HISTORY_LENGTH,
  canaryItemAttributes,
  canaryItemKey,
  canaryItemWrites,
  canaryLookbackMinutes,
  canaryVerdict,
  DEFAULT_REPLICATION_SETTINGS,
  dynamoDbCanaryResults,
  hasCanary,
  initialState,
  nextCanaryAttempt,
  parseS3MarkerKey,
  type ProtectedResource,
  type ReplicationState,
  type ReplicationTransition,
  s3CanaryResults,
  s3ListStartAfter,
  s3MarkerKey,
  signalFromCanary,
} from "../../../core/replication";
import { at, MIN, ok, target } from "./factory";

/** A factory target narrowed to its kind. */
function ofKind<K extends ProtectedResource["kind"]>(id: string, kind: K): Extract<ProtectedResource, { kind: K }> {
  const t = target(id);
  if (t.kind !== kind) throw new Error(`factory target ${id} is ${t.kind}, not ${kind}`);
  return t as Extract<ProtectedResource, { kind: K }>;
}
const s3 = ofKind("assets-bucket", "s3");
const ddb = ofKind("orders-table", "dynamodb");

describe("S3 marker keys", () => {
  it("carry the write time and the target, and parse back only for that target", () => {
    const key = s3MarkerKey("assets-bucket", at(3));
    expect(key).toBe(`vigil-canary/${at(3)}-assets-bucket`);
    expect(parseS3MarkerKey(key, "assets-bucket")).toBe(at(3));
    expect(parseS3MarkerKey(key, "bucket")).toBeUndefined();
    expect(parseS3MarkerKey("vigil-canary/12ab-assets-bucket", "assets-bucket")).toBeUndefined();
    expect(parseS3MarkerKey(`logs/${at(3)}-assets-bucket`, "assets-bucket")).toBeUndefined();
  });

  it("sort in write order, so a listing from StartAfter returns exactly the markers written since", () => {
    const keys = [at(-40), at(-30), at(-29), at(0)].map((t) => s3MarkerKey("assets-bucket", t));
    const start = s3ListStartAfter(at(-30));
    expect(keys.filter((k) => k > start)).toEqual(keys.slice(1));
    expect([...keys].reverse().sort()).toEqual(keys);
  });
});

describe("canaryVerdict", () => {
  it("with nothing in the replica, the RPO runs from the oldest marker written", () => {
    expect(canaryVerdict([at(2), at(0), at(1)], undefined)).toEqual({ missingSince: at(0) });
  });

  it("names the newest arrival and the oldest marker written after it", () => {
    expect(canaryVerdict([at(0), at(1), at(2), at(3)], at(1))).toEqual({ arrived: at(1), missingSince: at(2) });
  });

  it("with every marker in, nothing is missing; a missing marker older than an arrival is superseded", () => {
    expect(canaryVerdict([at(0), at(1)], at(1))).toEqual({ arrived: at(1) });
    expect(canaryVerdict([at(0), at(1)], at(1)).missingSince).toBeUndefined();
  });
});

describe("s3CanaryResults", () => {
  const key = (m: number, id = "assets-bucket") => s3MarkerKey(id, at(m));

  it("read hit: reports the newest marker found in the replica with its lag, then the oldest one still missing", () => {
    const results = s3CanaryResults(s3, { source: [key(7), key(8), key(9), key(10)], replica: [key(7), key(8)] }, at(10));
    expect(results).toEqual([
      { kind: "s3", resource: s3.resource, replica: s3.replica, markerId: key(8), writtenAt: new Date(at(8)).toISOString(), observedAt: new Date(at(10)).toISOString(), probedAt: new Date(at(10)).toISOString() },
      { kind: "s3", resource: s3.resource, replica: s3.replica, markerId: key(9), writtenAt: new Date(at(9)).toISOString(), observedAt: null, probedAt: new Date(at(10)).toISOString() },
    ]);
    const lag = (r: (typeof results)[number]) => (r.observedAt === null ? null : (Date.parse(String(r.observedAt)) - Date.parse(String(r.writtenAt))) / MIN);
    expect(results.map(lag)).toEqual([2, null]);
  });

  it("never reports the marker this run just wrote as missing: it has had no time to arrive", () => {
    expect(s3CanaryResults(s3, { source: [key(9), key(10)], replica: [key(9)] }, at(10))).toMatchObject([{ markerId: key(9), observedAt: expect.any(String) }]);
    expect(s3CanaryResults(s3, { source: [key(0)], replica: [] }, at(0))).toEqual([]);
  });

  it("read miss: nothing in the replica reports only the oldest marker, not yet arrived", () => {
    const results = s3CanaryResults(s3, { source: [key(4), key(5), key(6)], replica: [] }, at(6));
    expect(results).toMatchObject([{ markerId: key(4), observedAt: null }]);
  });

  it("ignores other targets' markers in both buckets", () => {
    const results = s3CanaryResults(s3, { source: [key(5, "other"), key(6)], replica: [key(5, "other")] }, at(7));
    expect(results).toMatchObject([{ markerId: key(6), observedAt: null }]);
  });
});

describe("DynamoDB marker item", () => {
  it("keys the item on the table's own key attributes, whatever their types", () => {
    expect(canaryItemKey([{ name: "pk", type: "S" }, { name: "sk", type: "S" }], "orders-table")).toEqual({
      pk: { S: "vigil-canary#orders-table" },
      sk: { S: "vigil-canary#orders-table" },
    });
    const numeric = canaryItemKey([{ name: "id", type: "N" }], "orders-table").id as { N: string };
    expect(Number(numeric.N)).toBeLessThan(0);
    expect(canaryItemKey([{ name: "id", type: "N" }], "other").id).not.toEqual(numeric);
    expect(canaryItemKey([{ name: "b", type: "B" }], "t").b).toEqual({ B: new TextEncoder().encode("vigil-canary#t") });
  });

  it("keeps a deduplicated, capped history of writes, oldest first", () => {
    const previous = Array.from({ length: CANARY_HISTORY_LENGTH }, (_, i) => at(i));
    const item = canaryItemAttributes([...previous, at(CANARY_HISTORY_LENGTH - 1)], at(CANARY_HISTORY_LENGTH));
    const read = canaryItemWrites(item);
    expect(read.writtenAt).toBe(at(CANARY_HISTORY_LENGTH));
    expect(read.writes).toHaveLength(CANARY_HISTORY_LENGTH);
    expect(read.writes[0]).toBe(at(1));
    expect(read.writes.at(-1)).toBe(at(CANARY_HISTORY_LENGTH));
  });

  it("reads an absent or foreign item as no history, without throwing", () => {
    expect(canaryItemWrites(undefined)).toEqual({ writes: [] });
    expect(canaryItemWrites({ vigilCanaryWrittenAt: { S: "x" }, vigilCanaryWrites: { L: [{ N: "oops" }, { S: "1" }] } })).toEqual({ writes: [] });
  });

  it("reports per replica region: the replica's newest write observed now, the next write missing", () => {
    const writes = [at(7), at(8), at(9), at(10)];
    const results = dynamoDbCanaryResults(ddb, "us-west-2", writes, at(8), at(10));
    expect(results).toMatchObject([
      { kind: "dynamodb", replica: "us-west-2", writtenAt: new Date(at(8)).toISOString(), observedAt: new Date(at(10)).toISOString() },
      { replica: "us-west-2", writtenAt: new Date(at(9)).toISOString(), observedAt: null },
    ]);
    expect(results[0]!.markerId).toBe(`orders@us-west-2#${at(8)}`);
  });
});

describe("probe scheduling", () => {
  it("has no canary for RDS: its snapshot copies are the recovery point", () => {
    expect([s3, ddb, target("orders-db")].map(hasCanary)).toEqual([true, true, false]);
  });

  it("looks back twice the RPO, at least the staleness window", () => {
    expect(canaryLookbackMinutes(s3, DEFAULT_REPLICATION_SETTINGS)).toBe(30);
    expect(canaryLookbackMinutes({ ...s3, rpoMinutes: 60 }, DEFAULT_REPLICATION_SETTINGS)).toBe(120);
  });

  it("backs off a failing target 2, 4, 8 then 15 minutes", () => {
    expect([1, 2, 3, 4, 9].map((n) => (nextCanaryAttempt(n, at(0)) - at(0)) / MIN)).toEqual([2, 4, 8, 15, 15]);
  });
});

/**
 * A minute-by-minute run of the probe against an S3 replica that this test replicates: each marker
 * lands `lag(writtenMinute)` minutes after its write (null: never), and every report goes through the model.
 */
function simulateS3(minutes: number, lag: (m: number) => number | null) {
  const source: string[] = [];
  const arrivals: { key: string; minute: number }[] = [];
  let state: ReplicationState = initialState(s3.id);
  const transitions: ReplicationTransition[] = [];
  for (let m = 0; m <= minutes; m++) {
    const key = s3MarkerKey(s3.id, at(m));
    source.push(key);
    const l = lag(m);
    if (l !== null) arrivals.push({ key, minute: m + l });
    const replica = arrivals.filter((a) => a.minute <= m).map((a) => a.key);
    for (const result of s3CanaryResults(s3, { source, replica }, at(m))) {
      const next = applySignal(state, ok(signalFromCanary(result)), s3, { receivedAt: at(m) });
      state = next.state;
      if (next.transition) transitions.push(next.transition);
    }
  }
  return { state, transitions };
}

describe("probe reports through the model", () => {
  it("healthy replication is ok, its RPO measured to the probe's one-minute resolution", () => {
    const { state, transitions } = simulateS3(60, () => 0);
    expect(transitions).toEqual([]);
    expect(state).toMatchObject({ status: "ok", observedRpoMinutes: 0, lastSource: "s3-canary" });
    expect(simulateS3(60, () => 3).state).toMatchObject({ status: "ok", observedRpoMinutes: 3 });
  });

  it("replication stopping at minute 20 breaches when the first missing marker is 15 minutes old, then restores", () => {
    const { transitions } = simulateS3(60, (m) => (m >= 20 && m < 40 ? null : 1));
    expect(transitions.map((t) => [t.type, (t.at - at(0)) / MIN])).toEqual([
      ["breached", 36],
      ["restored", 43],
    ]);
    expect(transitions[0]).toMatchObject({ source: "s3-canary", status: "breached" });
  });

  it("late markers (20 min behind) breach too, though every one eventually lands", () => {
    const { transitions } = simulateS3(60, (m) => (m >= 10 ? 20 : 0));
    expect(transitions.map((t) => t.type)).toEqual(["breached"]);
    expect((transitions[0]!.at - at(0)) / MIN).toBe(26);
  });
});
