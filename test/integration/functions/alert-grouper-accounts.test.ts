import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import type { Context, KinesisStreamEvent, KinesisStreamRecord } from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { AlertRecord } from "../../../core/grouping";
import { loadGroupingScopes } from "../../../core/store/grouping-batch";
import { createStore } from "../../../core/store/service";
import { createLambdaContext } from "../../../local/kinesis/lambda-context";
import { handlerEnv, startDynalite, type DynaliteHandle } from "../../support/dynalite";

/** Orders (account A) calls payments (account B): the topology links the two accounts. */
const A = "111111111111";
const B = "222222222222";
const T0 = Date.parse("2025-06-02T09:00:00Z");
const MIN = 60_000;
const REGION = "us-east-1";
const alarmArn = (account: string, name: string) => `arn:aws:cloudwatch:${REGION}:${account}:alarm:${name}`;
const TOPOLOGY = {
  accounts: [{ id: A }, { id: B }],
  services: [
    { name: "orders", account: A, regions: [REGION], dependsOn: ["payments"] },
    { name: "payments", account: B, regions: [REGION] },
  ],
  alarms: [
    { name: "payments-5xx", arn: alarmArn(B, "payments-5xx"), service: "payments", account: B, region: REGION },
    { name: "payments-latency", arn: alarmArn(B, "payments-latency"), service: "payments", account: B, region: REGION },
    { name: "orders-5xx", arn: alarmArn(A, "orders-5xx"), service: "orders", account: A, region: REGION },
  ],
};

const eventbridge = mockClient(EventBridgeClient);
let db: DynaliteHandle;
let grouper: (event: KinesisStreamEvent, context: Context) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;
let timer: (event: unknown, context: Context) => Promise<{ scopes: number; published: number }>;
const context = (name: string) => createLambdaContext({ functionName: name, region: REGION, accountId: A, timeoutMs: 30_000 });

beforeAll(async () => {
  db = await startDynalite();
  // Set before the handlers load: their clients and config are built once per instance, as in Lambda.
  Object.assign(process.env, handlerEnv(db, { topology: TOPOLOGY }));
  grouper = (await import("../../../functions/alert-grouper")).handler as never;
  timer = (await import("../../../functions/incident-timer")).handler as never;
});
afterAll(async () => db?.stop());
beforeEach(() => {
  eventbridge.reset();
  eventbridge.on(PutEventsCommand).callsFake((input: { Entries: unknown[] }) => ({ FailedEntryCount: 0, Entries: input.Entries.map((_, i) => ({ EventId: `e${i}` })) }));
});

/** A load balancer 5xx or latency alarm going to ALARM in `account`. */
function alarm(id: string, account: string, name: string, at: number) {
  return {
    version: "0",
    id,
    "detail-type": "CloudWatch Alarm State Change",
    source: "aws.cloudwatch",
    account,
    time: new Date(at).toISOString(),
    region: REGION,
    resources: [alarmArn(account, name)],
    detail: {
      alarmName: name,
      state: { value: "ALARM", reason: "Threshold Crossed", timestamp: new Date(at).toISOString() },
      previousState: { value: "OK", reason: "ok", timestamp: new Date(at - MIN).toISOString() },
      configuration: {
        metrics: [{ id: "m1", metricStat: { metric: { namespace: "AWS/ApplicationELB", name: "HTTPCode_Target_5XX_Count", dimensions: { LoadBalancer: `app/${name}/1` } }, period: 60, stat: "Sum" }, returnData: true }],
      },
    },
  };
}

let seq = 0;
/** A stream record keyed, as the ops-bus rule keys it, by the event's account. */
function record(event: ReturnType<typeof alarm>): KinesisStreamRecord {
  seq += 1;
  return {
    kinesis: { kinesisSchemaVersion: "1.0", partitionKey: event.account, sequenceNumber: String(1000 + seq), data: Buffer.from(JSON.stringify(event)).toString("base64"), approximateArrivalTimestamp: 1_700_000_000 + seq },
    eventSource: "aws:kinesis",
    eventVersion: "1.0",
    eventID: `shardId-000000000000:${1000 + seq}`,
    eventName: "aws:kinesis:record",
    invokeIdentityArn: `arn:aws:iam::${A}:role/grouper`,
    awsRegion: REGION,
    eventSourceARN: `arn:aws:kinesis:${REGION}:${A}:stream/alerts`,
  };
}

const scheduled = (at: number) => ({ version: "0", id: `s${at}`, "detail-type": "Scheduled Event", source: "aws.events", account: A, time: new Date(at).toISOString(), region: REGION, resources: [], detail: {} });
const published = () => eventbridge.commandCalls(PutEventsCommand).flatMap((c) => c.args[0].input.Entries ?? []);

describe("alert-grouper with accounts the topology links", () => {
  it("groups a failing dependency in one account and its caller in another into one incident, in one scope", async () => {
    const records = [
      record(alarm("p-1", B, "payments-5xx", T0)),
      record(alarm("p-2", B, "payments-latency", T0 + MIN)),
      record(alarm("o-1", A, "orders-5xx", T0 + 2 * MIN)),
    ];
    const response = await grouper({ Records: records }, context("alert-grouper"));
    expect(response.batchItemFailures).toEqual([]);

    const store = createStore({ client: db.client, table: db.table });
    const scopes = await loadGroupingScopes(store, [`group#${A}`, `acct#${A}`, `acct#${B}`]);
    expect([...scopes.keys()]).toEqual([`group#${A}`]);
    const buffered = (JSON.parse(scopes.get(`group#${A}`)?.pageBuffer ?? "{}") as { alerts: AlertRecord[] }).alerts;
    expect(buffered.map((a) => a.eventId)).toEqual(["p-1", "p-2", "o-1"]);
    expect(new Set(buffered.map((a) => a.groupId)).size).toBe(1);

    await timer(scheduled(T0 + 10 * MIN), context("incident-timer"));
    const opened = published().filter((e) => e.DetailType === "Incident Opened");
    expect(opened).toHaveLength(1);
    // The page went out at group_wait after the payments alarms; the orders alarm joined that same incident.
    const incident = (JSON.parse(opened[0]!.Detail ?? "{}") as { incident: { incidentId: string } }).incident;
    expect(incident.incidentId).toBe(buffered[0]!.groupId);
  });
});
