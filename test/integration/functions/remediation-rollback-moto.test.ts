import { randomUUID } from "node:crypto";
import { AuthorizeSecurityGroupIngressCommand, CreateSecurityGroupCommand, DescribeInstancesCommand, DescribeSecurityGroupRulesCommand, EC2Client, RunInstancesCommand } from "@aws-sdk/client-ec2";
import { CreateBucketCommand, GetPublicAccessBlockCommand, PutPublicAccessBlockCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parseConfig } from "../../../core/config";
import { publishEvents } from "../../../core/publish/publisher";
import { remediationEventId, remediationIdOf } from "../../../core/remediation";
import { createStore } from "../../../core/store/service";
import { resetPlaybookClients } from "../../../functions/lib/playbooks/clients";
import type { RemediationContext } from "../../../functions/lib/remediation-audit";
import { rollbackRemediation } from "../../../functions/lib/remediation-rollback";
import { VirtualClock } from "../../../local/clock";
import { startRuntime, type Runtime } from "../../../local/runtime";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { MOTO_MISSING, motoAvailable, startMoto, type MotoHandle } from "../../support/moto";

const ACCOUNT = "123456789012";
const REGION = "us-east-1";
const T0 = Date.parse("2025-11-03T14:00:00Z");
const trail = (source: string, names: string[]) => ({ source: [source], "detail-type": ["AWS API Call via CloudTrail"], detail: { eventName: names } });
const CONFIG = {
  remediation: {
    policies: [
      { name: "s3-auto", on: trail("aws.s3", ["PutBucketAcl"]), action: "s3.block-public-access", mode: "auto" },
      { name: "ingress-auto", on: trail("aws.ec2", ["AuthorizeSecurityGroupIngress"]), action: "ec2.revoke-open-ingress", mode: "auto" },
      { name: "isolate-auto", on: { source: ["aws.guardduty"], "detail-type": ["GuardDuty Finding"] }, action: "ec2.isolate-instance", mode: "auto" },
      { name: "s3-dry", on: trail("aws.s3", ["PutBucketPolicy"]), action: "s3.block-public-access" },
    ],
  },
};
const ALL = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true };

function busEvent(source: string, detailType: string, detail: object) {
  return { version: "0", id: randomUUID(), "detail-type": detailType, source, account: ACCOUNT, time: new Date(T0).toISOString(), region: REGION, resources: [], detail };
}
const cloudTrail = (source: string, eventName: string, requestParameters: object) =>
  busEvent(source, "AWS API Call via CloudTrail", { eventName, awsRegion: REGION, recipientAccountId: ACCOUNT, requestParameters });

