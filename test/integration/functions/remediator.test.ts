import { randomUUID } from "node:crypto";
import type { Context } from "aws-lambda";
import { CreateBucketCommand, GetPublicAccessBlockCommand, PutBucketAclCommand, PutBucketTaggingCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parseConfig } from "../../../core/config";
import { remediationIdOf, signApproval } from "../../../core/remediation";
import { createStore } from "../../../core/store/service";
import type { DeadLetter } from "../../../local/eventbridge/bus";
import { VirtualClock } from "../../../local/clock";
import { invokeFunction } from "../../../local/direct-invoke";
import { createLambdaContext } from "../../../local/kinesis/lambda-context";
import { startRuntime, type Runtime } from "../../../local/runtime";
import { resetPlaybookClients } from "../../../functions/lib/playbooks/clients";
import type { RemediatorOutcome } from "../../../functions/remediator";
import { MOTO_MISSING, motoAvailable, startMoto, type MotoHandle } from "../../support/moto";

const T0 = Date.parse("2025-11-03T14:00:00Z");
const ACCOUNT = "111122223333";
const KEY = "k".repeat(32) + "-integration-approval-key";
const onBucketPrefix = (prefix: string) => ({
  source: ["aws.s3"],
  "detail-type": ["AWS API Call via CloudTrail"],
  detail: { eventName: ["PutBucketAcl"], requestParameters: { bucketName: [{ prefix }] } },
});
const CONFIG = {
  remediation: {
    policies: [
      { name: "s3-dry", on: onBucketPrefix("dry-"), action: "s3.block-public-access" },
      { name: "s3-auto", on: onBucketPrefix("auto-"), action: "s3.block-public-access", mode: "auto" },
      { name: "s3-approve", on: onBucketPrefix("appr-"), action: "s3.block-public-access", mode: "approve" },
    ],
  },
};

let runtime: Runtime;
const deadLetters: DeadLetter[] = [];
let handler: (event: unknown, context: Context) => Promise<RemediatorOutcome[]>;
const context = () => createLambdaContext({ functionName: "remediator", region: "us-east-1", accountId: ACCOUNT, timeoutMs: 30_000 });

/** The CloudTrail event of a PutBucketAcl that made `bucket` public-read. */
function publicAclEvent(bucket: string, id = randomUUID()) {
  return {
    version: "0", id, "detail-type": "AWS API Call via CloudTrail", source: "aws.s3", account: ACCOUNT,
    time: new Date(T0).toISOString(), region: "us-east-1", resources: [],
    detail: {
      eventSource: "s3.amazonaws.com", eventName: "PutBucketAcl", awsRegion: "us-east-1", recipientAccountId: ACCOUNT,
      requestParameters: { bucketName: bucket, "x-amz-acl": ["public-read"] },
    },
  };
}
const ridFor = (policy: string, bucket: string, eventId: string) => remediationIdOf(policy, `arn:aws:s3:::${bucket}`, eventId);

const store = () => createStore({ client: runtime.dynamodb, table: runtime.names.table });
const item = async (remediationId: string) => (await store().entities.remediation.get({ remediationId }).go()).data;
const emitted = (remediationId: string) =>
  runtime.bus.accepted
    .filter((a) => a.via === "PutEvents" && String(a.event["detail-type"]).startsWith("Remediation "))
    .map((a) => a.event as unknown as { "detail-type": string; detail: { id: string; remediation: Record<string, unknown> } })
    .filter((e) => e.detail.id === remediationId);
const audited = async (remediationId: string) =>
  (await store().entities.auditEntry.query.byChain({ chainId: "vigil" }).go({ pages: "all" })).data
    .filter((e) => e.subjectId === remediationId)
    .map((e) => ({ kind: e.kind, payload: JSON.parse(e.payload) as Record<string, unknown> }));

/** Delivers a bus event to the remediator through the runtime's rules, as EventBridge would. */
async function deliver(event: ReturnType<typeof publicAclEvent>) {
  runtime.bus.inject(runtime.names.bus, event as never);
  await runtime.settle();
}
async function approve(query: Record<string, string>) {
  const response = (await invokeFunction("approve", { rawPath: "/approve", queryStringParameters: query })) as { statusCode: number; body: string };
  return { status: response.statusCode, body: JSON.parse(response.body) as Record<string, unknown> };
}

beforeAll(async () => {
  process.env.VIGIL_APPROVAL_KEY = KEY;
  runtime = await startRuntime({ config: parseConfig(JSON.stringify(CONFIG)), clock: new VirtualClock(T0), onDeadLetter: (l) => deadLetters.push(l) });
  handler = (await import("../../../functions/remediator")).handler as never;
});
afterAll(async () => runtime?.close());

