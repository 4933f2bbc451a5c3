import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultConfig } from "../../../core/config";
import { VirtualClock } from "../../../local/clock";
import { replay } from "../../../local/replay";
import { startRuntime, type Runtime } from "../../../local/runtime";
import { incidentOpenedDetail } from "../../support/vigil-events";

let runtime: Runtime;
const dir = mkdtempSync(join(tmpdir(), "vigil-replay-"));

const ec2Event = (id: string, time: string, state = "running") => ({
  version: "0",
  id,
  "detail-type": "EC2 Instance State-change Notification",
  source: "aws.ec2",
  account: "111122223333",
  time,
  region: "us-east-1",
  resources: [`arn:aws:ec2:us-east-1:111122223333:instance/i-0abc`],
  detail: { "instance-id": "i-0abc", state },
});

const vigilEvent = (time: string) => ({
  version: "0",
  id: "9c1f4b8e-0000-4000-8000-000000000001",
  "detail-type": "Incident Opened",
  source: "vigil",
  account: "111122223333",
  time,
  region: "us-east-1",
  resources: [],
  detail: incidentOpenedDetail({ occurredAt: new Date(time).toISOString() }),
});

beforeAll(async () => {
  runtime = await startRuntime({ config: defaultConfig(), clock: new VirtualClock(0) });
});
afterAll(async () => runtime?.close());

describe("vigil replay", () => {
  it("reports each bad line by file, line and reason and replays everything else", async () => {
    const file = join(dir, "mixed.jsonl");
    const lines = [
      JSON.stringify(ec2Event("11111111-1111-4111-8111-111111111111", "2025-11-03T14:00:05Z")),
      "{this is not json",
      JSON.stringify({ ...ec2Event("22222222-2222-4222-8222-222222222222", "2025-11-03T14:00:06Z"), "detail-type": "Something Nobody Sends", source: "acme.widgets" }),
      JSON.stringify({ ...ec2Event("33333333-3333-4333-8333-333333333333", "2025-11-03T14:00:07Z"), detail: { state: "running", pad: "x".repeat(300 * 1024) } }),
      JSON.stringify(vigilEvent("2025-11-03T14:00:08Z")),
      JSON.stringify(ec2Event("44444444-4444-4444-8444-444444444444", "2025-11-03T14:00:01Z", "pending")),
    ];
    writeFileSync(file, lines.join("\n") + "\n");
    const forwardedBefore = runtime.deliveries.get("ops-bus") ?? 0;
    const auditedBefore = runtime.deliveries.get("audit-writer") ?? 0;
    const summary = await replay(runtime, { files: [file] });

    expect(summary.skipped.map((p) => [p.file, p.line])).toEqual([
      ["mixed.jsonl", 2],
      ["mixed.jsonl", 4],
      ["mixed.jsonl", 3],
    ]);
    const reasons = Object.fromEntries(summary.skipped.map((p) => [p.line, p.reason]));
    expect(reasons[2]).toMatch(/not valid JSON/);
    expect(reasons[3]).toBe('unknown event type (source "acme.widgets", detail-type "Something Nobody Sends"): Vigil consumes none of it');
    expect(reasons[4]).toMatch(/256 KB/);
    expect(summary.events).toBe(3);
    expect((runtime.deliveries.get("ops-bus") ?? 0) - forwardedBefore).toBe(2);
    expect((runtime.deliveries.get("audit-writer") ?? 0) - auditedBefore).toBe(1);
  });

  it("replays an event type without a schema that the default bus forwards (Trusted Advisor), so the grouper gets it", async () => {
    const file = join(dir, "generic.jsonl");
    const check = {
      ...ec2Event("77777777-7777-4777-8777-777777777777", "2025-11-03T14:30:00Z"),
      "detail-type": "Trusted Advisor Check Item Refresh Notification",
      source: "aws.trustedadvisor",
      resources: [],
      detail: { "check-name": "Low Utilization Amazon EC2 Instances", status: "WARN", resource_id: "arn:aws:ec2:us-east-1:111122223333:instance/i-0abc" },
    };
    writeFileSync(file, JSON.stringify(check) + "\n");
    const forwardedBefore = runtime.deliveries.get("ops-bus") ?? 0;
    const summary = await replay(runtime, { files: [file] });

    expect(summary.skipped).toEqual([]);
    expect(summary.events).toBe(1);
    expect((runtime.deliveries.get("ops-bus") ?? 0) - forwardedBefore).toBe(1);
  });

  it("replays in event-time order, not file order, and moves the virtual clock", async () => {
    const file = join(dir, "order.jsonl");
    writeFileSync(
      file,
      [ec2Event("55555555-5555-4555-8555-555555555555", "2025-11-03T15:00:09Z"), ec2Event("66666666-6666-4666-8666-666666666666", "2025-11-03T15:00:02Z")]
        .map((e) => JSON.stringify(e))
        .join("\n"),
    );
    const acceptedBefore = runtime.bus.accepted.length;
    await replay(runtime, { files: [file], until: Date.parse("2025-11-03T16:00:00Z") });
    const ids = runtime.bus.accepted.slice(acceptedBefore).filter((a) => a.busName === "default").map((a) => a.event.id);
    expect(ids).toEqual(["66666666-6666-4666-8666-666666666666", "55555555-5555-4555-8555-555555555555"]);
    expect(runtime.clock.now()).toBe(Date.parse("2025-11-03T16:00:00Z"));
  });

  it("sends Metric Streams records through the local Kinesis stream", async () => {
    const file = join(dir, "metrics.jsonl");
    const datum = (i: number) => ({
      metric_stream_name: "s",
      account_id: "111122223333",
      region: "us-east-1",
      namespace: "AWS/EC2",
      metric_name: "CPUUtilization",
      dimensions: { InstanceId: "i-0abc" },
      timestamp: Date.parse("2025-11-03T17:00:00Z") + i * 60_000,
      value: { max: 1, min: 1, sum: 1, count: 1 },
      unit: "Percent",
    });
    writeFileSync(file, [datum(0), datum(1), { ...datum(2), timestamp: "yesterday" }].map((d) => JSON.stringify(d)).join("\n"));
    const summary = await replay(runtime, { files: [file] });
    expect(summary.metrics).toBe(2);
    expect(summary.skipped).toEqual([{ file: "metrics.jsonl", line: 3, reason: expect.stringMatching(/timestamp/) }]);
  });
});
