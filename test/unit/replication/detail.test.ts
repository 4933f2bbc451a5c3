import { describe, expect, it } from "vitest";
import { ReplicationRpoBreachedDetailSchema, ReplicationRpoRestoredDetailSchema } from "../../../events/outbound/replication";
import { replicationDetail, signalFromMetric, signalFromS3Notification } from "../../../core/replication";
import { at, ok, s3LatencyDatum, s3Record, target } from "./factory";
import { run, ticks } from "./timeline";

const s3 = target("assets-bucket");

describe("replicationDetail", () => {
  it("builds a Breached detail that the outbound schema accepts, then a Restored one with the same dedupKey", () => {
    const failed = { signal: ok(signalFromS3Notification(s3Record("OperationFailedReplication", 5, 4, "a", "AssumeRoleNotPermitted"))) };
    const good = [1, 2, 3].map((m) => ({ signal: ok(signalFromMetric(s3LatencyDatum(5 + m, 30))) }));
    const { transitions } = run(s3, [failed, ...good]);
    expect(transitions.map((t) => t.type)).toEqual(["breached", "restored"]);
    const [breach, restore] = transitions.map((t, i) => replicationDetail(t, s3, { eventId: `e${i}` }));
    expect(breach?.detailType).toBe("Replication RPO Breached");
    expect(restore?.detailType).toBe("Replication RPO Restored");
    const b = ReplicationRpoBreachedDetailSchema.parse(breach?.detail);
    const r = ReplicationRpoRestoredDetailSchema.parse(restore?.detail);
    expect(b).toMatchObject({ severity: "error", replication: { status: "breached", signal: "s3-replication-event", replica: { id: "arn:aws:s3:::assets-dr" } } });
    expect(b.summary).toMatch(/AssumeRoleNotPermitted/);
    expect(r).toMatchObject({ severity: "info", replication: { status: "ok" } });
    expect(r.dedupKey).toBe(b.dedupKey);
  });

  it("builds a stale Breached detail with a null RPO at warning severity", () => {
    const { transitions } = run(s3, [{ signal: ok(signalFromMetric(s3LatencyDatum(0, 30))) }, ...ticks(at(31), at(31))]);
    const built = replicationDetail(transitions[0]!, s3, { eventId: "e" });
    expect(ReplicationRpoBreachedDetailSchema.parse(built.detail)).toMatchObject({ severity: "warning", replication: { status: "stale", observedRpoMinutes: null } });
  });

  it("names the DynamoDB replica table in its region and the RDS resource type", () => {
    const ddb = target("orders-table");
    const fake = { type: "breached" as const, targetId: ddb.id, at: at(0), status: "breached" as const, previousStatus: "ok" as const, observedRpoMinutes: 20, source: null, lastSignalAt: null, reason: "x" };
    const detail = ReplicationRpoBreachedDetailSchema.parse(replicationDetail(fake, ddb, { eventId: "e" }).detail);
    expect(detail.replication.replica).toEqual({ id: "arn:aws:dynamodb:us-west-2:123456789012:table/orders", type: "AWS::DynamoDB::GlobalTable", region: "us-west-2" });
    expect(detail.replication.signal).toBe("none");
    const rds = target("orders-db");
    const rdsDetail = ReplicationRpoBreachedDetailSchema.parse(replicationDetail({ ...fake, targetId: rds.id }, rds, { eventId: "e" }).detail);
    expect(rdsDetail.replication.resource).toMatchObject({ type: "AWS::RDS::DBInstance", account: "123456789012", region: "us-east-1" });
  });
});
