import { randomUUID } from "node:crypto";
import type { Context, SQSEvent, SQSRecord } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readChain, verifyStoredChain } from "../../../core/audit/append";
import { createStore } from "../../../core/store/service";
import { createLambdaContext } from "../../../local/kinesis/lambda-context";
import { handlerEnv, startDynalite, type DynaliteHandle } from "../../support/dynalite";
import { incidentOpenedDetail } from "../../support/vigil-events";

const CHAIN = "audit-writer-test";
/** functions/audit-writer's REJECTED_MESSAGE_KIND, spelled out: importing the handler here would build it before its env is set. */
const REJECTED_MESSAGE_KIND = "Audit Message Rejected";
let db: DynaliteHandle;
let writer: (event: SQSEvent, context: Context) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;
const context = () => createLambdaContext({ functionName: "audit-writer", region: "us-east-1", accountId: "123456789012", timeoutMs: 30_000 });

beforeAll(async () => {
  db = await startDynalite();
  // Set before the handler loads: its client and config are built once per instance, as in Lambda.
  Object.assign(process.env, handlerEnv(db, { audit: { chainId: CHAIN } }, "CRITICAL"));
  writer = (await import("../../../functions/audit-writer")).handler as never;
});
afterAll(async () => db?.stop());

/** The ops-bus event EventBridge puts on the audit queue for one emitted detail. */
function busEvent(detail: Record<string, unknown>) {
  return { version: "0", id: randomUUID(), "detail-type": "Incident Opened", source: "vigil", account: "123456789012", time: "2025-06-02T09:00:00Z", region: "us-east-1", resources: [], detail };
}

/** An SQS FIFO record as the queue's mapping delivers it. */
function record(body: unknown): SQSRecord {
  return {
    messageId: randomUUID(),
    receiptHandle: "r",
    body: typeof body === "string" ? body : JSON.stringify(body),
    attributes: { ApproximateReceiveCount: "1", SentTimestamp: "0", SenderId: "events", ApproximateFirstReceiveTimestamp: "0", MessageGroupId: "audit", SequenceNumber: "1", MessageDeduplicationId: "d" },
    messageAttributes: {},
    md5OfBody: "",
    eventSource: "aws:sqs",
    eventSourceARN: "arn:aws:sqs:us-east-1:123456789012:audit.fifo",
    awsRegion: "us-east-1",
  };
}

describe("audit-writer on its FIFO queue", () => {
  it("appends a batch in one chain step, in queue order, each emission once, and records a message that is no Vigil event instead of failing it", async () => {
    const details = Array.from({ length: 4 }, () => incidentOpenedDetail());
    const bad = record({ ...busEvent(incidentOpenedDetail()), detail: { ...incidentOpenedDetail(), eventId: undefined } });
    const notJson = record("not json");
    const batch = [record(busEvent(details[0]!)), record(busEvent(details[1]!)), bad, record(busEvent(details[1]!)), notJson, record(busEvent(details[2]!))];
    const response = await writer({ Records: batch }, context());
    // Nothing is retried: in a FIFO group a retried message would hold back every later one.
    expect(response.batchItemFailures).toEqual([]);
    // A redelivery of an appended emission and of an unreadable message (new message id, same body), beside a new one.
    await writer({ Records: [record(busEvent(details[2]!)), record("not json"), record(busEvent(details[3]!))] }, context());
    const store = createStore({ client: db.client, table: db.table });
    const chain = await readChain(store, CHAIN);
    expect(chain.map((e) => (e.kind === REJECTED_MESSAGE_KIND ? e.subjectId : e.eventId))).toEqual([
      details[0]!.eventId,
      details[1]!.eventId,
      bad.messageId,
      notJson.messageId,
      details[2]!.eventId,
      details[3]!.eventId,
    ]);
    const rejected = chain.filter((e) => e.kind === REJECTED_MESSAGE_KIND).map((e) => JSON.parse(e.payload) as { reason: string; body: string });
    expect(rejected.map((r) => r.reason)).toEqual([expect.stringMatching(/^not a Vigil event: .*eventId/), "not JSON"]);
    expect(rejected[1]!.body).toBe("not json");
    expect((await store.entities.auditHead.get({ chainId: CHAIN }).go()).data).toMatchObject({ seq: 6, hash: chain[5]!.hash });
    expect(await verifyStoredChain(store, CHAIN)).toMatchObject({ ok: true, count: 6 });
  });
});
