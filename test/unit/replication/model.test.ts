import { describe, expect, it } from "vitest";
import {
  applySignal,
  evaluate,
  initialState,
  signalFromCanary,
  signalFromMetric,
  signalFromRdsEvent,
  signalFromS3Notification,
  TargetMismatchError,
} from "../../../core/replication";
import { at, canary, ddbLatencyDatum, MIN, ok, rdsEvent, s3LatencyDatum, s3Record, target } from "./factory";
import { minutesBetween, run, type Step, ticks } from "./timeline";

const s3 = target("assets-bucket");
const ddb = target("orders-table");
const rds = target("orders-db");
const metric = (d: unknown): Step => ({ signal: ok(signalFromMetric(d)) });
const s3Event = (...args: Parameters<typeof s3Record>): Step => ({ signal: ok(signalFromS3Notification(s3Record(...args))) });
const probe = (...args: Parameters<typeof canary>): Step => ({ signal: ok(signalFromCanary(canary(...args))) });
/** S3 latency datapoints of `seconds` for each minute in [from, to]. */
const s3Latency = (from: number, to: number, seconds: number): Step[] =>
  Array.from({ length: to - from + 1 }, (_, i) => metric(s3LatencyDatum(from + i, seconds)));

describe("status before and without signals", () => {
  it("is unknown before any signal, even long after", () => {
    const result = evaluate(initialState(s3.id), s3, at(600));
    expect(result).toMatchObject({ status: "unknown", observedRpoMinutes: null });
    expect(result.transition).toBeUndefined();
  });

  it("goes ok on a first in-target signal without a transition", () => {
    const { state, transitions } = run(s3, s3Latency(0, 0, 30));
    expect(state.status).toBe("ok");
    expect(state.observedRpoMinutes).toBeCloseTo(0.5);
    expect(transitions).toEqual([]);
  });

  it("refuses a state of another target", () => {
    expect(() => evaluate(initialState(ddb.id), s3, at(0))).toThrow(TargetMismatchError);
  });
});

describe("S3", () => {
  it("late replication: breaches on the first datapoint over the RPO (detection delay 0 min after it arrives)", () => {
    const { transitions } = run(s3, [...s3Latency(0, 9, 60), ...s3Latency(10, 12, 16 * 60)]);
    expect(transitions).toHaveLength(1);
    expect(transitions[0]).toMatchObject({ type: "breached", status: "breached", source: "s3-replication-metric" });
    expect(minutesBetween(at(10), transitions[0]!.at)).toBe(0);
  });

  it("missed threshold: the change's age makes the RPO; breached once it passes 15 min, restored when it replicates", () => {
    const missed = s3Event("OperationMissedThreshold", 15, 0, "big.bin");
    const { state, transitions } = run(s3, [...s3Latency(0, 14, 30), missed, ...ticks(at(15), at(16))]);
    expect(transitions).toMatchObject([{ type: "breached", at: at(15) + MIN }]);
    expect(state.observedRpoMinutes).toBe(16);
    const after = run(s3, [s3Event("OperationReplicatedAfterThreshold", 18, 0, "big.bin"), ...s3Latency(19, 21, 30)], state);
    // 18 min late is itself a breach datapoint; three in-target datapoints after it restore.
    expect(after.transitions).toMatchObject([{ type: "restored", at: at(21) }]);
  });

  it("failed replication: breached at the failure event (delay 0) and until a later success, not on in-target metrics before it", () => {
    const failed = s3Event("OperationFailedReplication", 5, 4, "a.txt", "AssumeRoleNotPermitted");
    const { state, transitions } = run(s3, [...s3Latency(0, 4, 30), failed, ...ticks(at(5), at(20))]);
    expect(transitions).toMatchObject([{ type: "breached", at: at(5), reason: "replication failed: AssumeRoleNotPermitted" }]);
    // A datapoint older than the failure is no proof that replication works again.
    expect(run(s3, [metric(s3LatencyDatum(4, 20))], state).state.status).toBe("breached");
    const later = run(s3, [probe(21, 22), probe(26, 27), probe(31, 32)], state);
    // Decided when the third probe ran and read its marker.
    expect(later.transitions).toMatchObject([{ type: "restored", at: at(32) }]);
  });

  it("pending operations at zero clear missed changes but never a failure", () => {
    const steps = [s3Event("OperationMissedThreshold", 15, 0, "m"), s3Event("OperationFailedReplication", 15, 1, "f")];
    const { state } = run(s3, [...steps, metric(s3LatencyDatum(16, 0, { metric_name: "OperationsPendingReplication", unit: "Count" }))]);
    expect(Object.keys(state.outstanding)).toEqual(["f#v1"]);
  });

  it("canary: a marker that never arrives breaches within RPO + 2 probe intervals of the halt", () => {
    const healthy = [0, 5, 10].map((m) => probe(m, m + 1));
    const haltAt = at(12);
    // Probes every 5 min write a marker and look for the previous ones: none arrives after the halt.
    const pending = [15, 20, 25, 30, 35].map((m) => probe(15, null, m));
    const { transitions } = run(s3, [...healthy, ...pending]);
    expect(transitions).toHaveLength(1);
    const delay = minutesBetween(haltAt, transitions[0]!.at);
    expect(transitions[0]).toMatchObject({ type: "breached", source: "s3-canary" });
    expect(delay).toBeGreaterThan(s3.rpoMinutes);
    expect(delay).toBeLessThanOrEqual(s3.rpoMinutes + 2 * 5);
  });
});

