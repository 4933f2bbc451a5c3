import { DescribeTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import type { Context } from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { CANARY_DETAIL_TYPE, CANARY_EVENT_SOURCE, s3MarkerKey } from "../../../core/replication";
import { createLambdaContext } from "../../../local/kinesis/lambda-context";
import type { CanaryReport } from "../../../functions/replication-canary";

const T0 = Date.parse("2025-11-03T14:00:00.000Z");
const MIN = 60_000;
const CONFIG = {
  replication: {
    protected: [
      { id: "assets", kind: "s3", resource: "arn:aws:s3:::assets", replica: "arn:aws:s3:::assets-dr" },
      { id: "logs", kind: "s3", resource: "arn:aws:s3:::logs", replica: "arn:aws:s3:::logs-dr" },
      { id: "orders", kind: "dynamodb", resource: "arn:aws:dynamodb:us-east-1:111122223333:table/orders", replicaRegions: ["us-west-2", "eu-west-1"] },
      { id: "orders-db", kind: "rds", resource: "arn:aws:rds:us-east-1:111122223333:db:orders-db", replicaRegions: ["us-west-2"] },
    ],
  },
};

const s3 = mockClient(S3Client);
const ddb = mockClient(DynamoDBClient);
const eb = mockClient(EventBridgeClient);
const saved = { ...process.env };
let handler: (event: unknown, context: Context) => Promise<CanaryReport>;
let logger: typeof import("../../../functions/lib/powertools").logger;

const accessDenied = () => Object.assign(new Error("Access Denied"), { name: "AccessDenied", $metadata: { httpStatusCode: 403 } });
const schedule = (minute: number) => ({ version: "0", id: `s${minute}`, source: "aws.events", "detail-type": "Scheduled Event", account: "111122223333", time: new Date(T0 + minute * MIN).toISOString(), region: "us-east-1", resources: [], detail: {} });
const run = (minute: number) => handler(schedule(minute), createLambdaContext({ functionName: "replication-canary", region: "us-east-1", accountId: "111122223333", timeoutMs: 30_000 }));

/** The reports the probe published, as the monitor will receive them. */
const published = () =>
  eb.commandCalls(PutEventsCommand).flatMap((c) => c.args[0].input.Entries ?? []).map((e) => {
    expect(e).toMatchObject({ Source: CANARY_EVENT_SOURCE, DetailType: CANARY_DETAIL_TYPE, EventBusName: "vigil-ops" });
    return JSON.parse(e.Detail ?? "{}") as { resource: string; replica: string; writtenAt: string; observedAt: string | null };
  });

/** A DynamoDB account per region: the same table `orders` in each, keyed on `pk` (S) and `sk` (N). */
let tables: Map<string, Map<string, unknown>>;
function fakeDynamoDb(deny: { region?: string } = {}) {
  const regionOf = async (getClient: () => DynamoDBClient) => getClient().config.region();
  const check = async (getClient: () => DynamoDBClient) => {
    const region = await regionOf(getClient);
    if (region === deny.region) throw accessDenied();
    return tables.get(region) ?? new Map();
  };
  ddb.on(DescribeTableCommand).resolves({
    Table: { KeySchema: [{ AttributeName: "sk", KeyType: "RANGE" }, { AttributeName: "pk", KeyType: "HASH" }], AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }, { AttributeName: "sk", AttributeType: "N" }] },
  });
  ddb.on(GetItemCommand).callsFake(async (input, getClient) => ({ Item: (await check(getClient)).get(JSON.stringify(input.Key)) }));
  ddb.on(PutItemCommand).callsFake(async (input, getClient) => {
    const { pk, sk, ...rest } = input.Item;
    (await check(getClient)).set(JSON.stringify({ pk, sk }), { pk, sk, ...rest });
    return {};
  });
}
/** Plays DynamoDB replication: copies the source's marker item into `region` as it is now. */
function replicate(region: string) {
  const source = tables.get("us-east-1")!;
  const target = tables.get(region)!;
  for (const [k, v] of source) target.set(k, structuredClone(v));
}

beforeAll(async () => {
  Object.assign(process.env, {
    VIGIL_CONFIG: JSON.stringify(CONFIG),
    SST_RESOURCE_OpsBus: JSON.stringify({ name: "vigil-ops", arn: "arn:aws:events:us-east-1:111122223333:event-bus/vigil-ops", type: "sst.aws.Bus" }),
    SST_RESOURCE_VigilTable: JSON.stringify({ name: "vigil", type: "sst.aws.Dynamo" }),
    SST_RESOURCE_App: JSON.stringify({ name: "vigil", stage: "test" }),
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    POWERTOOLS_METRICS_DISABLED: "true",
    POWERTOOLS_LOG_LEVEL: "SILENT",
  });
  handler = (await import("../../../functions/replication-canary")).handler as never;
  logger = (await import("../../../functions/lib/powertools")).logger;
});
afterAll(() => {
  process.env = saved;
});
beforeEach(() => {
  s3.reset();
  ddb.reset();
  eb.reset();
  eb.on(PutEventsCommand).callsFake((input) => ({ FailedEntryCount: 0, Entries: input.Entries.map(() => ({ EventId: "e" })) }));
  tables = new Map(["us-east-1", "us-west-2", "eu-west-1"].map((r) => [r, new Map()]));
  fakeDynamoDb();
  s3.on(PutObjectCommand).resolves({});
  s3.on(ListObjectsV2Command).resolves({ Contents: [] });
});

