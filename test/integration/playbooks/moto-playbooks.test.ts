import { AuthorizeSecurityGroupIngressCommand, CreateSecurityGroupCommand, CreateVolumeCommand, DescribeSecurityGroupRulesCommand, DescribeSnapshotsCommand, DescribeVolumesCommand, EC2Client } from "@aws-sdk/client-ec2";
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, ListAccessKeysCommand } from "@aws-sdk/client-iam";
import { CreateBucketCommand, GetPublicAccessBlockCommand, PutBucketAclCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { resetPlaybookClients } from "../../../functions/lib/playbooks/clients";
import { capture, checkPreconditions, execute } from "../../../functions/lib/playbooks/execute";
import { MOTO_MISSING, motoAvailable, startMoto, type MotoHandle } from "../../support/moto";
import { planFor } from "../../unit/playbooks/plans";

const ENV = { AWS_REGION: "us-east-1", AWS_ACCESS_KEY_ID: "testing", AWS_SECRET_ACCESS_KEY: "testing" };

describe.skipIf(!motoAvailable)(`playbooks against moto_server (${motoAvailable ? "moto_server found" : MOTO_MISSING})`, () => {
  let moto: MotoHandle;
  let ec2: EC2Client;
  let s3: S3Client;
  let iam: IAMClient;
  const saved = { ...process.env };

  beforeAll(async () => {
    moto = (await startMoto())!;
    // The playbooks' own clients find moto through the standard chain, as `vigil replay` would.
    Object.assign(process.env, ENV, { AWS_ENDPOINT_URL: moto.endpoint });
    resetPlaybookClients();
    const options = { endpoint: moto.endpoint, region: ENV.AWS_REGION, credentials: { accessKeyId: "testing", secretAccessKey: "testing" } };
    ec2 = new EC2Client(options);
    s3 = new S3Client({ ...options, forcePathStyle: true });
    iam = new IAMClient(options);
  });
  beforeEach(() => moto.reset());
  afterAll(async () => {
    resetPlaybookClients();
    [ec2, s3, iam].forEach((c) => c?.destroy());
    process.env = saved;
    await moto?.stop();
  });

  async function publicBucket(name: string) {
    await s3.send(new CreateBucketCommand({ Bucket: name }));
    await s3.send(new PutBucketAclCommand({ Bucket: name, ACL: "public-read" }));
    return planFor("s3.block-public-access", { kind: "s3-bucket", bucket: name });
  }

  it("s3.block-public-access blocks all public access on a public bucket", async () => {
    const plan = await publicBucket("vigil-public-1");
    const before = await capture(plan);
    expect(checkPreconditions(plan, before)).toEqual({ ok: true });
    const { after } = await execute(plan, before);
    const block = await s3.send(new GetPublicAccessBlockCommand({ Bucket: "vigil-public-1" }));
    expect(block.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true });
    expect(after).toEqual({ PublicAccessBlockConfiguration: block.PublicAccessBlockConfiguration });
  });

  it("dry-run (plan and capture, no execute) leaves the bucket public", async () => {
    const plan = await publicBucket("vigil-public-2");
    expect(await capture(plan)).toEqual({});
    await expect(s3.send(new GetPublicAccessBlockCommand({ Bucket: "vigil-public-2" }))).rejects.toMatchObject({ name: "NoSuchPublicAccessBlockConfiguration" });
  });

  it("ec2.revoke-open-ingress revokes the world-open rule and keeps the private one", async () => {
    const { GroupId } = await ec2.send(new CreateSecurityGroupCommand({ GroupName: "web", Description: "web" }));
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({
      GroupId,
      IpPermissions: [
        { IpProtocol: "tcp", FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: "0.0.0.0/0" }] },
        { IpProtocol: "tcp", FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: "10.0.0.0/8" }] },
      ],
    }));
    const plan = planFor("ec2.revoke-open-ingress", { kind: "security-group", groupId: GroupId!, openRules: [{ ipProtocol: "tcp", fromPort: 22, toPort: 22, cidr: "0.0.0.0/0" }] });
    const before = await capture(plan);
    expect(checkPreconditions(plan, before)).toEqual({ ok: true });
    await execute(plan, before);
    const { SecurityGroupRules = [] } = await ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: "group-id", Values: [GroupId!] }] }));
    const ingress = SecurityGroupRules.filter((r) => !r.IsEgress).map((r) => `${r.FromPort}:${r.CidrIpv4}`);
    expect(ingress).toEqual(["443:10.0.0.0/8"]);
    expect(checkPreconditions(plan, await capture(plan))).toEqual({ ok: false, reason: "no rule open to the world remains in the group" });
  });

  it("ec2.delete-unattached-volume snapshots the volume, then deletes it", async () => {
    const { VolumeId } = await ec2.send(new CreateVolumeCommand({ AvailabilityZone: "us-east-1a", Size: 8 }));
    const plan = planFor("ec2.delete-unattached-volume", { kind: "volume", volumeId: VolumeId! });
    const before = await capture(plan);
    expect(checkPreconditions(plan, before)).toEqual({ ok: true });
    const { results, after } = await execute(plan, before, { snapshotWait: { maxSeconds: 10, pollSeconds: 0.2 } });
    await expect(ec2.send(new DescribeVolumesCommand({ VolumeIds: [VolumeId!] }))).rejects.toMatchObject({ name: "InvalidVolume.NotFound" });
    const { Snapshots = [] } = await ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [results[0]!.SnapshotId as string] }));
    expect(Snapshots[0]).toMatchObject({ VolumeId, Tags: [{ Key: "vigil:remediation", Value: plan.remediationId }] });
    expect(after).toEqual({ gone: true });
  });

  it("a volume already gone is a ResourceGoneError, not a failure", async () => {
    const plan = planFor("ec2.delete-unattached-volume", { kind: "volume", volumeId: "vol-0123456789abcdef0" });
    await expect(capture(plan)).rejects.toMatchObject({ name: "ResourceGoneError", code: "playbook.resource_gone" });
  });

  it("iam.deactivate-access-key finds the key's user and deactivates the key", async () => {
    await iam.send(new CreateUserCommand({ UserName: "alice" }));
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: "alice" }));
    const plan = planFor("iam.deactivate-access-key", { kind: "access-key", accessKeyId: AccessKey!.AccessKeyId! });
    await execute(plan, await capture(plan));
    const { AccessKeyMetadata = [] } = await iam.send(new ListAccessKeysCommand({ UserName: "alice" }));
    expect(AccessKeyMetadata.map((k) => [k.AccessKeyId, k.Status])).toEqual([[AccessKey!.AccessKeyId, "Inactive"]]);
  });
});
