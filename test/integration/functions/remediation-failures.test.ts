import { randomUUID } from "node:crypto";
import { DescribeAddressesCommand, DescribeTagsCommand, EC2Client, ReleaseAddressCommand } from "@aws-sdk/client-ec2";
import { GetAccessKeyLastUsedCommand, IAMClient, ListUserTagsCommand, UpdateAccessKeyCommand } from "@aws-sdk/client-iam";
import type { Context } from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { parseConfig } from "../../../core/config";
import { remediationEventId, remediationIdOf } from "../../../core/remediation";
import { createStore } from "../../../core/store/service";
import { resetPlaybookClients } from "../../../functions/lib/playbooks/clients";
import type { RemediatorOutcome } from "../../../functions/remediator";
import { VirtualClock } from "../../../local/clock";
import type { DeadLetter } from "../../../local/eventbridge/bus";
import { createLambdaContext } from "../../../local/kinesis/lambda-context";
import { startRuntime, type Runtime } from "../../../local/runtime";
import { awsError } from "../../unit/playbooks/aws-mocks";

// A crash between a write and its publish: the next publish carrying `detailType` throws, once.
const crash = vi.hoisted(() => ({ onDetailType: undefined as string | undefined }));
vi.mock("../../../core/publish/publisher", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../../core/publish/publisher")>();
  return {
    ...real,
    publishEvents: async (...args: Parameters<typeof real.publishEvents>) => {
      if (crash.onDetailType && args[2].some((e) => e.DetailType === crash.onDetailType)) {
        crash.onDetailType = undefined;
        throw new Error("simulated crash before PutEvents");
      }
      return real.publishEvents(...args);
    },
  };
});

const ACCOUNT = "111122223333";
const T0 = Date.parse("2025-11-03T14:00:00Z");
const CONFIG = {
  remediation: {
    policies: [
      { name: "eip-auto", on: { source: ["aws.ec2"], "detail-type": ["AWS API Call via CloudTrail"], detail: { eventName: ["DisassociateAddress"], userAgent: ["auto"] } }, action: "ec2.release-unassociated-address", mode: "auto" },
      { name: "eip-dry", on: { source: ["aws.ec2"], "detail-type": ["AWS API Call via CloudTrail"], detail: { eventName: ["DisassociateAddress"], userAgent: ["dry"] } }, action: "ec2.release-unassociated-address" },
      { name: "key-auto", on: { source: ["aws.guardduty"], "detail-type": ["GuardDuty Finding"] }, action: "iam.deactivate-access-key", mode: "auto" },
    ],
  },
};

const ec2 = mockClient(EC2Client);
const iam = mockClient(IAMClient);
let runtime: Runtime;
let handler: (event: unknown, context: Context) => Promise<RemediatorOutcome[]>;
const deadLetters: DeadLetter[] = [];
const context = () => createLambdaContext({ functionName: "remediator", region: "us-east-1", accountId: ACCOUNT, timeoutMs: 30_000 }) as Context;

function disassociated(allocationId: string, lane = "auto") {
  return {
    version: "0", id: randomUUID(), "detail-type": "AWS API Call via CloudTrail", source: "aws.ec2", account: ACCOUNT,
    time: new Date(T0).toISOString(), region: "us-east-1", resources: [],
    detail: { eventName: "DisassociateAddress", awsRegion: "us-east-1", recipientAccountId: ACCOUNT, userAgent: lane, requestParameters: { allocationId } },
  };
}
const ridOf = (policy: string, allocationId: string, eventId: string) => remediationIdOf(policy, `arn:aws:ec2:us-east-1:${ACCOUNT}:elastic-ip/${allocationId}`, eventId);

const store = () => createStore({ client: runtime.dynamodb, table: runtime.names.table });
const item = async (remediationId: string) => (await store().entities.remediation.get({ remediationId }).go()).data;
const emitted = (remediationId: string) =>
  runtime.bus.accepted
    .filter((a) => a.via === "PutEvents" && String(a.event["detail-type"]).startsWith("Remediation "))
    .map((a) => a.event as unknown as { "detail-type": string; detail: { id: string; eventId: string; remediation: Record<string, unknown> } })
    .filter((e) => e.detail.id === remediationId);
const audited = async (remediationId: string) =>
  (await store().entities.auditEntry.query.byChain({ chainId: "vigil" }).go({ pages: "all" })).data
    .filter((e) => e.subjectId === remediationId)
    .map((e) => ({ kind: e.kind, payload: JSON.parse(e.payload) as Record<string, unknown> }));
async function deliver(event: { id: string }) {
  runtime.bus.inject(runtime.names.bus, event as never);
  await runtime.settle();
}
/** An unassociated address as DescribeAddresses reports it, with no tags. */
function unassociated(allocationId: string) {
  ec2.on(DescribeTagsCommand).resolves({ Tags: [] });
  ec2.on(DescribeAddressesCommand).resolves({ Addresses: [{ AllocationId: allocationId, PublicIp: "203.0.113.9" }] });
}