describe("replication-canary handler", () => {
  it("writes a marker in each source (never for RDS) dated at the schedule's time", async () => {
    const report = await run(0);
    expect(report).toMatchObject({ probed: 3, failures: [] });
    expect(s3.commandCalls(PutObjectCommand).map((c) => [c.args[0].input.Bucket, c.args[0].input.Key])).toEqual([
      ["assets", s3MarkerKey("assets", T0)],
      ["logs", s3MarkerKey("logs", T0)],
    ]);
    const item = tables.get("us-east-1")!.get(JSON.stringify({ pk: { S: "vigil-canary#orders" }, sk: ddb.commandCalls(PutItemCommand)[0]!.args[0].input.Item!.sk }));
    expect(item).toMatchObject({ vigilCanaryWrittenAt: { N: String(T0) }, vigilCanaryWrites: { L: [{ N: String(T0) }] } });
    // Nothing has had time to arrive yet: nothing to report.
    expect(published()).toEqual([]);
  });

  it("read hit: reports a marker found in the S3 replica and the DynamoDB replica with its lag", async () => {
    await run(0);
    replicate("us-west-2");
    replicate("eu-west-1");
    s3.on(ListObjectsV2Command, { Bucket: "assets" }).resolves({ Contents: [{ Key: s3MarkerKey("assets", T0) }, { Key: s3MarkerKey("assets", T0 + 2 * MIN) }] });
    s3.on(ListObjectsV2Command, { Bucket: "assets-dr" }).resolves({ Contents: [{ Key: s3MarkerKey("assets", T0) }] });
    eb.resetHistory();
    await run(2);
    const at = (m: number) => new Date(T0 + m * MIN).toISOString();
    expect(published()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ resource: "arn:aws:s3:::assets", replica: "arn:aws:s3:::assets-dr", writtenAt: at(0), observedAt: at(2) }),
        expect.objectContaining({ resource: CONFIG.replication.protected[2]!.resource, replica: "us-west-2", writtenAt: at(0), observedAt: at(2) }),
        expect.objectContaining({ replica: "eu-west-1", writtenAt: at(0), observedAt: at(2) }),
      ]),
    );
    expect(published()).toHaveLength(3);
  });

  it("read miss: a marker not in the replica a run later is reported as not yet arrived", async () => {
    await run(0);
    s3.on(ListObjectsV2Command, { Bucket: "assets" }).resolves({ Contents: [{ Key: s3MarkerKey("assets", T0) }, { Key: s3MarkerKey("assets", T0 + MIN) }] });
    eb.resetHistory();
    await run(1);
    const reports = published();
    expect(reports.filter((r) => r.observedAt !== null)).toEqual([]);
    expect(reports.map((r) => [r.replica, r.writtenAt])).toEqual(
      expect.arrayContaining([
        ["arn:aws:s3:::assets-dr", new Date(T0).toISOString()],
        ["us-west-2", new Date(T0).toISOString()],
        ["eu-west-1", new Date(T0).toISOString()],
      ]),
    );
  });

  it("AccessDenied on one bucket does not stop the others, is logged once, and that bucket backs off", async () => {
    const warn = vi.spyOn(logger, "warn");
    s3.on(PutObjectCommand, { Bucket: "logs" }).rejects(accessDenied());
    s3.on(ListObjectsV2Command, { Bucket: "assets" }).resolves({ Contents: [{ Key: s3MarkerKey("assets", T0 + 10 * MIN) }, { Key: s3MarkerKey("assets", T0 + 11 * MIN) }] });
    const first = await run(11);
    expect(first).toMatchObject({ probed: 3, failures: ["logs"] });
    expect(published().map((r) => r.resource)).toContain("arn:aws:s3:::assets");
    expect(published().map((r) => r.resource)).not.toContain("arn:aws:s3:::logs");
    // Backing off: not probed a minute later, tried again two minutes after its second failure.
    expect(await run(12)).toMatchObject({ probed: 2, skipped: 1, failures: [] });
    expect(await run(13)).toMatchObject({ probed: 3, failures: ["logs"] });
    expect(await run(14)).toMatchObject({ skipped: 1 });
    const logged = warn.mock.calls.filter(([message]) => String(message).startsWith("canary probe cannot reach"));
    expect(logged).toHaveLength(1);
    expect(logged[0]![1]).toMatchObject({ scope: "logs", resource: "arn:aws:s3:::logs" });
    warn.mockRestore();
  });

  it("a DynamoDB replica region that denies access fails alone: the other region still reports", async () => {
    ddb.reset();
    fakeDynamoDb({ region: "eu-west-1" });
    await run(20);
    replicate("us-west-2");
    eb.resetHistory();
    const report = await run(21);
    expect(report.failures).toEqual(["orders@eu-west-1"]);
    expect(published().filter((r) => r.resource.includes("dynamodb")).map((r) => r.replica)).toEqual(["us-west-2"]);
    // The source works, so the table does not back off.
    expect((await run(22)).probed).toBe(3);
  });

  it("a table whose key schema cannot be read fails alone, naming why", async () => {
    const { resetCanaryClients } = await import("../../../functions/lib/replication-canary");
    resetCanaryClients();
    ddb.on(DescribeTableCommand).resolves({ Table: { KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }], AttributeDefinitions: [] } });
    const warn = vi.spyOn(logger, "warn");
    s3.on(ListObjectsV2Command, { Bucket: "assets" }).resolves({ Contents: [{ Key: s3MarkerKey("assets", T0 + 29 * MIN) }] });
    const report = await run(30);
    expect(report.failures).toContain("orders");
    expect(published().map((r) => r.resource)).toEqual(["arn:aws:s3:::assets"]);
    const logged = warn.mock.calls.find(([, attributes]) => (attributes as { scope?: string }).scope === "orders");
    expect((logged?.[1] as { error: Error }).error).toMatchObject({ name: "CanaryKeySchemaError", code: "replication.canary_key_schema", message: expect.stringContaining("key attribute pk has type none") });
    warn.mockRestore();
  });
});
