import { CreateSecurityGroupCommand, CreateSnapshotsCommand, DescribeInstancesCommand, DescribeSecurityGroupRulesCommand, DescribeSecurityGroupsCommand, EC2Client, ModifyInstanceAttributeCommand, RevokeSecurityGroupEgressCommand, RevokeSecurityGroupIngressCommand } from "@aws-sdk/client-ec2";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { resetPlaybookClients } from "../../../functions/lib/playbooks/clients";
import { capture, checkPreconditions, execute } from "../../../functions/lib/playbooks/execute";
import { awsError, inputOf, operations } from "./aws-mocks";
import { NOW, planFor } from "./plans";

const ec2 = mockClient(EC2Client);
beforeEach(() => ec2.reset());
afterEach(() => resetPlaybookClients());

describe("ec2.revoke-open-ingress", () => {
  const plan = planFor("ec2.revoke-open-ingress", {
    kind: "security-group",
    groupId: "sg-1",
    openRules: [
      { ipProtocol: "tcp", fromPort: 22, toPort: 22, cidr: "0.0.0.0/0" },
      { ipProtocol: "tcp", fromPort: 3389, toPort: 3389, cidr: "::/0" },
    ],
  });
  const ssh = { SecurityGroupRuleId: "sgr-1", GroupId: "sg-1", IsEgress: false, IpProtocol: "tcp", FromPort: 22, ToPort: 22, CidrIpv4: "0.0.0.0/0" };
  const rdp = { SecurityGroupRuleId: "sgr-2", GroupId: "sg-1", IsEgress: false, IpProtocol: "tcp", FromPort: 3389, ToPort: 3389, CidrIpv6: "::/0" };

  it("revokes the world-open rules still in the group, and only those", async () => {
    ec2.on(DescribeSecurityGroupRulesCommand).resolvesOnce({ SecurityGroupRules: [ssh] }).resolves({ SecurityGroupRules: [] });
    ec2.on(RevokeSecurityGroupIngressCommand).resolves({ Return: true });
    const before = await capture(plan);
    expect(checkPreconditions(plan, before, NOW)).toEqual({ ok: true });
    await execute(plan, before);
    expect(operations(ec2)).toEqual(["DescribeSecurityGroupRules", "RevokeSecurityGroupIngress", "DescribeSecurityGroupRules"]);
    expect(inputOf(ec2, 0)).toEqual({ Filters: [{ Name: "group-id", Values: ["sg-1"] }] });
    expect(inputOf(ec2, 1)).toEqual({ GroupId: "sg-1", IpPermissions: [{ IpProtocol: "tcp", FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: "0.0.0.0/0" }] }] });
  });

  it("revokes both families when both are still open", async () => {
    ec2.on(RevokeSecurityGroupIngressCommand).resolves({ Return: true });
    ec2.on(DescribeSecurityGroupRulesCommand).resolves({ SecurityGroupRules: [] });
    await execute(plan, { SecurityGroupRules: [ssh, rdp] });
    expect((inputOf(ec2, 0) as { IpPermissions: unknown[] }).IpPermissions).toHaveLength(2);
  });

  it("refuses when no rule is open to the world any more (narrowed to a /32 or already revoked)", async () => {
    ec2.on(DescribeSecurityGroupRulesCommand).resolves({ SecurityGroupRules: [{ ...ssh, CidrIpv4: "198.51.100.7/32" }, { ...rdp, IsEgress: true }] });
    expect(checkPreconditions(plan, await capture(plan), NOW)).toEqual({ ok: false, reason: "no rule open to the world remains in the group" });
  });

  it("treats a group deleted between capture and revoke as gone", async () => {
    ec2.on(RevokeSecurityGroupIngressCommand).rejects(awsError("InvalidGroup.NotFound"));
    await expect(execute(plan, { SecurityGroupRules: [ssh] })).rejects.toMatchObject({ name: "ResourceGoneError", awsCode: "InvalidGroup.NotFound" });
  });
});

describe("ec2.isolate-instance", () => {
  const plan = planFor("ec2.isolate-instance", { kind: "instance", instanceId: "i-1" });
  const instance = { InstanceId: "i-1", VpcId: "vpc-1", State: { Name: "running" as const }, SecurityGroups: [{ GroupId: "sg-a" }, { GroupId: "sg-b" }] };

  it("snapshots the volumes, creates a rule-less quarantine group and swaps the instance onto it", async () => {
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [instance] }] });
    ec2.on(CreateSnapshotsCommand).resolves({ Snapshots: [{ SnapshotId: "snap-1" }] });
    ec2.on(CreateSecurityGroupCommand).resolves({ GroupId: "sg-q" });
    ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [{ GroupId: "sg-q", IpPermissions: [], IpPermissionsEgress: [{ IpProtocol: "-1", IpRanges: [{ CidrIp: "0.0.0.0/0" }] }] }] });
    ec2.on(RevokeSecurityGroupEgressCommand).resolves({ Return: true });
    ec2.on(ModifyInstanceAttributeCommand).resolves({});
    const before = await capture(plan);
    expect(checkPreconditions(plan, before, NOW)).toEqual({ ok: true });
    await execute(plan, before);
    expect(operations(ec2)).toEqual(["DescribeInstances", "CreateSnapshots", "CreateSecurityGroup", "DescribeSecurityGroups", "RevokeSecurityGroupEgress", "ModifyInstanceAttribute", "DescribeInstances"]);
    expect(inputOf(ec2, 2)).toMatchObject({ GroupName: "vigil-quarantine", VpcId: "vpc-1" });
    expect(inputOf(ec2, 5)).toEqual({ InstanceId: "i-1", Groups: ["sg-q"] });
  });

  it("reuses an existing quarantine group of the same VPC", async () => {
    ec2.on(CreateSnapshotsCommand).resolves({ Snapshots: [] });
    ec2.on(CreateSecurityGroupCommand).rejects(awsError("InvalidGroup.Duplicate"));
    ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [{ GroupId: "sg-old", IpPermissions: [], IpPermissionsEgress: [] }] });
    ec2.on(ModifyInstanceAttributeCommand).resolves({});
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [instance] }] });
    await execute(plan, { Reservations: [{ Instances: [instance] }] });
    expect(inputOf(ec2, 2)).toEqual({ Filters: [{ Name: "group-name", Values: ["vigil-quarantine"] }, { Name: "vpc-id", Values: ["vpc-1"] }] });
    expect(inputOf(ec2, 3)).toEqual({ InstanceId: "i-1", Groups: ["sg-old"] });
  });

  it("refuses a terminated instance", async () => {
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [{ ...instance, State: { Name: "terminated" as const } }] }] });
    expect(checkPreconditions(plan, await capture(plan), NOW)).toEqual({ ok: false, reason: "the instance is terminated" });
  });
});