beforeAll(async () => {
  runtime = await startRuntime({ config: parseConfig(JSON.stringify(CONFIG)), clock: new VirtualClock(T0), onDeadLetter: (l) => deadLetters.push(l) });
  handler = (await import("../../../functions/remediator")).handler as never;
}, 120_000);
beforeEach(() => {
  ec2.reset();
  iam.reset();
  deadLetters.length = 0;
});
afterAll(async () => {
  ec2.restore();
  iam.restore();
  resetPlaybookClients();
  await runtime?.close();
});

describe("playbook failures through the remediator (AWS mocked, store and bus real)", { timeout: 120_000 }, () => {
  it("AccessDenied on the action: Remediation Failed, audited as not retryable, no redelivery loop", async () => {
    unassociated("eipalloc-denied");
    ec2.on(ReleaseAddressCommand).rejects(awsError("UnauthorizedOperation"));
    const event = disassociated("eipalloc-denied");
    await deliver(event);
    const rid = ridOf("eip-auto", "eipalloc-denied", event.id);
    expect((await item(rid))?.status).toBe("failed");
    expect(emitted(rid).map((e) => e["detail-type"])).toEqual(["Remediation Planned", "Remediation Failed"]);
    expect(emitted(rid)[1]!.detail.remediation.reason).toBe("playbook.access_denied: access denied to ReleaseAddress (UnauthorizedOperation)");
    expect((await audited(rid)).find((e) => e.kind === "remediation.action-finished")?.payload).toMatchObject({ outcome: "failed", retryable: false });
    expect(ec2.commandCalls(ReleaseAddressCommand)).toHaveLength(1);
    expect(deadLetters).toEqual([]);
  });

  it("AccessDenied on IAM UpdateAccessKey (GuardDuty finding about a key): Remediation Failed", async () => {
    iam.on(ListUserTagsCommand).resolves({ Tags: [] });
    iam.on(GetAccessKeyLastUsedCommand).resolves({ UserName: "ci" });
    iam.on(UpdateAccessKeyCommand).rejects(awsError("AccessDenied"));
    const event = {
      version: "0", id: randomUUID(), "detail-type": "GuardDuty Finding", source: "aws.guardduty", account: ACCOUNT, time: new Date(T0).toISOString(), region: "us-east-1", resources: [],
      detail: { accountId: ACCOUNT, type: "UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS", resource: { resourceType: "AccessKey", accessKeyDetails: { accessKeyId: "AKIADENIED", userName: "ci" } } },
    };
    await deliver(event);
    const rid = remediationIdOf("key-auto", "AKIADENIED", event.id);
    expect(emitted(rid).map((e) => [e["detail-type"], e.detail.remediation.reason])).toEqual([
      ["Remediation Planned", expect.any(String)],
      ["Remediation Failed", "playbook.access_denied: access denied to UpdateAccessKey (AccessDenied)"],
    ]);
  });

  it("an address gone before the action: a clean Skipped(resource_not_found), and a redelivery does nothing", async () => {
    ec2.on(DescribeTagsCommand).resolves({ Tags: [] });
    ec2.on(DescribeAddressesCommand).rejects(awsError("InvalidAllocationID.NotFound"));
    const event = disassociated("eipalloc-gone");
    await deliver(event);
    const rid = ridOf("eip-auto", "eipalloc-gone", event.id);
    expect((await item(rid))?.status).toBe("skipped");
    expect(String(emitted(rid).at(-1)!.detail.remediation.reason)).toMatch(/^resource_not_found: .*InvalidAllocationID\.NotFound/);
    expect(await handler(event, context())).toEqual([{ remediationId: rid, duplicate: true }]);
    expect(ec2.commandCalls(ReleaseAddressCommand)).toEqual([]);
    expect(deadLetters).toEqual([]);
  });

  it("an address gone while acting: Skipped(resource_not_found) with the state captured before", async () => {
    unassociated("eipalloc-vanishing");
    ec2.on(ReleaseAddressCommand).rejects(awsError("InvalidAllocationID.NotFound"));
    const event = disassociated("eipalloc-vanishing");
    await deliver(event);
    const rid = ridOf("eip-auto", "eipalloc-vanishing", event.id);
    expect(emitted(rid).at(-1)!.detail.remediation).toMatchObject({ status: "skipped", before: { Addresses: [{ AllocationId: "eipalloc-vanishing" }] } });
    expect((await audited(rid)).find((e) => e.kind === "remediation.action-finished")?.payload).toMatchObject({ outcome: "skipped" });
  });

  it("throttling past the SDK's retries on a read: the invocation fails, the redelivery runs the action once", async () => {
    ec2.on(DescribeTagsCommand).resolves({ Tags: [] });
    ec2.on(DescribeAddressesCommand).rejectsOnce(awsError("RequestLimitExceeded", 5)).resolves({ Addresses: [{ AllocationId: "eipalloc-busy" }] });
    ec2.on(ReleaseAddressCommand).resolves({});
    const event = disassociated("eipalloc-busy");
    await deliver(event);
    const rid = ridOf("eip-auto", "eipalloc-busy", event.id);
    expect((await item(rid))?.status).toBe("executed");
    expect(ec2.commandCalls(ReleaseAddressCommand)).toHaveLength(1);
    expect(emitted(rid).map((e) => e["detail-type"])).toEqual(["Remediation Planned", "Remediation Executed"]);
    expect(deadLetters).toEqual([]);
  });

  it("throttling past the SDK's retries on the action: Failed, audited as retryable, never re-run by a redelivery", async () => {
    unassociated("eipalloc-throttled");
    ec2.on(ReleaseAddressCommand).rejects(awsError("RequestLimitExceeded", 5));
    const event = disassociated("eipalloc-throttled");
    await deliver(event);
    const rid = ridOf("eip-auto", "eipalloc-throttled", event.id);
    expect(String(emitted(rid).at(-1)!.detail.remediation.reason)).toBe("playbook.throttled: ReleaseAddress still throttled (RequestLimitExceeded) after 5 attempt(s)");
    expect((await audited(rid)).find((e) => e.kind === "remediation.action-finished")?.payload).toMatchObject({ outcome: "failed", retryable: true });
    expect(await handler(event, context())).toEqual([{ remediationId: rid, duplicate: true }]);
    expect(ec2.commandCalls(ReleaseAddressCommand)).toHaveLength(1);
  });
});

