import { CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { CopyObjectCommand, CreateBucketCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import type { Context } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig, type VigilConfig } from "../../../core/config";
import { CANARY_EVENT_SOURCE, canaryItemKey, parseS3MarkerKey } from "../../../core/replication";
import { createStore } from "../../../core/store/service";
import { tableDefinition } from "../../../core/store/table";
import { CANARY_KEY_PREFIX } from "../../../events/patterns";
import { VirtualClock } from "../../../local/clock";
import { drStatusRows } from "../../../local/dr-status";
import { createLambdaContext } from "../../../local/kinesis/lambda-context";
import { startRuntime, type Runtime } from "../../../local/runtime";
import type { CanaryReport } from "../../../functions/replication-canary";
import type { MonitorReport } from "../../../functions/replication-monitor";
import { MOTO_MISSING, motoAvailable, startMoto, type MotoHandle } from "../../support/moto";

const T0 = Date.parse("2025-11-03T14:00:00Z");
const MIN = 60_000;
const ACCOUNT = "123456789012";
const KEY = [{ name: "pk", type: "S" as const }];
const CONFIG = {
  replication: {
    protected: [
      { id: "assets", kind: "s3", resource: "arn:aws:s3:::assets", replica: "arn:aws:s3:::assets-dr", rpoMinutes: 4 },
      { id: "orders", kind: "dynamodb", resource: `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/orders`, replicaRegions: ["us-west-2"], rpoMinutes: 4 },
    ],
  },
};
type Handler<R> = (event: unknown, context: Context) => Promise<R>;

/**
 * The probe and the monitor against moto_server, with this test playing replication: it copies the
 * probe's markers to the replica when it chooses, late, or never. Minutes are virtual: each one is a
 * scheduled run of the probe and of the monitor dated at that minute, as a replay runs them. A 4-minute
 * RPO keeps the run short (moto answers in tens of milliseconds); the delays scale with the RPO.
 */
describe.skipIf(!motoAvailable)(`canary probes against moto_server (${motoAvailable ? "moto_server found" : MOTO_MISSING})`, () => {
  const saved = { ...process.env };
  let moto: MotoHandle;
  let runtime: Runtime;
  let config: VigilConfig;
  let probe: Handler<CanaryReport>;
  let monitor: Handler<MonitorReport>;
  let s3: S3Client;
  const ddb = new Map<string, DynamoDBClient>();
  let delivered = 0;

  beforeAll(async () => {
    moto = (await startMoto())!;
    config = parseConfig(JSON.stringify(CONFIG));
    runtime = await startRuntime({ config, clock: new VirtualClock(T0) });
    // The runtime's bus carries the reports; S3 and DynamoDB (the store included) are moto's, through
    // the standard chain. Set before any handler's first call, which is when the SDK reads them.
    Object.assign(process.env, { AWS_ENDPOINT_URL: moto.endpoint, AWS_ENDPOINT_URL_DYNAMODB: moto.endpoint });
    const credentials = { accessKeyId: "testing", secretAccessKey: "testing" };
    s3 = new S3Client({ endpoint: moto.endpoint, region: "us-east-1", credentials, forcePathStyle: true });
    for (const region of ["us-east-1", "us-west-2"]) ddb.set(region, new DynamoDBClient({ endpoint: moto.endpoint, region, credentials }));
    await s3.send(new CreateBucketCommand({ Bucket: "assets" }));
    await s3.send(new CreateBucketCommand({ Bucket: "assets-dr", CreateBucketConfiguration: { LocationConstraint: "us-west-2" } }));
    for (const client of ddb.values()) {
      await client.send(new CreateTableCommand({ TableName: "orders", KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }], AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }], BillingMode: "PAY_PER_REQUEST" }));
    }
    await ddb.get("us-east-1")!.send(new CreateTableCommand(tableDefinition(runtime.names.table)));
    probe = (await import("../../../functions/replication-canary")).handler as never;
    monitor = (await import("../../../functions/replication-monitor")).handler as never;
  }, 60_000);

  afterAll(async () => {
    for (const client of [s3, ...ddb.values()]) client?.destroy();
    await runtime?.close();
    process.env = saved;
    await moto?.stop();
  });

  const context = (name: string) => createLambdaContext({ functionName: name, region: "us-east-1", accountId: ACCOUNT, timeoutMs: 30_000 });
  const scheduled = (minute: number) => ({ version: "0", id: `s${minute}`, source: "aws.events", "detail-type": "Scheduled Event", account: ACCOUNT, time: new Date(T0 + minute * MIN).toISOString(), region: "us-east-1", resources: [], detail: {} });

  /**
   * One virtual minute: the probe runs, its reports reach the monitor (its ops-bus rule delivers them, and they are
   * handed over here too, so the test does not depend on that rule), the monitor's schedule ticks.
   */
  async function minute(m: number): Promise<void> {
    const report = await probe(scheduled(m), context("replication-canary"));
    expect(report.failures).toEqual([]);
    await runtime.settle({ streams: false });
    const reports = runtime.bus.accepted.filter((a) => a.event.source === CANARY_EVENT_SOURCE);
    for (const { event } of reports.slice(delivered)) await monitor(event, context("replication-monitor"));
    delivered = reports.length;
    await monitor(scheduled(m), context("replication-monitor"));
  }

  /** `vigil dr status` of one target at a minute. */
  async function status(id: string, m: number) {
    const store = createStore({ client: ddb.get("us-east-1")!, table: runtime.names.table });
    const rows = await drStatusRows(store, config.replication, T0 + m * MIN);
    return rows.find((r) => r.targetId === id)!;
  }

  /** Runs minutes `from`..`to`, replicating after each probe; returns `id`'s transitions as the monitor published them: [minute, detail-type]. */
  async function timeline(id: string, from: number, to: number, replicate: (m: number) => Promise<void>, check: (m: number) => Promise<void> = async () => undefined) {
    const before = runtime.bus.accepted.length;
    for (let m = from; m <= to; m++) {
      await minute(m);
      await replicate(m);
      await check(m);
    }
    // Publishing is at least once: the ops-bus rule and this test may both hand a report to the monitor, and the
    // loser of the conditional write republishes the winner's outbox. Subscribers dedupe on the stable eventId.
    const seen = new Set<string>();
    return runtime.bus.accepted
      .slice(before)
      .map((a) => a.event as unknown as { "detail-type": string; detail: { id?: string; eventId?: string; occurredAt?: string } })
      .filter((e) => e["detail-type"].startsWith("Replication RPO") && e.detail.id === id)
      .filter((e) => !seen.has(e.detail.eventId ?? "") && seen.add(e.detail.eventId ?? ""))
      .map((e) => [(Date.parse(e.detail.occurredAt ?? "") - T0) / MIN, e["detail-type"]]);
  }

  /** Plays S3 replication: copies every source marker written at or before `upTo` that the replica lacks. */
  async function replicateS3(upTo: number) {
    const list = async (bucket: string) => ((await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: CANARY_KEY_PREFIX }))).Contents ?? []).map((o) => o.Key!);
    const present = new Set(await list("assets-dr"));
    for (const key of await list("assets")) {
      const writtenAt = parseS3MarkerKey(key, "assets");
      if (writtenAt !== undefined && writtenAt <= upTo && !present.has(key)) {
        await s3.send(new CopyObjectCommand({ Bucket: "assets-dr", Key: key, CopySource: `assets/${key}` }));
      }
    }
  }

  /** Plays DynamoDB replication: applies, in order, the source item's versions written `lagMinutes` ago or earlier. */
  const item = async (region: string) => (await ddb.get(region)!.send(new GetItemCommand({ TableName: "orders", Key: canaryItemKey(KEY, "orders"), ConsistentRead: true }))).Item;
  const versions: { at: number; item: NonNullable<Awaited<ReturnType<typeof item>>> }[] = [];
  let replicatedAt = 0;
  async function replicateDynamoDb(m: number, lagMinutes: number) {
    const now = await item("us-east-1");
    if (now) versions.push({ at: T0 + m * MIN, item: now });
    const due = versions.filter((v) => v.at <= T0 + (m - lagMinutes) * MIN).at(-1);
    if (due === undefined || due.at <= replicatedAt) return;
    await ddb.get("us-west-2")!.send(new PutItemCommand({ TableName: "orders", Item: due.item }));
    replicatedAt = due.at;
  }

  it("S3: ok while markers land within a minute, breached RPO + 1 min after they stop, restored 3 probes after they resume", async () => {
    const transitions = await timeline(
      "assets",
      0,
      17,
      async (m) => {
        // Replication works until minute 5, stops (markers 6-12 never land), then catches up at 13.
        if (m <= 5 || m >= 13) await replicateS3(T0 + m * MIN);
        await replicateDynamoDb(m, 0);
      },
      async (m) => {
        if (m === 5) expect(await status("assets", m)).toMatchObject({ status: "ok", observedRpoMinutes: 1, lastSignal: "s3-canary" });
        if (m === 12) expect(await status("assets", m)).toMatchObject({ status: "breached", observedRpoMinutes: 6 });
      },
    );
    // The first missing marker (minute 6) passes the 4-minute RPO at 11.
    expect(transitions).toEqual([[11, "Replication RPO Breached"], [16, "Replication RPO Restored"]]);
    expect(await status("assets", 17)).toMatchObject({ status: "ok", observedRpoMinutes: 1 });
  }, 120_000);

  it("DynamoDB: a replica 6 minutes behind breaches the RPO though every write arrives; restored once it catches up", async () => {
    const transitions = await timeline(
      "orders",
      18,
      36,
      async (m) => {
        await replicateS3(T0 + m * MIN);
        await replicateDynamoDb(m, m < 22 || m >= 32 ? 0 : 6);
      },
      async (m) => {
        if (m === 21) expect(await status("orders", m)).toMatchObject({ status: "ok", observedRpoMinutes: 1, lastSignal: "dynamodb-canary" });
        if (m === 30) expect(await status("orders", m)).toMatchObject({ status: "breached", observedRpoMinutes: 7 });
      },
    );
    // Writes from minute 22 on land 6 minutes late: the first missing one passes the RPO at 27.
    expect(transitions).toEqual([[27, "Replication RPO Breached"], [35, "Replication RPO Restored"]]);
    expect(await status("orders", 36)).toMatchObject({ status: "ok", observedRpoMinutes: 1 });
  }, 120_000);
});
