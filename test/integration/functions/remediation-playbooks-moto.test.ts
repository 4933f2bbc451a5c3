import { randomUUID } from "node:crypto";
import {
  AllocateAddressCommand,
  CreateSecurityGroupCommand,
  CreateSnapshotCommand,
  CreateTagsCommand,
  CreateVolumeCommand,
  DeleteVolumeCommand,
  DescribeAddressesCommand,
  DescribeInstancesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSnapshotsCommand,
  EC2Client,
  RunInstancesCommand,
} from "@aws-sdk/client-ec2";
import { AttachUserPolicyCommand, CreatePolicyCommand, CreateUserCommand, IAMClient, ListAttachedUserPoliciesCommand } from "@aws-sdk/client-iam";
import { SSMClient, StartAutomationExecutionCommand } from "@aws-sdk/client-ssm";
import type { Context } from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parseConfig } from "../../../core/config";
import { remediationIdOf } from "../../../core/remediation";
import { createStore } from "../../../core/store/service";
import { resetPlaybookClients } from "../../../functions/lib/playbooks/clients";
import type { RemediatorOutcome } from "../../../functions/remediator";
import { VirtualClock } from "../../../local/clock";
import { invokeFunction } from "../../../local/direct-invoke";
import type { DeadLetter } from "../../../local/eventbridge/bus";
import { createLambdaContext } from "../../../local/kinesis/lambda-context";
import { startRuntime, type Runtime } from "../../../local/runtime";
import { MOTO_MISSING, motoAvailable, startMoto, type MotoHandle } from "../../support/moto";

// moto's default account: the ARNs Vigil plans with must name the account the resources live in.
const ACCOUNT = "123456789012";
const REGION = "us-east-1";
const DAY = 86_400_000;
const MINUTE = 60_000;
// A Monday 14:00 UTC; each test acts on its own day, so rate and blast-radius windows never overlap.
const T0 = Date.parse("2025-11-03T14:00:00Z");
const KEY = "k".repeat(32) + "-playbooks-moto-approval-key";

/** A CloudTrail policy pattern; `lane` (the call's userAgent) picks the policy under test. */
const trail = (source: string, names: string[], lane: string) => ({
  source: [source],
  "detail-type": ["AWS API Call via CloudTrail"],
  detail: { eventName: names, userAgent: [lane] },
});
const finding = (prefix: string) => ({ source: ["aws.guardduty"], "detail-type": ["GuardDuty Finding"], detail: { type: [{ prefix }] } });
const once = { windowMinutes: 60, max: 1 };

const CONFIG = {
  remediation: {
    policies: [
      { name: "eip-auto", on: trail("aws.ec2", ["DisassociateAddress"], "auto"), action: "ec2.release-unassociated-address", mode: "auto" },
      { name: "eip-dry", on: trail("aws.ec2", ["DisassociateAddress"], "dry"), action: "ec2.release-unassociated-address" },
      { name: "eip-approve", on: trail("aws.ec2", ["DisassociateAddress"], "approve"), action: "ec2.release-unassociated-address", mode: "approve" },
      { name: "eip-rate", on: trail("aws.ec2", ["DisassociateAddress"], "rate"), action: "ec2.release-unassociated-address", mode: "auto", guardrails: { rateLimit: { perPolicy: once } } },
      { name: "eip-account", on: trail("aws.ec2", ["DisassociateAddress"], "account"), action: "ec2.release-unassociated-address", mode: "auto", guardrails: { rateLimit: { perAccount: once } } },
      { name: "eip-blast", on: trail("aws.ec2", ["DisassociateAddress"], "blast"), action: "ec2.release-unassociated-address", mode: "auto", guardrails: { blastRadius: { maxResources: 1, windowMinutes: 60 } } },
      {
        name: "eip-window",
        on: trail("aws.ec2", ["DisassociateAddress"], "window"),
        action: "ec2.release-unassociated-address",
        mode: "auto",
        guardrails: { changeWindows: [{ days: ["sun"], start: "02:00", end: "03:00" }] },
      },
      { name: "snap-auto", on: trail("aws.ec2", ["CreateSnapshot"], "auto"), action: "ec2.delete-orphaned-snapshot", mode: "auto", params: { olderThanDays: 30 } },
      { name: "isolate-auto", on: finding("UnauthorizedAccess:EC2/"), action: "ec2.isolate-instance", mode: "auto" },
      { name: "isolate-approve", on: finding("Backdoor:EC2/"), action: "ec2.isolate-instance", mode: "approve" },
      { name: "isolate-dry", on: finding("Recon:EC2/"), action: "ec2.isolate-instance" },
      { name: "jit-auto", on: trail("aws.iam", ["AttachUserPolicy"], "auto"), action: "iam.expire-jit-access", mode: "auto", params: { maxDurationMinutes: 60 } },
      {
        name: "ssm-auto",
        on: trail("aws.s3", ["CreateBucket"], "auto"),
        action: "ssm.start-automation",
        mode: "auto",
        params: { documentName: "AWS-DisableS3BucketPublicReadWrite", parameters: { S3BucketName: ["{{resourceId}}"] } },
      },
    ],
  },
};

