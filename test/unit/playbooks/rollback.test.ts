import { AllocateAddressCommand, AuthorizeSecurityGroupIngressCommand, CreateVolumeCommand, DescribeAddressesCommand, DescribeInstancesCommand, DescribeSecurityGroupRulesCommand, DescribeVolumesCommand, EC2Client, ModifyInstanceAttributeCommand } from "@aws-sdk/client-ec2";
import { AttachRolePolicyCommand, GetAccessKeyLastUsedCommand, IAMClient, PutUserPolicyCommand, UpdateAccessKeyCommand } from "@aws-sdk/client-iam";
import { DeletePublicAccessBlockCommand, GetPublicAccessBlockCommand, PutPublicAccessBlockCommand, S3Client } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { resetPlaybookClients } from "../../../functions/lib/playbooks/clients";
import { executeRollback, RollbackUnsupportedError } from "../../../functions/lib/playbooks/rollback";
import { awsError, inputOf, operations } from "./aws-mocks";
import { planFor } from "./plans";

const ec2 = mockClient(EC2Client);
const s3 = mockClient(S3Client);
const iam = mockClient(IAMClient);
beforeEach(() => [ec2, s3, iam].forEach((m) => m.reset()));
afterEach(() => resetPlaybookClients());

describe("executeRollback", () => {
  it("s3.block-public-access puts the previous block back", async () => {
    const previous = { BlockPublicAcls: true, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false };
    s3.on(PutPublicAccessBlockCommand).resolves({});
    s3.on(GetPublicAccessBlockCommand).resolves({ PublicAccessBlockConfiguration: previous });
    const { after } = await executeRollback(planFor("s3.block-public-access", { kind: "s3-bucket", bucket: "b1" }), { PublicAccessBlockConfiguration: previous }, []);
    expect(operations(s3)).toEqual(["PutPublicAccessBlock", "GetPublicAccessBlock"]);
    expect(inputOf(s3, 0)).toEqual({ Bucket: "b1", PublicAccessBlockConfiguration: previous });
    expect(after).toEqual({ PublicAccessBlockConfiguration: previous });
  });

  it("s3.block-public-access deletes the block when the bucket had none", async () => {
    s3.on(DeletePublicAccessBlockCommand).resolves({});
    s3.on(GetPublicAccessBlockCommand).rejects(awsError("NoSuchPublicAccessBlockConfiguration"));
    const { after } = await executeRollback(planFor("s3.block-public-access", { kind: "s3-bucket", bucket: "b1" }), {}, []);
    expect(operations(s3)).toEqual(["DeletePublicAccessBlock", "GetPublicAccessBlock"]);
    expect(after).toEqual({});
  });

  it("ec2.revoke-open-ingress re-authorizes only the world-open rules the group had", async () => {
    const plan = planFor("ec2.revoke-open-ingress", {
      kind: "security-group",
      groupId: "sg-1",
      openRules: [
        { ipProtocol: "tcp", fromPort: 22, toPort: 22, cidr: "0.0.0.0/0" },
        { ipProtocol: "tcp", fromPort: 3389, toPort: 3389, cidr: "0.0.0.0/0" },
      ],
    });
    ec2.on(AuthorizeSecurityGroupIngressCommand).resolves({ Return: true });
    ec2.on(DescribeSecurityGroupRulesCommand).resolves({ SecurityGroupRules: [] });
    await executeRollback(plan, { SecurityGroupRules: [{ IsEgress: false, IpProtocol: "tcp", FromPort: 22, ToPort: 22, CidrIpv4: "0.0.0.0/0" }] }, []);
    expect(inputOf(ec2, 0)).toEqual({ GroupId: "sg-1", IpPermissions: [{ IpProtocol: "tcp", FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: "0.0.0.0/0" }] }] });
  });

  it("ec2.isolate-instance restores every original security group", async () => {
    ec2.on(ModifyInstanceAttributeCommand).resolves({});
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [] });
    const before = { Reservations: [{ Instances: [{ InstanceId: "i-1", SecurityGroups: [{ GroupId: "sg-a" }, { GroupId: "sg-b" }] }] }] };
    await executeRollback(planFor("ec2.isolate-instance", { kind: "instance", instanceId: "i-1" }), before, []);
    expect(inputOf(ec2, 0)).toEqual({ InstanceId: "i-1", Groups: ["sg-a", "sg-b"] });
  });

  it("ec2.delete-unattached-volume recreates the volume from the snapshot the action took", async () => {
    ec2.on(CreateVolumeCommand).resolves({ VolumeId: "vol-new" });
    ec2.on(DescribeVolumesCommand).rejects(awsError("InvalidVolume.NotFound"));
    const before = { Volumes: [{ VolumeId: "vol-1", AvailabilityZone: "us-east-1a", VolumeType: "gp3" }] };
    const { results } = await executeRollback(planFor("ec2.delete-unattached-volume", { kind: "volume", volumeId: "vol-1" }), before, [{ SnapshotId: "snap-9" }, {}]);
    expect(inputOf(ec2, 0)).toEqual({ SnapshotId: "snap-9", AvailabilityZone: "us-east-1a", VolumeType: "gp3" });
    expect(results).toEqual([{ VolumeId: "vol-new" }]);
  });

  it("ec2.release-unassociated-address asks for the same public IP back", async () => {
    ec2.on(AllocateAddressCommand).resolves({ AllocationId: "eipalloc-2", PublicIp: "203.0.113.7" });
    ec2.on(DescribeAddressesCommand).resolves({ Addresses: [] });
    await executeRollback(planFor("ec2.release-unassociated-address", { kind: "address", allocationId: "eipalloc-1" }), { Addresses: [{ PublicIp: "203.0.113.7" }] }, []);
    expect(inputOf(ec2, 0)).toEqual({ Domain: "vpc", Address: "203.0.113.7" });
  });

  it("iam.deactivate-access-key reactivates the key of the user found before", async () => {
    iam.on(UpdateAccessKeyCommand).resolves({});
    iam.on(GetAccessKeyLastUsedCommand).resolves({ UserName: "alice" });
    await executeRollback(planFor("iam.deactivate-access-key", { kind: "access-key", accessKeyId: "AKIA1" }), { UserName: "alice" }, []);
    expect(inputOf(iam, 0)).toEqual({ AccessKeyId: "AKIA1", UserName: "alice", Status: "Active" });
  });

  it("iam.expire-jit-access re-attaches a managed policy and puts an inline one back with its document", async () => {
    iam.on(AttachRolePolicyCommand).resolves({});
    await executeRollback(planFor("iam.expire-jit-access", { kind: "iam-grant", principal: { type: "role", name: "ops" }, grant: { type: "managed-policy", policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" } }), {}, []);
    expect(inputOf(iam, 0)).toEqual({ RoleName: "ops", PolicyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" });
    iam.reset();
    iam.on(PutUserPolicyCommand).resolves({});
    await executeRollback(planFor("iam.expire-jit-access", { kind: "iam-grant", principal: { type: "user", name: "bob" }, grant: { type: "inline-policy", policyName: "jit" } }), { PolicyDocument: "%7B%7D" }, []);
    expect(inputOf(iam, 0)).toEqual({ UserName: "bob", PolicyName: "jit", PolicyDocument: "%7B%7D" });
  });

  it("refuses a playbook without rollback before calling AWS, with the playbook's reason", async () => {
    const plan = planFor("ec2.delete-orphaned-snapshot", { kind: "snapshot", snapshotId: "snap-1" });
    const error = await executeRollback(plan, {}, []).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RollbackUnsupportedError);
    expect(error).toMatchObject({ code: "playbook.rollback_unsupported", message: expect.stringContaining("cannot be recovered") });
    expect(ec2.calls()).toEqual([]);
  });

  it("refuses a volume rollback whose snapshot result was not recorded, before calling AWS", async () => {
    const plan = planFor("ec2.delete-unattached-volume", { kind: "volume", volumeId: "vol-1" });
    await expect(executeRollback(plan, { Volumes: [{ AvailabilityZone: "us-east-1a", VolumeType: "gp3" }] }, [])).rejects.toMatchObject({ code: "playbook.unresolved_reference" });
    expect(ec2.calls()).toEqual([]);
  });
});