describe("remediator on the local runtime", () => {
  it("dry-runs by default: Planned then Skipped(dry_run), stored and audited, nothing touched", async () => {
    const event = publicAclEvent("dry-assets");
    await deliver(event);
    const rid = ridFor("s3-dry", "dry-assets", event.id);
    expect(await item(rid)).toMatchObject({ status: "skipped", mode: "dry-run", policy: "s3-dry", resource: "arn:aws:s3:::dry-assets" });
    expect(emitted(rid).map((e) => [e["detail-type"], e.detail.remediation.reason])).toEqual([
      ["Remediation Planned", `triggered by AWS API Call via CloudTrail ${event.id}`],
      ["Remediation Skipped", "dry_run"],
    ]);
    // remediation.status is the outbox: the Skipped event recorded before the status write.
    expect((await audited(rid)).map((e) => e.kind)).toEqual(["remediation.planned", "Remediation Planned", "remediation.status", "Remediation Skipped"]);
    expect(deadLetters).toEqual([]);
  });

  it("does nothing more on a duplicate delivery of the same event", async () => {
    const event = publicAclEvent("dry-twice");
    await deliver(event);
    const rid = ridFor("s3-dry", "dry-twice", event.id);
    const first = await item(rid);
    expect(await handler(event, context())).toEqual([{ remediationId: rid, duplicate: true }]);
    await runtime.settle();
    expect((await item(rid))?.version).toBe(first?.version);
    expect(emitted(rid)).toHaveLength(2);
    expect(await audited(rid)).toHaveLength(4);
  });

  it("plans an approve-mode remediation with a signed approval link and waits", async () => {
    const event = publicAclEvent("appr-pending");
    await deliver(event);
    const rid = ridFor("s3-approve", "appr-pending", event.id);
    expect((await item(rid))?.status).toBe("pending-approval");
    const [planned, ...rest] = emitted(rid);
    expect(rest).toEqual([]);
    const link = new URL(String(planned!.detail.remediation.approvalUrl));
    expect(link.searchParams.get("remediationId")).toBe(rid);
    expect(link.searchParams.get("token")).toMatch(/^v1\./);
  });
});

describe("approve: token refusals", () => {
  async function pending(bucket: string) {
    const event = publicAclEvent(bucket);
    await deliver(event);
    const rid = ridFor("s3-approve", bucket, event.id);
    const token = new URL(String(emitted(rid)[0]!.detail.remediation.approvalUrl)).searchParams.get("token")!;
    return { rid, token };
  }
  const refusals = async (rid: string) => (await audited(rid)).filter((e) => e.kind === "remediation.approval-refused").map((e) => e.payload.reason);

  it("refuses a forged token (signed with another key), audits it, and leaves the plan pending", async () => {
    const { rid } = await pending("appr-forged");
    const forged = signApproval("x".repeat(40), { remediationId: rid }, 3600, new Date()).token;
    expect(await approve({ remediationId: rid, token: forged })).toMatchObject({ status: 403, body: { reason: "forged", code: "approval.forged" } });
    expect(await refusals(rid)).toEqual(["forged"]);
    expect((await item(rid))?.status).toBe("pending-approval");
  });

  it("refuses a token of another plan", async () => {
    const a = await pending("appr-plan-a");
    const b = await pending("appr-plan-b");
    expect(await approve({ remediationId: b.rid, token: a.token })).toMatchObject({ status: 403, body: { reason: "other_plan" } });
    expect(await refusals(b.rid)).toEqual(["other_plan"]);
    expect((await item(b.rid))?.status).toBe("pending-approval");
  });

  it("refuses an expired token and skips the plan with approval_expired", async () => {
    const { rid } = await pending("appr-expired");
    const expired = signApproval(KEY, { remediationId: rid }, 60, new Date(Date.now() - 3600_000)).token;
    expect(await approve({ remediationId: rid, token: expired })).toMatchObject({ status: 410, body: { reason: "expired" } });
    expect(await refusals(rid)).toEqual(["expired"]);
    await runtime.settle();
    expect((await item(rid))?.status).toBe("skipped");
    expect(emitted(rid).map((e) => [e["detail-type"], e.detail.remediation.reason])).toContainEqual(["Remediation Skipped", "approval_expired: the approval link expired"]);
  });

  it("refuses a token used already: a rejection spends it", async () => {
    const { rid, token } = await pending("appr-reused");
    expect(await approve({ remediationId: rid, token, decision: "reject" })).toMatchObject({ status: 200, body: { status: "skipped", decision: "reject" } });
    expect(await approve({ remediationId: rid, token })).toMatchObject({ status: 409, body: { reason: "already_used" } });
    expect(await refusals(rid)).toEqual(["already_used"]);
    await runtime.settle();
    expect(emitted(rid).map((e) => e["detail-type"])).toEqual(["Remediation Planned", "Remediation Skipped"]);
    expect(emitted(rid)[1]!.detail.remediation.reason).toMatch(/^rejected: by /);
  });

  it("answers 400 naming the missing parameter and 404 for an unknown remediation", async () => {
    expect(await approve({ token: "v1.a.b" })).toMatchObject({ status: 400, body: { code: "approval.bad_request" } });
    expect(await approve({ remediationId: "rem-unknown", token: "v1.a.b" })).toMatchObject({ status: 404, body: { code: "approval.unknown_remediation" } });
  });
});