type BusEvent = { id: string; time: string; [k: string]: unknown };
type Emitted = { "detail-type": string; detail: { id: string; eventId: string; remediation: Record<string, unknown> } };

/** The CloudTrail event of an API call, as the default bus forwards it. */
function cloudTrail(source: string, eventName: string, lane: string, at: number, fields: { request?: object; response?: object; resources?: string[] }): BusEvent {
  return {
    version: "0", id: randomUUID(), "detail-type": "AWS API Call via CloudTrail", source, account: ACCOUNT,
    time: new Date(at).toISOString(), region: REGION, resources: fields.resources ?? [],
    detail: {
      eventSource: `${source.slice(4)}.amazonaws.com`, eventName, awsRegion: REGION, recipientAccountId: ACCOUNT, userAgent: lane,
      requestParameters: fields.request ?? null, responseElements: fields.response ?? null,
    },
  };
}

/** A GuardDuty finding about an instance. */
function guardDuty(type: string, instanceId: string, at: number): BusEvent {
  return {
    version: "0", id: randomUUID(), "detail-type": "GuardDuty Finding", source: "aws.guardduty", account: ACCOUNT,
    time: new Date(at).toISOString(), region: REGION, resources: [],
    detail: { schemaVersion: "2.0", accountId: ACCOUNT, region: REGION, type, severity: 8, resource: { resourceType: "Instance", instanceDetails: { instanceId } } },
  };
}

const ec2Arn = (kind: string, id: string) => `arn:aws:ec2:${REGION}:${ACCOUNT}:${kind}/${id}`;

let runtime: Runtime;
let moto: MotoHandle;
let ec2: EC2Client;
let iam: IAMClient;
const deadLetters: DeadLetter[] = [];
const saved = { ...process.env };
const context = () => createLambdaContext({ functionName: "remediator", region: REGION, accountId: ACCOUNT, timeoutMs: 30_000 }) as Context;
let handler: (event: unknown, context: Context) => Promise<RemediatorOutcome[]>;

const store = () => createStore({ client: runtime.dynamodb, table: runtime.names.table });
const item = async (remediationId: string) => (await store().entities.remediation.get({ remediationId }).go()).data;
const emitted = (remediationId: string) =>
  runtime.bus.accepted
    .filter((a) => a.via === "PutEvents" && String(a.event["detail-type"]).startsWith("Remediation "))
    .map((a) => a.event as unknown as Emitted)
    .filter((e) => e.detail.id === remediationId);
const kinds = (remediationId: string) => emitted(remediationId).map((e) => e["detail-type"]);
const reasonOf = (remediationId: string) => String(emitted(remediationId).at(-1)?.detail.remediation.reason);
const audited = async (remediationId: string) =>
  (await store().entities.auditEntry.query.byChain({ chainId: "vigil" }).go({ pages: "all" })).data
    .filter((e) => e.subjectId === remediationId)
    .map((e) => ({ kind: e.kind, payload: JSON.parse(e.payload) as Record<string, unknown> }));

