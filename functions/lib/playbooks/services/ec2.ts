import {
  EC2Client,
  AllocateAddressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateSnapshotCommand,
  CreateSnapshotsCommand,
  CreateVolumeCommand,
  DeleteSnapshotCommand,
  DeleteVolumeCommand,
  DescribeAddressesCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSnapshotsCommand,
  DescribeTagsCommand,
  DescribeVolumesCommand,
  ModifyInstanceAttributeCommand,
  ReleaseAddressCommand,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
} from "@aws-sdk/client-ec2";
import type { PlaybookClientOptions } from "../clients";
import type { CommandClass } from "../operations";

/**
 * The EC2 operations a playbook step, capture or rollback may name, and the client that sends them.
 * Loaded only when a plan calls EC2 (functions/lib/playbooks/services.ts): the SDK client package is
 * most of a remediation bundle and most invocations call no AWS service at all.
 */
export const operations: Readonly<Record<string, CommandClass>> = {
  AllocateAddress: AllocateAddressCommand,
  AuthorizeSecurityGroupIngress: AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroup: CreateSecurityGroupCommand,
  CreateSnapshot: CreateSnapshotCommand,
  CreateSnapshots: CreateSnapshotsCommand,
  CreateVolume: CreateVolumeCommand,
  DeleteSnapshot: DeleteSnapshotCommand,
  DeleteVolume: DeleteVolumeCommand,
  DescribeAddresses: DescribeAddressesCommand,
  DescribeImages: DescribeImagesCommand,
  DescribeInstances: DescribeInstancesCommand,
  DescribeSecurityGroupRules: DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroups: DescribeSecurityGroupsCommand,
  DescribeSnapshots: DescribeSnapshotsCommand,
  DescribeVolumes: DescribeVolumesCommand,
  ModifyInstanceAttribute: ModifyInstanceAttributeCommand,
  ReleaseAddress: ReleaseAddressCommand,
  RevokeSecurityGroupEgress: RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngress: RevokeSecurityGroupIngressCommand,
};

/** An EC2Client with the playbooks' options. */
export const createClient = (options: PlaybookClientOptions) => new EC2Client(options);

/** Reads a target's tags for the protected-tag guardrail (functions/lib/resource-tags.ts). */
export { DescribeTagsCommand };