describe.skipIf(!motoAvailable)(`remediation actions against moto_server (${motoAvailable ? "moto_server found" : MOTO_MISSING})`, () => {
  let moto: MotoHandle;
  let s3: S3Client;
  const saved = process.env.AWS_ENDPOINT_URL;

  beforeAll(async () => {
    moto = (await startMoto())!;
    // The playbooks find moto through the generic endpoint; the runtime's own services keep their specific ones.
    process.env.AWS_ENDPOINT_URL = moto.endpoint;
    resetPlaybookClients();
    s3 = new S3Client({ endpoint: moto.endpoint, region: "us-east-1", forcePathStyle: true, credentials: { accessKeyId: "testing", secretAccessKey: "testing" } });
  });
  beforeEach(() => moto.reset());
  afterAll(async () => {
    resetPlaybookClients();
    s3?.destroy();
    if (saved === undefined) delete process.env.AWS_ENDPOINT_URL;
    else process.env.AWS_ENDPOINT_URL = saved;
    await moto?.stop();
  });

  async function publicBucket(name: string, tags: Record<string, string> = {}) {
    await s3.send(new CreateBucketCommand({ Bucket: name }));
    await s3.send(new PutBucketAclCommand({ Bucket: name, ACL: "public-read" }));
    const TagSet = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
    if (TagSet.length > 0) await s3.send(new PutBucketTaggingCommand({ Bucket: name, Tagging: { TagSet } }));
  }
  const block = (bucket: string) => s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket })).then((r) => r.PublicAccessBlockConfiguration, (e: Error) => e.name);

  it("auto mode blocks public access, with before/after audited and Executed published", async () => {
    await publicBucket("auto-assets");
    const event = publicAclEvent("auto-assets");
    await deliver(event);
    const rid = ridFor("s3-auto", "auto-assets", event.id);
    const all = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true };
    expect(await block("auto-assets")).toEqual(all);
    expect(await item(rid)).toMatchObject({ status: "executed", after: { PublicAccessBlockConfiguration: all } });
    expect(emitted(rid).map((e) => e["detail-type"])).toEqual(["Remediation Planned", "Remediation Executed"]);
    const entries = await audited(rid);
    expect(entries.map((e) => e.kind)).toEqual(expect.arrayContaining(["remediation.action-started", "remediation.action-finished"]));
    expect(entries.find((e) => e.kind === "remediation.action-finished")?.payload).toMatchObject({ outcome: "executed", after: { PublicAccessBlockConfiguration: all } });
  });

  it("runs the action once when the same event is delivered again", async () => {
    await publicBucket("auto-once");
    const event = publicAclEvent("auto-once");
    await deliver(event);
    const rid = ridFor("s3-auto", "auto-once", event.id);
    const auditBefore = (await audited(rid)).length;
    expect(await handler(event, context())).toEqual([{ remediationId: rid, duplicate: true }]);
    await runtime.settle();
    expect((await audited(rid)).length).toBe(auditBefore);
    expect(emitted(rid).filter((e) => e["detail-type"] === "Remediation Executed")).toHaveLength(1);
  });

  it("a protected tag blocks the action: Skipped(guardrail_blocked), the bucket untouched", async () => {
    await publicBucket("auto-protected", { "vigil:protect": "true" });
    const event = publicAclEvent("auto-protected");
    await deliver(event);
    const rid = ridFor("s3-auto", "auto-protected", event.id);
    expect(await block("auto-protected")).toBe("NoSuchPublicAccessBlockConfiguration");
    expect((await item(rid))?.status).toBe("skipped");
    expect(emitted(rid).at(-1)?.detail.remediation.reason).toBe("guardrail_blocked: protected_tag: arn:aws:s3:::auto-protected is tagged vigil:protect=true");
    expect((await audited(rid)).map((e) => e.kind)).toContain("remediation.refused");
  });

  it("a bucket gone before the action is a clean Skipped(resource_not_found)", async () => {
    const event = publicAclEvent("auto-vanished");
    await deliver(event);
    const rid = ridFor("s3-auto", "auto-vanished", event.id);
    expect((await item(rid))?.status).toBe("skipped");
    expect(String(emitted(rid).at(-1)?.detail.remediation.reason)).toMatch(/^resource_not_found: /);
    expect(deadLetters).toEqual([]);
  });

  it("approve flow: planned, approved with the link's token, executed", async () => {
    await publicBucket("appr-run");
    const event = publicAclEvent("appr-run");
    await deliver(event);
    const rid = ridFor("s3-approve", "appr-run", event.id);
    const link = new URL(String(emitted(rid)[0]!.detail.remediation.approvalUrl));
    const answer = await approve({ remediationId: rid, token: link.searchParams.get("token")!, decision: "approve" });
    expect(answer).toMatchObject({ status: 200, body: { status: "executed", decision: "approve" } });
    await runtime.settle();
    expect((await block("appr-run")) as object).toMatchObject({ BlockPublicAcls: true });
    expect(emitted(rid).map((e) => e["detail-type"])).toEqual(["Remediation Planned", "Remediation Approved", "Remediation Executed"]);
    expect((await audited(rid)).map((e) => e.kind)).toEqual(expect.arrayContaining(["remediation.approved", "remediation.action-started", "remediation.action-finished"]));
  });
});