describe.skipIf(!motoAvailable)(`rollback against moto_server (${motoAvailable ? "moto_server found" : MOTO_MISSING})`, { timeout: 120_000 }, () => {
  let runtime: Runtime;
  let moto: MotoHandle;
  let ec2: EC2Client;
  let s3: S3Client;
  let eventbridge: EventBridgeClient;
  const saved = { ...process.env };

  const store = () => createStore({ client: runtime.dynamodb, table: runtime.names.table });
  const ctx = (): RemediationContext => ({
    store: store(),
    chainId: "vigil",
    now: new Date(T0 + 3600_000),
    actor: "cli:test",
    publish: (entries) => publishEvents(eventbridge, runtime.names.bus, entries),
  });
  const emitted = (remediationId: string) =>
    runtime.bus.accepted
      .filter((a) => a.via === "PutEvents" && String(a.event["detail-type"]).startsWith("Remediation "))
      .map((a) => a.event as unknown as { "detail-type": string; detail: { id: string; eventId: string; remediation: Record<string, unknown> } })
      .filter((e) => e.detail.id === remediationId);
  const kinds = async (remediationId: string) =>
    (await store().entities.auditEntry.query.byChain({ chainId: "vigil" }).go({ pages: "all" })).data.filter((e) => e.subjectId === remediationId).map((e) => e.kind);
  async function deliver(event: { id: string }) {
    runtime.bus.inject(runtime.names.bus, event as never);
    await runtime.settle();
  }
  const block = (bucket: string) => s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket })).then((r) => r.PublicAccessBlockConfiguration, (e: Error) => e.name);

  beforeAll(async () => {
    moto = (await startMoto())!;
    Object.assign(process.env, { AWS_ENDPOINT_URL: moto.endpoint, AWS_REGION: REGION });
    resetPlaybookClients();
    runtime = await startRuntime({ config: parseConfig(JSON.stringify(CONFIG)), clock: new VirtualClock(T0) });
    eventbridge = new EventBridgeClient({});
    const options = { endpoint: moto.endpoint, region: REGION, credentials: { accessKeyId: "testing", secretAccessKey: "testing" } };
    ec2 = new EC2Client(options);
    s3 = new S3Client({ ...options, forcePathStyle: true });
  }, 120_000);
  beforeEach(() => moto.reset());
  afterAll(async () => {
    resetPlaybookClients();
    [ec2, s3, eventbridge].forEach((c) => c?.destroy());
    await runtime?.close();
    process.env = saved;
    await moto?.stop();
  });

  it("s3.block-public-access: restores the bucket's previous partial block, audited and published as a rollback", async () => {
    await s3.send(new CreateBucketCommand({ Bucket: "partly-open" }));
    const previous = { BlockPublicAcls: true, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false };
    await s3.send(new PutPublicAccessBlockCommand({ Bucket: "partly-open", PublicAccessBlockConfiguration: previous }));
    const event = cloudTrail("aws.s3", "PutBucketAcl", { bucketName: "partly-open", "x-amz-acl": ["public-read"] });
    await deliver(event);
    const rid = remediationIdOf("s3-auto", "arn:aws:s3:::partly-open", event.id);
    expect(await block("partly-open")).toEqual(ALL);

    const result = await rollbackRemediation(ctx(), rid);
    await runtime.settle();
    expect(result).toMatchObject({ outcome: "executed", duplicate: false, after: { PublicAccessBlockConfiguration: previous } });
    expect(await block("partly-open")).toEqual(previous);
    const rollback = emitted(rid).at(-1)!;
    expect(rollback["detail-type"]).toBe("Remediation Executed");
    expect(rollback.detail.eventId).toBe(remediationEventId("Remediation Executed", rid, "rollback"));
    expect(rollback.detail.remediation).toMatchObject({ operation: "rollback", before: { PublicAccessBlockConfiguration: ALL }, after: { PublicAccessBlockConfiguration: previous } });
    expect(await kinds(rid)).toEqual(expect.arrayContaining(["remediation.rollback-started", "remediation.rollback-finished"]));
  });

  it("s3.block-public-access on a bucket that had no block: the rollback removes it; a second rollback does nothing", async () => {
    await s3.send(new CreateBucketCommand({ Bucket: "was-open" }));
    const event = cloudTrail("aws.s3", "PutBucketAcl", { bucketName: "was-open", "x-amz-acl": ["public-read"] });
    await deliver(event);
    const rid = remediationIdOf("s3-auto", "arn:aws:s3:::was-open", event.id);
    await rollbackRemediation(ctx(), rid);
    await runtime.settle();
    expect(await block("was-open")).toBe("NoSuchPublicAccessBlockConfiguration");
    const published = emitted(rid).length;
    expect(await rollbackRemediation(ctx(), rid)).toMatchObject({ outcome: "executed", duplicate: true });
    await runtime.settle();
    expect(emitted(rid)).toHaveLength(published);
  });

  it("ec2.revoke-open-ingress: re-authorizes exactly the revoked world-open rule", async () => {
    const { GroupId } = await ec2.send(new CreateSecurityGroupCommand({ GroupName: "web", Description: "web" }));
    const ssh = { IpProtocol: "tcp", FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: "0.0.0.0/0" }] };
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId, IpPermissions: [ssh] }));
    const event = cloudTrail("aws.ec2", "AuthorizeSecurityGroupIngress", {
      groupId: GroupId,
      ipPermissions: { items: [{ ipProtocol: "tcp", fromPort: 22, toPort: 22, ipRanges: { items: [{ cidrIp: "0.0.0.0/0" }] } }] },
    });
    await deliver(event);
    const ingress = async () =>
      ((await ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: "group-id", Values: [GroupId!] }] }))).SecurityGroupRules ?? [])
        .filter((r) => !r.IsEgress)
        .map((r) => `${r.FromPort}:${r.CidrIpv4}`);
    expect(await ingress()).toEqual([]);
    const rid = remediationIdOf("ingress-auto", `arn:aws:ec2:${REGION}:${ACCOUNT}:security-group/${GroupId}`, event.id);
    expect(await rollbackRemediation(ctx(), rid)).toMatchObject({ outcome: "executed" });
    expect(await ingress()).toEqual(["22:0.0.0.0/0"]);
  });

  it("ec2.isolate-instance: restores the instance's original security groups", async () => {
    const groups = await Promise.all(["app", "admin"].map(async (name) => (await ec2.send(new CreateSecurityGroupCommand({ GroupName: name, Description: name }))).GroupId!));
    const { Instances = [] } = await ec2.send(new RunInstancesCommand({ ImageId: "ami-03cf127a", MinCount: 1, MaxCount: 1, SecurityGroupIds: groups }));
    const instanceId = Instances[0]!.InstanceId!;
    const groupIds = async () => ((await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }))).Reservations?.[0]?.Instances?.[0]?.SecurityGroups ?? []).map((g) => g.GroupId).sort();
    const event = busEvent("aws.guardduty", "GuardDuty Finding", { accountId: ACCOUNT, region: REGION, type: "UnauthorizedAccess:EC2/SSHBruteForce", resource: { resourceType: "Instance", instanceDetails: { instanceId } } });
    await deliver(event);
    expect(await groupIds()).not.toEqual([...groups].sort());
    const rid = remediationIdOf("isolate-auto", `arn:aws:ec2:${REGION}:${ACCOUNT}:instance/${instanceId}`, event.id);
    expect(await rollbackRemediation(ctx(), rid)).toMatchObject({ outcome: "executed" });
    expect(await groupIds()).toEqual([...groups].sort());
  });

  it("refuses what cannot be rolled back: a dry run, an unknown id", async () => {
    await s3.send(new CreateBucketCommand({ Bucket: "dry-bucket" }));
    const event = cloudTrail("aws.s3", "PutBucketPolicy", { bucketName: "dry-bucket", bucketPolicy: { Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:GetObject" }] } });
    await deliver(event);
    const rid = remediationIdOf("s3-dry", "arn:aws:s3:::dry-bucket", event.id);
    await expect(rollbackRemediation(ctx(), rid)).rejects.toMatchObject({ code: "remediation.rollback_not_executed" });
    await expect(rollbackRemediation(ctx(), "rem-nothing")).rejects.toMatchObject({ code: "remediation.rollback_unknown_remediation" });
  });
});