describe("DynamoDB", () => {
  it("takes the worst receiving region and breaches on the first late datapoint (delay 0)", () => {
    const west = target("orders-table");
    const two = { ...west, replicaRegions: ["us-west-2", "eu-west-1"] };
    const steps = [metric(ddbLatencyDatum(0, 2_000)), metric(ddbLatencyDatum(0, 1_000, "eu-west-1")), metric(ddbLatencyDatum(1, 20 * 60_000, "eu-west-1"))];
    const { state, transitions } = run(two, steps);
    expect(transitions).toMatchObject([{ type: "breached", at: at(1), source: "dynamodb-replication-latency" }]);
    expect(state.observedRpoMinutes).toBe(20);
  });

  it("canary lag counts like the metric", () => {
    const { state } = run(ddb, [probe(0, 3, 3, "dynamodb")]);
    expect(state).toMatchObject({ status: "ok", observedRpoMinutes: 3, lastSource: "dynamodb-canary" });
  });
});

describe("RDS", () => {
  const started = (m: number, id: string): Step => ({ signal: ok(signalFromRdsEvent(rdsEvent("RDS-EVENT-0090", m, "us-east-1", `rds:${id}`))) });
  const copied = (m: number, id: string, minutes: number): Step => ({
    signal: ok(signalFromRdsEvent(rdsEvent("RDS-EVENT-0060", m, "us-west-2", id, `Finished copy of snapshot ${id} from region us-east-1 in ${minutes} minutes.`))),
  });

  it("the RPO is the age of the newest DR copy's source snapshot; breached when no newer copy lands in a day", () => {
    const { state, transitions } = run(rds, [started(0, "orders-db-d1"), copied(40, "orders-db-d1-copy", 30), ...ticks(at(1440), at(1441))]);
    expect(state.recoveryPoint).toEqual({ at: at(0), estimated: false });
    expect(transitions).toMatchObject([{ type: "breached", at: at(1441), observedRpoMinutes: 1441 }]);
  });

  it("unknown while snapshots exist but no copy reached the DR region", () => {
    expect(run(rds, [started(0, "orders-db-d1"), ...ticks(at(60), at(60))]).state.status).toBe("unknown");
  });

  it("an older copy delivered late never moves the recovery point back", () => {
    const steps = [started(0, "orders-db-d1"), started(1440, "orders-db-d2"), copied(1480, "orders-db-d2-copy", 30), copied(50, "orders-db-d1-copy", 30)];
    const { state } = run(rds, steps);
    expect(state.recoveryPoint?.at).toBe(at(1440));
  });

  it("estimates the data point as the copy's start when its source snapshot was not seen", () => {
    expect(run(rds, [copied(40, "orders-db-x-copy", 25)]).state.recoveryPoint).toEqual({ at: at(15), estimated: true });
  });
});

describe("staleness", () => {
  it("goes stale (never ok) when signals stop: detection delay = stale window (30 min) + one 1-min tick", () => {
    const { transitions } = run(s3, [...s3Latency(0, 10, 30), ...ticks(at(11), at(60))]);
    expect(transitions).toHaveLength(1);
    expect(transitions[0]).toMatchObject({ type: "breached", status: "stale", observedRpoMinutes: null, source: "s3-replication-metric" });
    expect(minutesBetween(at(10), transitions[0]!.at)).toBe(30 + 1);
  });

  it("a stale resource restores only after the restore rule holds again", () => {
    const stale = run(s3, [...s3Latency(0, 0, 30), ...ticks(at(40), at(40))]).state;
    expect(stale.status).toBe("stale");
    const back = run(s3, s3Latency(41, 43, 30), stale);
    expect(back.transitions).toMatchObject([{ type: "restored", at: at(43) }]);
  });
});

