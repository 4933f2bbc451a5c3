import * as ec2 from "@aws-sdk/client-ec2";
import * as iam from "@aws-sdk/client-iam";
import * as s3 from "@aws-sdk/client-s3";
import * as ssm from "@aws-sdk/client-ssm";
import type { Step } from "../../../core/remediation";
import { UnknownOperationError } from "./errors";

/** Any SDK v3 command class: built from an input, sent by a client. */
export type CommandClass = new (input: never) => object;

/**
 * Every operation a playbook step, capture or rollback may name, per service. Listed one by one,
 * so a plan cannot make the executor call anything else.
 */
export const OPERATIONS: Record<Step["service"], Readonly<Record<string, CommandClass>>> = {
  ec2: {
    AllocateAddress: ec2.AllocateAddressCommand,
    AuthorizeSecurityGroupIngress: ec2.AuthorizeSecurityGroupIngressCommand,
    CreateSecurityGroup: ec2.CreateSecurityGroupCommand,
    CreateSnapshot: ec2.CreateSnapshotCommand,
    CreateSnapshots: ec2.CreateSnapshotsCommand,
    CreateVolume: ec2.CreateVolumeCommand,
    DeleteSnapshot: ec2.DeleteSnapshotCommand,
    DeleteVolume: ec2.DeleteVolumeCommand,
    DescribeAddresses: ec2.DescribeAddressesCommand,
    DescribeImages: ec2.DescribeImagesCommand,
    DescribeInstances: ec2.DescribeInstancesCommand,
    DescribeSecurityGroupRules: ec2.DescribeSecurityGroupRulesCommand,
    DescribeSecurityGroups: ec2.DescribeSecurityGroupsCommand,
    DescribeSnapshots: ec2.DescribeSnapshotsCommand,
    DescribeVolumes: ec2.DescribeVolumesCommand,
    ModifyInstanceAttribute: ec2.ModifyInstanceAttributeCommand,
    ReleaseAddress: ec2.ReleaseAddressCommand,
    RevokeSecurityGroupEgress: ec2.RevokeSecurityGroupEgressCommand,
    RevokeSecurityGroupIngress: ec2.RevokeSecurityGroupIngressCommand,
  },
  s3: {
    DeletePublicAccessBlock: s3.DeletePublicAccessBlockCommand,
    GetPublicAccessBlock: s3.GetPublicAccessBlockCommand,
    PutPublicAccessBlock: s3.PutPublicAccessBlockCommand,
  },
  iam: {
    AddUserToGroup: iam.AddUserToGroupCommand,
    AttachGroupPolicy: iam.AttachGroupPolicyCommand,
    AttachRolePolicy: iam.AttachRolePolicyCommand,
    AttachUserPolicy: iam.AttachUserPolicyCommand,
    DeleteGroupPolicy: iam.DeleteGroupPolicyCommand,
    DeleteRolePolicy: iam.DeleteRolePolicyCommand,
    DeleteUserPolicy: iam.DeleteUserPolicyCommand,
    DetachGroupPolicy: iam.DetachGroupPolicyCommand,
    DetachRolePolicy: iam.DetachRolePolicyCommand,
    DetachUserPolicy: iam.DetachUserPolicyCommand,
    GetAccessKeyLastUsed: iam.GetAccessKeyLastUsedCommand,
    GetGroupPolicy: iam.GetGroupPolicyCommand,
    GetRolePolicy: iam.GetRolePolicyCommand,
    GetUserPolicy: iam.GetUserPolicyCommand,
    PutGroupPolicy: iam.PutGroupPolicyCommand,
    PutRolePolicy: iam.PutRolePolicyCommand,
    PutUserPolicy: iam.PutUserPolicyCommand,
    RemoveUserFromGroup: iam.RemoveUserFromGroupCommand,
    UpdateAccessKey: iam.UpdateAccessKeyCommand,
  },
  ssm: {
    StartAutomationExecution: ssm.StartAutomationExecutionCommand,
  },
};

/**
 * The command class of one operation.
 *
 * @throws UnknownOperationError when the operation is not listed in {@link OPERATIONS}
 */
export function commandClass(service: Step["service"], operation: string): CommandClass {
  const found = Object.hasOwn(OPERATIONS[service], operation) ? OPERATIONS[service][operation] : undefined;
  if (!found) throw new UnknownOperationError(service, operation);
  return found;
}