async function deliver(event: BusEvent) {
  runtime.bus.inject(runtime.names.bus, event as never);
  await runtime.settle();
}
async function approveLink(remediationId: string) {
  const link = new URL(String(emitted(remediationId)[0]!.detail.remediation.approvalUrl));
  const response = (await invokeFunction("approve", { rawPath: "/approve", queryStringParameters: { remediationId, token: link.searchParams.get("token")!, decision: "approve" } })) as { statusCode: number; body: string };
  await runtime.settle();
  return { status: response.statusCode, body: JSON.parse(response.body) as Record<string, unknown> };
}

describe.skipIf(!motoAvailable)(`remediation playbooks replayed against moto_server (${motoAvailable ? "moto_server found" : MOTO_MISSING})`, { timeout: 120_000 }, () => {
  beforeAll(async () => {
    moto = (await startMoto())!;
    // The playbooks find moto through the generic endpoint; the runtime's own services keep their specific ones.
    Object.assign(process.env, { AWS_ENDPOINT_URL: moto.endpoint, AWS_REGION: REGION, VIGIL_APPROVAL_KEY: KEY });
    resetPlaybookClients();
    runtime = await startRuntime({ config: parseConfig(JSON.stringify(CONFIG)), clock: new VirtualClock(T0), onDeadLetter: (l) => deadLetters.push(l) });
    handler = (await import("../../../functions/remediator")).handler as never;
    const options = { endpoint: moto.endpoint, region: REGION, credentials: { accessKeyId: "testing", secretAccessKey: "testing" } };
    ec2 = new EC2Client(options);
    iam = new IAMClient(options);
  }, 120_000);
  beforeEach(async () => {
    await moto.reset();
    deadLetters.length = 0;
  });
  afterAll(async () => {
    resetPlaybookClients();
    [ec2, iam].forEach((c) => c?.destroy());
    await runtime?.close();
    process.env = saved;
    await moto?.stop();
  });

  describe("ec2.release-unassociated-address", () => {
    async function address(tags: Record<string, string> = {}) {
      const { AllocationId } = await ec2.send(new AllocateAddressCommand({ Domain: "vpc" }));
      const Tags = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
      if (Tags.length > 0) await ec2.send(new CreateTagsCommand({ Resources: [AllocationId!], Tags }));
      return AllocationId!;
    }
    const disassociated = (allocationId: string, lane: string, at: number) => cloudTrail("aws.ec2", "DisassociateAddress", lane, at, { request: { allocationId } });
    const allocated = async (allocationId: string) =>
      ec2.send(new DescribeAddressesCommand({ AllocationIds: [allocationId] })).then((r) => (r.Addresses ?? []).length === 1, () => false);
    const rid = (policy: string, allocationId: string, event: BusEvent) => remediationIdOf(policy, ec2Arn("elastic-ip", allocationId), event.id);

    it("auto: releases the unassociated address", async () => {
      const id = await address();
      const event = disassociated(id, "auto", T0);
      await deliver(event);
      expect(await allocated(id)).toBe(false);
      expect(kinds(rid("eip-auto", id, event))).toEqual(["Remediation Planned", "Remediation Executed"]);
      expect(deadLetters).toEqual([]);
    });

    it("dry-run: plans, skips, and keeps the address", async () => {
      const id = await address();
      const event = disassociated(id, "dry", T0 + DAY);
      await deliver(event);
      expect(await allocated(id)).toBe(true);
      expect(reasonOf(rid("eip-dry", id, event))).toBe("dry_run");
    });

    it("approve: nothing changes before the approval, the address is released after it", async () => {
      const id = await address();
      const event = disassociated(id, "approve", T0 + 2 * DAY);
      await deliver(event);
      const r = rid("eip-approve", id, event);
      expect((await item(r))?.status).toBe("pending-approval");
      expect(await allocated(id)).toBe(true);
      expect(await approveLink(r)).toMatchObject({ status: 200, body: { status: "executed" } });
      expect(await allocated(id)).toBe(false);
    });

    it("protected tag: a vigil:protect=true address is not released", async () => {
      const id = await address({ "vigil:protect": "true" });
      const event = disassociated(id, "auto", T0 + 3 * DAY);
      await deliver(event);
      expect(await allocated(id)).toBe(true);
      expect(reasonOf(rid("eip-auto", id, event))).toMatch(/^guardrail_blocked: protected_tag: /);
    });

    it.each([
      ["rate", "eip-rate", 4, /^guardrail_blocked: rate_limit: policy eip-rate already ran 1 action/],
      ["account", "eip-account", 5, new RegExp(`^guardrail_blocked: rate_limit: account ${ACCOUNT} already ran 1 action`)],
      ["blast", "eip-blast", 6, /^guardrail_blocked: blast_radius: policy eip-blast would touch 2 resources/],
    ])("%s guardrail: the second address within the window is left allocated", async (lane, policy, day, reason) => {
      const [a, b] = [await address(), await address()];
      const first = disassociated(a, lane, T0 + day * DAY);
      const second = disassociated(b, lane, T0 + day * DAY + 10 * MINUTE);
      await deliver(first);
      await deliver(second);
      expect([await allocated(a), await allocated(b)]).toEqual([false, true]);
      expect(reasonOf(rid(policy, b, second))).toMatch(reason);
      expect((await audited(rid(policy, b, second))).map((e) => e.kind)).toContain("remediation.refused");
    });

    it("change window: outside every window the address is left allocated", async () => {
      const id = await address();
      const event = disassociated(id, "window", T0 + 7 * DAY);
      await deliver(event);
      expect(await allocated(id)).toBe(true);
      expect(reasonOf(rid("eip-window", id, event))).toMatch(/^guardrail_blocked: change_window: /);
    });
  });

  describe("ec2.delete-orphaned-snapshot", () => {
    // moto dates a snapshot at creation (wall clock); event time decides its age.
    async function orphan() {
      const { VolumeId } = await ec2.send(new CreateVolumeCommand({ AvailabilityZone: `${REGION}a`, Size: 8 }));
      const { SnapshotId } = await ec2.send(new CreateSnapshotCommand({ VolumeId }));
      await ec2.send(new DeleteVolumeCommand({ VolumeId }));
      return SnapshotId!;
    }
    const created = (snapshotId: string, at: number) => cloudTrail("aws.ec2", "CreateSnapshot", "auto", at, { response: { snapshotId } });
    const exists = (snapshotId: string) => ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [snapshotId] })).then((r) => (r.Snapshots ?? []).length === 1, () => false);

    it("auto: deletes an orphan older than olderThanDays", async () => {
      const id = await orphan();
      const event = created(id, Date.now() + 31 * DAY);
      await deliver(event);
      expect(await exists(id)).toBe(false);
      expect(kinds(remediationIdOf("snap-auto", ec2Arn("snapshot", id), event.id))).toEqual(["Remediation Planned", "Remediation Executed"]);
    });

    it("keeps an orphan younger than olderThanDays (precondition)", async () => {
      const id = await orphan();
      const event = created(id, Date.now() + DAY);
      await deliver(event);
      expect(await exists(id)).toBe(true);
      expect(reasonOf(remediationIdOf("snap-auto", ec2Arn("snapshot", id), event.id))).toBe("precondition_failed: the snapshot is younger than 30 days");
    });

    it("keeps a snapshot whose volume still exists", async () => {
      const { VolumeId } = await ec2.send(new CreateVolumeCommand({ AvailabilityZone: `${REGION}a`, Size: 8 }));
      const { SnapshotId } = await ec2.send(new CreateSnapshotCommand({ VolumeId }));
      const event = created(SnapshotId!, Date.now() + 31 * DAY);
      await deliver(event);
      expect(await exists(SnapshotId!)).toBe(true);
      expect(reasonOf(remediationIdOf("snap-auto", ec2Arn("snapshot", SnapshotId!), event.id))).toBe("precondition_failed: the snapshot's volume still exists");
    });
  });

  describe("ec2.isolate-instance", () => {
    async function instance(tags: Record<string, string> = {}) {
      const { GroupId } = await ec2.send(new CreateSecurityGroupCommand({ GroupName: `app-${randomUUID().slice(0, 8)}`, Description: "app" }));
      const Tags = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
      const { Instances = [] } = await ec2.send(
        new RunInstancesCommand({
          ImageId: "ami-03cf127a", MinCount: 1, MaxCount: 1, InstanceType: "t3.micro", SecurityGroupIds: [GroupId!],
          ...(Tags.length > 0 ? { TagSpecifications: [{ ResourceType: "instance", Tags }] } : {}),
        }),
      );
      return { instanceId: Instances[0]!.InstanceId!, groupId: GroupId! };
    }
    const groupsOf = async (instanceId: string) =>
      ((await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }))).Reservations?.[0]?.Instances?.[0]?.SecurityGroups ?? []).map((g) => g.GroupName);
    const forensics = async (remediationId: string) =>
      (await ec2.send(new DescribeSnapshotsCommand({ Filters: [{ Name: "tag:vigil:remediation", Values: [remediationId] }] }))).Snapshots ?? [];
    const rid = (policy: string, instanceId: string, event: BusEvent) => remediationIdOf(policy, ec2Arn("instance", instanceId), event.id);

    it("auto, from a GuardDuty finding: snapshots the volumes and swaps in a rule-less quarantine group", async () => {
      const { instanceId } = await instance();
      const event = guardDuty("UnauthorizedAccess:EC2/SSHBruteForce", instanceId, T0 + 10 * DAY);
      await deliver(event);
      const r = rid("isolate-auto", instanceId, event);
      expect(await groupsOf(instanceId)).toEqual(["vigil-quarantine"]);
      const { SecurityGroups = [] } = await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: "group-name", Values: ["vigil-quarantine"] }] }));
      expect(SecurityGroups.map((g) => [g.IpPermissions, g.IpPermissionsEgress])).toEqual([[[], []]]);
      expect((await forensics(r)).length).toBeGreaterThan(0);
      expect(kinds(r)).toEqual(["Remediation Planned", "Remediation Executed"]);
    });

    it("idempotency: the same finding delivered twice isolates once (one set of forensic snapshots)", async () => {
      const { instanceId } = await instance();
      const event = guardDuty("UnauthorizedAccess:EC2/SSHBruteForce", instanceId, T0 + 11 * DAY);
      await deliver(event);
      const r = rid("isolate-auto", instanceId, event);
      const snapshots = (await forensics(r)).length;
      expect(await handler(event, context())).toEqual([{ remediationId: r, duplicate: true }]);
      await deliver(event);
      expect((await forensics(r)).length).toBe(snapshots);
      expect((await audited(r)).filter((e) => e.kind === "remediation.action-started")).toHaveLength(1);
      expect(kinds(r).filter((k) => k === "Remediation Executed")).toHaveLength(1);
    });

    it("protected tag: a vigil:protect=true instance keeps its groups", async () => {
      const { instanceId, groupId } = await instance({ "vigil:protect": "true" });
      const event = guardDuty("UnauthorizedAccess:EC2/SSHBruteForce", instanceId, T0 + 12 * DAY);
      await deliver(event);
      const [group] = (await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }))).SecurityGroups ?? [];
      expect(await groupsOf(instanceId)).toEqual([group!.GroupName]);
      expect(reasonOf(rid("isolate-auto", instanceId, event))).toMatch(/^guardrail_blocked: protected_tag: /);
    });

    it("dry-run: plans and leaves the instance as it is", async () => {
      const { instanceId } = await instance();
      const before = await groupsOf(instanceId);
      const event = guardDuty("Recon:EC2/PortProbeUnprotectedPort", instanceId, T0 + 13 * DAY);
      await deliver(event);
      expect(await groupsOf(instanceId)).toEqual(before);
      expect(kinds(rid("isolate-dry", instanceId, event))).toEqual(["Remediation Planned", "Remediation Skipped"]);
    });

    it("approve: isolated only once approved through the link", async () => {
      const { instanceId } = await instance();
      const before = await groupsOf(instanceId);
      const event = guardDuty("Backdoor:EC2/C&CActivity.B", instanceId, T0 + 14 * DAY);
      await deliver(event);
      const r = rid("isolate-approve", instanceId, event);
      expect(await groupsOf(instanceId)).toEqual(before);
      expect(await forensics(r)).toEqual([]);
      expect(await approveLink(r)).toMatchObject({ status: 200, body: { status: "executed" } });
      expect(await groupsOf(instanceId)).toEqual(["vigil-quarantine"]);
    });
  });

  describe("iam.expire-jit-access", () => {
    const POLICY_ARN = `arn:aws:iam::${ACCOUNT}:policy/jit-admin`;
    async function grant(user: string) {
      await iam.send(new CreateUserCommand({ UserName: user }));
      await iam.send(new CreatePolicyCommand({ PolicyName: "jit-admin", PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }) }));
      await iam.send(new AttachUserPolicyCommand({ UserName: user, PolicyArn: POLICY_ARN }));
    }
    const attached = async (user: string) => ((await iam.send(new ListAttachedUserPoliciesCommand({ UserName: user }))).AttachedPolicies ?? []).map((p) => p.PolicyArn);
    const tick = (at: number) => ({
      version: "0", id: `tick-${at}`, "detail-type": "Scheduled Event", source: "aws.events", account: ACCOUNT,
      time: new Date(at).toISOString(), region: REGION, resources: [], detail: {},
    });

    it("auto: keeps the grant for maxDurationMinutes, then a schedule tick detaches the policy", async () => {
      await grant("oncall");
      const at = T0 + 20 * DAY;
      const event = cloudTrail("aws.iam", "AttachUserPolicy", "auto", at, { request: { userName: "oncall", policyArn: POLICY_ARN } });
      await deliver(event);
      const r = remediationIdOf("jit-auto", `arn:aws:iam::${ACCOUNT}:user/oncall`, event.id);
      expect((await item(r))?.status).toBe("planned");
      expect(await handler(tick(at + 30 * MINUTE), context())).toEqual([]);
      expect(await attached("oncall")).toEqual([POLICY_ARN]);
      expect(await handler(tick(at + 61 * MINUTE), context())).toEqual([{ remediationId: r, status: "executed" }]);
      await runtime.settle();
      expect(await attached("oncall")).toEqual([]);
      expect(kinds(r)).toEqual(["Remediation Planned", "Remediation Executed"]);
      expect(await handler(tick(at + 62 * MINUTE), context())).toEqual([]);
    });
  });

  describe("ssm.start-automation (moto 5.2 has no SSM Automation: the SSM client is mocked, the rest is real)", () => {
    const ssm = mockClient(SSMClient);
    afterAll(() => ssm.restore());

    it("auto: starts the runbook with the resource id filled in, and records the execution id", async () => {
      ssm.on(StartAutomationExecutionCommand).resolves({ AutomationExecutionId: "exec-1" });
      const event = cloudTrail("aws.s3", "CreateBucket", "auto", T0 + 30 * DAY, { request: { bucketName: "logs" }, resources: ["arn:aws:s3:::logs"] });
      await deliver(event);
      const r = remediationIdOf("ssm-auto", "arn:aws:s3:::logs", event.id);
      expect(ssm.commandCalls(StartAutomationExecutionCommand).map((c) => c.args[0].input)).toEqual([
        { DocumentName: "AWS-DisableS3BucketPublicReadWrite", Parameters: { S3BucketName: ["arn:aws:s3:::logs"] } },
      ]);
      expect(kinds(r)).toEqual(["Remediation Planned", "Remediation Executed"]);
      const finished = (await audited(r)).find((e) => e.kind === "remediation.action-finished");
      expect(finished?.payload).toMatchObject({ outcome: "executed", results: [{ AutomationExecutionId: "exec-1" }] });
    });
  });
});