describe("republish after a crash between the record write and the publish", { timeout: 120_000 }, () => {
  it("auto: the redelivered trigger publishes Executed (same event id) and does not act again", async () => {
    unassociated("eipalloc-crash");
    ec2.on(ReleaseAddressCommand).resolves({});
    crash.onDetailType = "Remediation Executed";
    const event = disassociated("eipalloc-crash");
    // The bus redelivers after the failed invocation, as EventBridge retries a failed Lambda target.
    await deliver(event);
    const rid = ridOf("eip-auto", "eipalloc-crash", event.id);
    expect(crash.onDetailType).toBeUndefined();
    expect((await item(rid))?.status).toBe("executed");
    expect(ec2.commandCalls(ReleaseAddressCommand)).toHaveLength(1);
    const executed = emitted(rid).filter((e) => e["detail-type"] === "Remediation Executed");
    expect(executed.map((e) => e.detail.eventId)).toEqual([remediationEventId("Remediation Executed", rid)]);
    const entries = await audited(rid);
    expect(entries.filter((e) => e.kind === "remediation.action-started")).toHaveLength(1);
    // The failed publish is not mistaken for a failed action.
    expect(entries.filter((e) => e.kind === "remediation.status").map((e) => (e.payload.changes as { status: string }).status)).toEqual(["executed"]);
    expect(deadLetters).toEqual([]);
    // Once the audit writer has it, a further redelivery publishes nothing.
    expect(await handler(event, context())).toEqual([{ remediationId: rid, duplicate: true }]);
  });

  it("dry-run: a crash before Planned went out republishes it, then finishes the dry run", async () => {
    crash.onDetailType = "Remediation Planned";
    const event = disassociated("eipalloc-dry-crash", "dry");
    await deliver(event);
    const rid = ridOf("eip-dry", "eipalloc-dry-crash", event.id);
    expect(emitted(rid).map((e) => [e["detail-type"], e.detail.eventId])).toEqual([
      ["Remediation Planned", remediationEventId("Remediation Planned", rid)],
      ["Remediation Skipped", remediationEventId("Remediation Skipped", rid)],
    ]);
    expect((await item(rid))?.status).toBe("skipped");
    expect(ec2.calls()).toEqual([]);
  });

  it("a crash after the Skipped write: the redelivery reports the republished event", async () => {
    const event = disassociated("eipalloc-dry-late", "dry");
    crash.onDetailType = "Remediation Skipped";
    const rid = ridOf("eip-dry", "eipalloc-dry-late", event.id);
    await expect(handler(event, context())).rejects.toThrow("simulated crash before PutEvents");
    expect((await item(rid))?.status).toBe("skipped");
    expect(await handler(event, context())).toEqual([{ remediationId: rid, duplicate: true, republished: ["Remediation Skipped"] }]);
    await runtime.settle();
    expect(emitted(rid).map((e) => e["detail-type"])).toEqual(["Remediation Planned", "Remediation Skipped"]);
  });
});
