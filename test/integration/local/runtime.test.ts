import { DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { EventBridgeClient, PutEventsCommand, TestEventPatternCommand } from "@aws-sdk/client-eventbridge";
import { CreateStreamCommand, GetRecordsCommand, GetShardIteratorCommand, ListStreamsCommand, PutRecordCommand } from "@aws-sdk/client-kinesis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readChain, verifyStoredChain } from "../../../core/audit/append";
import { defaultConfig } from "../../../core/config";
import { createStore } from "../../../core/store/service";
import { VirtualClock } from "../../../local/clock";
import { localKinesisClient } from "../../../local/kinesis/kinesis-client";
import { FUNCTIONS } from "../../../local/functions";
import { startRuntime, type Runtime } from "../../../local/runtime";
import { incidentOpenedDetail } from "../../support/vigil-events";

let runtime: Runtime;
let events: EventBridgeClient;

beforeAll(async () => {
  runtime = await startRuntime({ config: defaultConfig(), clock: new VirtualClock(Date.parse("2025-11-03T14:00:00Z")) });
  // No endpoint passed: the SDK must find the runtime through AWS_ENDPOINT_URL_EVENTBRIDGE.
  events = new EventBridgeClient({});
});
afterAll(async () => {
  events?.destroy();
  await runtime?.close();
});

const store = () => createStore({ client: runtime.dynamodb, table: runtime.names.table });
const put = (detail: Record<string, unknown>, detailType = "Incident Opened") =>
  events.send(new PutEventsCommand({ Entries: [{ EventBusName: runtime.names.bus, Source: "vigil", DetailType: detailType, Detail: JSON.stringify(detail) }] }));

describe("one loopback port serves every emulated API", () => {
  it("sets only the service-specific endpoint variables", () => {
    expect(Object.keys(runtime.endpoints).sort()).toEqual(["AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL_EVENTBRIDGE", "AWS_ENDPOINT_URL_KINESIS"]);
    expect(process.env.AWS_ENDPOINT_URL).toBeUndefined();
  });

  it("routes DynamoDB and Kinesis calls by X-Amz-Target", async () => {
    const ddb = new DynamoDBClient({});
    expect((await ddb.send(new ListTablesCommand({}))).TableNames).toContain(runtime.names.table);
    ddb.destroy();
    const kinesis = localKinesisClient(runtime.endpoint);
    expect((await kinesis.send(new ListStreamsCommand({}))).StreamNames).toContain(runtime.names.stream);
    kinesis.destroy();
  });

  it("serves over HTTP the same streams the runtime's services use in process", async () => {
    // A stream of its own: a record no handler can read would fail the metrics stream's mappings.
    const kinesis = localKinesisClient(runtime.endpoint);
    await kinesis.send(new CreateStreamCommand({ StreamName: "over-http", ShardCount: 1 }));
    const { ShardId, SequenceNumber } = await kinesis.send(new PutRecordCommand({ StreamName: "over-http", PartitionKey: "k", Data: Buffer.from("over http") }));
    kinesis.destroy();
    const { ShardIterator } = await runtime.kinesis.send(
      new GetShardIteratorCommand({ StreamName: "over-http", ShardId, ShardIteratorType: "AT_SEQUENCE_NUMBER", StartingSequenceNumber: SequenceNumber }),
    );
    const { Records } = await runtime.kinesis.send(new GetRecordsCommand({ ShardIterator, Limit: 1 }));
    expect(Buffer.from(Records?.[0]?.Data ?? []).toString()).toBe("over http");
  });

  it("subscribes the remediator to no ops-bus event when no policy could act on it", async () => {
    const rules = runtime.bus.listRules(runtime.names.bus).map((r) => r.name);
    expect(rules.some((name) => name.startsWith("alert-grouper"))).toBe(true);
    expect(rules.filter((name) => name.startsWith("remediator"))).toEqual([]);
    // With a policy on GuardDuty findings, the runtime subscribes the findings family alone.
    const config = defaultConfig();
    config.remediation.policies = [{ name: "quarantine", on: { source: ["aws.guardduty"], "detail-type": ["GuardDuty Finding"] }, action: "ec2.isolate-instance", mode: "dry-run" } as never];
    const trigger = FUNCTIONS.find((fn) => fn.name === "remediator")?.trigger;
    const subscribed = trigger?.kind === "bus" ? trigger.subscribe?.(config) : undefined;
    expect(trigger?.kind === "bus" && trigger.patterns.filter((_, i) => subscribed?.[i])).toEqual([expect.objectContaining({ source: expect.arrayContaining(["aws.guardduty"]) })]);
  });

  it("answers an unknown X-Amz-Target with a 400 naming it", async () => {
    const res = await fetch(runtime.endpoint, { method: "POST", headers: { "x-amz-target": "Nope_2020.Do" }, body: "{}" });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ __type: "UnknownOperationException", message: expect.stringContaining("Nope_2020.Do") });
  });
});