describe("hysteresis", () => {
  const breached = () => run(s3, s3Latency(0, 0, 20 * 60)).state;

  it("stays breached while the RPO is under target but above 80% of it", () => {
    const { state, transitions } = run(s3, s3Latency(1, 10, 13 * 60), breached());
    expect(state.status).toBe("breached");
    expect(transitions).toEqual([]);
  });

  it("restores after 3 consecutive observations below 80% of the RPO, not 2", () => {
    const start = breached();
    expect(run(s3, s3Latency(1, 2, 60), start).state.status).toBe("breached");
    expect(run(s3, s3Latency(1, 3, 60), start).transitions).toMatchObject([{ type: "restored", at: at(3), observedRpoMinutes: 1 }]);
  });

  it("a bad observation in between restarts the count", () => {
    const steps = [...s3Latency(1, 2, 60), ...s3Latency(3, 3, 14 * 60), ...s3Latency(4, 5, 60)];
    expect(run(s3, steps, breached()).state.status).toBe("breached");
  });

  it("restores after 10 minutes in target even with fewer observations", () => {
    const { transitions } = run(s3, [...s3Latency(1, 1, 60), ...ticks(at(2), at(11))], breached());
    expect(transitions).toMatchObject([{ type: "restored", at: at(11) }]);
  });

  it("does not flap on a series alternating around the RPO: one breach, no restore", () => {
    const steps = Array.from({ length: 20 }, (_, i) => metric(s3LatencyDatum(i, i % 2 === 0 ? 16 * 60 : 14 * 60)));
    expect(run(s3, steps).transitions.map((t) => t.type)).toEqual(["breached"]);
  });
});

describe("clock skew and order", () => {
  it("clamps a signal dated in the future to its arrival and flags it beyond the tolerance", () => {
    const future = ok(signalFromMetric(s3LatencyDatum(30, 30)));
    const { state } = applySignal(initialState(s3.id), future, s3, { receivedAt: at(0) });
    expect(state.lastSignalAt).toBe(at(0));
    expect(state.flags.futureSignals).toBe(1);
    // Without the clamp, a signal from "the future" would keep the resource fresh for 30 extra minutes.
    expect(evaluate(state, s3, at(31)).status).toBe("stale");
  });

  it("tolerates skew within the tolerance without flagging it", () => {
    const { state } = applySignal(initialState(s3.id), ok(signalFromMetric(s3LatencyDatum(1, 30))), s3, { receivedAt: at(0) });
    expect(state.flags.futureSignals).toBe(0);
  });

  it("reads a canary seen before it was written (probe clocks apart) as zero lag and flags it", () => {
    const { state } = run(s3, [{ signal: ok(signalFromCanary({ ...canary(5, 5), observedAt: at(5) - 20_000 })) }]);
    expect(state).toMatchObject({ observedRpoMinutes: 0, flags: { negativeLags: 1 } });
  });

  it("a replica clock ahead of ours cannot stretch a canary's lag past its arrival", () => {
    // Read at minute 20 by a clock 30 minutes fast: the marker cannot have taken longer than until it reached us.
    const ahead = ok(signalFromCanary({ ...canary(10, 50, 20), probedAt: at(20) }));
    const { state } = applySignal(initialState(s3.id), ahead, s3, { receivedAt: at(20) });
    expect(state).toMatchObject({ status: "ok", observedRpoMinutes: 10 });
  });

  it("an older datapoint never overrides a newer one, in either arrival order", () => {
    const late = metric(s3LatencyDatum(5, 20 * 60));
    const early = metric(s3LatencyDatum(4, 30));
    const inOrder = run(s3, [early, late]).state;
    const reversed = run(s3, [late, early]).state;
    expect(reversed.measures).toEqual(inOrder.measures);
    expect(reversed.status).toBe("breached");
    expect(reversed.flags.outOfOrder).toBe(1);
  });

  it("a redelivered signal changes nothing and does not count towards a restore", () => {
    const start = run(s3, s3Latency(0, 0, 20 * 60)).state;
    const again = metric(s3LatencyDatum(1, 60));
    expect(run(s3, [again, again, again], start).state).toMatchObject({ status: "breached", restore: { count: 1 } });
  });
});

describe("bad input never resets a resource's state", () => {
  it("malformed metrics and events are rejected before the model, leaving a breach in place", () => {
    const breached = run(s3, s3Latency(0, 0, 20 * 60)).state;
    const inputs = [
      signalFromMetric(s3LatencyDatum(1, Number.NaN)),
      signalFromMetric({ ...s3LatencyDatum(1, 0), dimensions: {} }),
      signalFromS3Notification({ Records: [] }),
      signalFromRdsEvent({ detail: {} }),
      signalFromCanary({ kind: "s3" }),
    ];
    let state = breached;
    for (const input of inputs) if (input.ok) state = applySignal(state, input.signal, s3).state;
    expect(inputs.every((i) => !i.ok)).toBe(true);
    expect(state).toEqual(breached);
  });
});