describe("EventBridge API", () => {
  it("TestEventPattern matches with the real matcher and rejects invalid patterns", async () => {
    const event = JSON.stringify({ id: "1", source: "aws.ec2", "detail-type": "x", account: "123456789012", time: "2025-01-01T00:00:00Z", region: "us-east-1", resources: [], detail: { state: "running" } });
    const yes = await events.send(new TestEventPatternCommand({ EventPattern: JSON.stringify({ detail: { state: [{ prefix: "run" }] } }), Event: event }));
    expect(yes.Result).toBe(true);
    const no = await events.send(new TestEventPatternCommand({ EventPattern: JSON.stringify({ detail: { state: [{ "anything-but": "running" }] } }), Event: event }));
    expect(no.Result).toBe(false);
    await expect(events.send(new TestEventPatternCommand({ EventPattern: '{"detail": []}', Event: event }))).rejects.toMatchObject({ name: "InvalidEventPatternException" });
  });

  it("rejects more than 10 entries in one call", async () => {
    const entries = Array.from({ length: 11 }, () => ({ Source: "test", DetailType: "t", Detail: "{}" }));
    await expect(events.send(new PutEventsCommand({ Entries: entries }))).rejects.toMatchObject({ name: "ValidationException" });
  });

  it("fails a bad entry alone and accepts its batch-mates", async () => {
    const out = await events.send(
      new PutEventsCommand({
        Entries: [
          { Source: "test", DetailType: "t", Detail: "{not json" },
          { Source: "test", DetailType: "t", Detail: "{}" },
        ],
      }),
    );
    expect(out.FailedEntryCount).toBe(1);
    expect(out.Entries![0]).toMatchObject({ ErrorCode: "InvalidArgument", ErrorMessage: expect.stringMatching(/Detail/) });
    expect(out.Entries![1]!.EventId).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("audit-writer on the ops bus", () => {
  it("appends every Vigil event to the chain, once per emission even when delivered twice", async () => {
    const before = (await readChain(store(), "vigil")).length;
    const first = incidentOpenedDetail();
    const second = incidentOpenedDetail();
    await put(first);
    await put(first); // the same emission published again (a producer retry)
    await put(second);
    await runtime.settle();
    const chain = await readChain(store(), "vigil");
    expect(chain.length - before).toBe(2);
    expect(chain.slice(before).map((e) => e.eventId)).toEqual([first.eventId, second.eventId]);
    const report = await verifyStoredChain(store(), "vigil");
    expect(report).toMatchObject({ ok: true, count: chain.length });
  });

  it("records a malformed Vigil event in the chain with the reason naming the field, dead-letters nothing, and keeps going", async () => {
    const deadBefore = runtime.bus.deadLetters.length;
    const before = (await readChain(store(), "vigil")).length;
    await put({ ...incidentOpenedDetail(), eventId: undefined });
    const good = incidentOpenedDetail();
    await put(good);
    await runtime.settle();
    expect(runtime.bus.deadLetters.slice(deadBefore)).toEqual([]);
    const added = (await readChain(store(), "vigil")).slice(before);
    expect(added.map((e) => e.kind)).toEqual(["Audit Message Rejected", "Incident Opened"]);
    expect((JSON.parse(added[0]!.payload) as { reason: string }).reason).toMatch(/eventId/);
    expect(added[1]!.eventId).toBe(good.eventId);
  });
});
