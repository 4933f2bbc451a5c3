import type { Policy, PolicyOf } from "./config";
import type { ResourceTarget, TargetFacts } from "./target-types";
import { TargetMismatchError } from "./errors";

/** A value the executor fills in: from the captured previous state, or from an earlier step's result. */
export type StepRef = { $before: string } | { $step: number; path: string };

/** One AWS API call the executor will make, as data (SDK v3 command name and input). */
export interface Step {
  service: "ec2" | "s3" | "iam" | "ssm";
  /** SDK v3 operation, e.g. `PutPublicAccessBlock`. */
  operation: string;
  input: Record<string, unknown>;
  /** Why, for the audit log. */
  purpose: string;
}

/** A condition on the captured state that must hold, else the remediation is skipped with `reason`. */
export type Precondition =
  | { path: string; equals: unknown; reason: string }
  | { path: string; absent: true; reason: string }
  | { path: string; olderThanDays: number; reason: string };

/** How to undo the action where the API allows it. */
export type Rollback = { supported: true; steps: Step[] } | { supported: false; reason: string };

/** What a playbook does to one target: reads that record the previous state, checks, calls, undo. */
export interface PlaybookSteps {
  capture: Step[];
  preconditions: Precondition[];
  steps: Step[];
  rollback: Rollback;
}

type Facts<K extends TargetFacts["kind"]> = Extract<TargetFacts, { kind: K }>;

function facts<K extends TargetFacts["kind"]>(policy: Policy, target: ResourceTarget, kind: K): Facts<K> {
  if (target.facts.kind !== kind) throw new TargetMismatchError(policy.action, target.resource.type);
  return target.facts as Facts<K>;
}

const TAG = (remediationId: string) => [{ Key: "vigil:remediation", Value: remediationId }];

function deleteVolume(policy: PolicyOf<"ec2.delete-unattached-volume">, t: ResourceTarget, rid: string): PlaybookSteps {
  const { volumeId } = facts(policy, t, "volume");
  const snapshot: Step = {
    service: "ec2",
    operation: "CreateSnapshot",
    input: { VolumeId: volumeId, Description: `Vigil ${rid}: before deleting ${volumeId}`, TagSpecifications: [{ ResourceType: "snapshot", Tags: TAG(rid) }] },
    purpose: "keep the data so the volume can be restored",
  };
  return {
    capture: [{ service: "ec2", operation: "DescribeVolumes", input: { VolumeIds: [volumeId] }, purpose: "record the volume" }],
    preconditions: [{ path: "Volumes.0.State", equals: "available", reason: "the volume is attached" }],
    steps: [...(policy.params.snapshotFirst ? [snapshot] : []), { service: "ec2", operation: "DeleteVolume", input: { VolumeId: volumeId }, purpose: "delete the unattached volume" }],
    rollback: policy.params.snapshotFirst
      ? {
          supported: true,
          steps: [
            {
              service: "ec2",
              operation: "CreateVolume",
              input: { SnapshotId: { $step: 0, path: "SnapshotId" }, AvailabilityZone: { $before: "Volumes.0.AvailabilityZone" }, VolumeType: { $before: "Volumes.0.VolumeType" } },
              purpose: "recreate the volume from its snapshot",
            },
          ],
        }
      : { supported: false, reason: "snapshotFirst is off, so the data is gone" },
  };
}

function releaseAddress(policy: Policy, t: ResourceTarget): PlaybookSteps {
  const { allocationId, publicIp } = facts(policy, t, "address");
  const filter = allocationId ? { AllocationIds: [allocationId] } : { PublicIps: [publicIp] };
  return {
    capture: [{ service: "ec2", operation: "DescribeAddresses", input: filter, purpose: "record the address" }],
    preconditions: [{ path: "Addresses.0.AssociationId", absent: true, reason: "the address is associated" }],
    steps: [{ service: "ec2", operation: "ReleaseAddress", input: { AllocationId: allocationId ?? { $before: "Addresses.0.AllocationId" } }, purpose: "release the unassociated address" }],
    rollback: {
      supported: true,
      steps: [{ service: "ec2", operation: "AllocateAddress", input: { Domain: "vpc", Address: { $before: "Addresses.0.PublicIp" } }, purpose: "recover the same public IP, if no one took it" }],
    },
  };
}

function deleteSnapshot(policy: PolicyOf<"ec2.delete-orphaned-snapshot">, t: ResourceTarget): PlaybookSteps {
  const { snapshotId } = facts(policy, t, "snapshot");
  return {
    capture: [
      { service: "ec2", operation: "DescribeSnapshots", input: { SnapshotIds: [snapshotId] }, purpose: "record the snapshot" },
      { service: "ec2", operation: "DescribeVolumes", input: { VolumeIds: [{ $before: "Snapshots.0.VolumeId" }] }, purpose: "check that its volume is gone" },
    ],
    preconditions: [
      { path: "Snapshots.0.StartTime", olderThanDays: policy.params.olderThanDays, reason: `the snapshot is younger than ${policy.params.olderThanDays} days` },
      { path: "Volumes.0", absent: true, reason: "the snapshot's volume still exists" },
    ],
    steps: [{ service: "ec2", operation: "DeleteSnapshot", input: { SnapshotId: snapshotId }, purpose: "delete the orphaned snapshot" }],
    rollback: { supported: false, reason: "a deleted snapshot cannot be recovered (outside the Recycle Bin)" },
  };
}

function blockPublicAccess(policy: Policy, t: ResourceTarget): PlaybookSteps {
  const { bucket } = facts(policy, t, "s3-bucket");
  const all = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true };
  return {
    capture: [{ service: "s3", operation: "GetPublicAccessBlock", input: { Bucket: bucket }, purpose: "record the bucket's public access block (absent is a state too)" }],
    preconditions: [],
    steps: [{ service: "s3", operation: "PutPublicAccessBlock", input: { Bucket: bucket, PublicAccessBlockConfiguration: all }, purpose: "block all public access" }],
    rollback: {
      supported: true,
      steps: [{ service: "s3", operation: "PutPublicAccessBlock", input: { Bucket: bucket, PublicAccessBlockConfiguration: { $before: "PublicAccessBlockConfiguration" } }, purpose: "restore the previous block (DeletePublicAccessBlock when there was none)" }],
    },
  };
}

function revokeIngress(policy: Policy, t: ResourceTarget): PlaybookSteps {
  const { groupId, openRules } = facts(policy, t, "security-group");
  const IpPermissions = openRules.map((r) => ({
    IpProtocol: r.ipProtocol,
    FromPort: r.fromPort,
    ToPort: r.toPort,
    ...(r.cidr.includes(":") ? { Ipv6Ranges: [{ CidrIpv6: r.cidr }] } : { IpRanges: [{ CidrIp: r.cidr }] }),
  }));
  return {
    capture: [{ service: "ec2", operation: "DescribeSecurityGroupRules", input: { Filters: [{ Name: "group-id", Values: [groupId] }] }, purpose: "record the group's rules" }],
    preconditions: [],
    steps: [{ service: "ec2", operation: "RevokeSecurityGroupIngress", input: { GroupId: groupId, IpPermissions }, purpose: "revoke the rules open to the world" }],
    rollback: { supported: true, steps: [{ service: "ec2", operation: "AuthorizeSecurityGroupIngress", input: { GroupId: groupId, IpPermissions }, purpose: "re-open the revoked rules" }] },
  };
}

function isolateInstance(policy: PolicyOf<"ec2.isolate-instance">, t: ResourceTarget, rid: string): PlaybookSteps {
  const { instanceId } = facts(policy, t, "instance");
  const snapshot: Step = {
    service: "ec2",
    operation: "CreateSnapshots",
    input: { InstanceSpecification: { InstanceId: instanceId }, Description: `Vigil ${rid}: forensics of ${instanceId}`, TagSpecifications: [{ ResourceType: "snapshot", Tags: TAG(rid) }] },
    purpose: "preserve the volumes for forensics",
  };
  return {
    capture: [{ service: "ec2", operation: "DescribeInstances", input: { InstanceIds: [instanceId] }, purpose: "record the instance's security groups" }],
    preconditions: [],
    steps: [
      ...(policy.params.snapshotVolumes ? [snapshot] : []),
      {
        service: "ec2",
        operation: "CreateSecurityGroup",
        input: { GroupName: policy.params.quarantineSecurityGroupName, Description: "Vigil quarantine: no ingress, no egress", VpcId: { $before: "Reservations.0.Instances.0.VpcId" } },
        purpose: "ensure the quarantine group exists (reused when it does; its default egress rule is revoked)",
      },
      {
        service: "ec2",
        operation: "ModifyInstanceAttribute",
        input: { InstanceId: instanceId, Groups: [{ $step: policy.params.snapshotVolumes ? 1 : 0, path: "GroupId" }] },
        purpose: "replace every security group with the quarantine group",
      },
    ],
    rollback: {
      supported: true,
      steps: [{ service: "ec2", operation: "ModifyInstanceAttribute", input: { InstanceId: instanceId, Groups: { $before: "Reservations.0.Instances.0.SecurityGroups[].GroupId" } }, purpose: "restore the previous security groups" }],
    },
  };
}

function deactivateKey(policy: Policy, t: ResourceTarget): PlaybookSteps {
  const { accessKeyId, userName } = facts(policy, t, "access-key");
  const user = userName ?? { $before: "UserName" };
  return {
    capture: [{ service: "iam", operation: "GetAccessKeyLastUsed", input: { AccessKeyId: accessKeyId }, purpose: "find the key's user and record its last use" }],
    preconditions: [],
    steps: [{ service: "iam", operation: "UpdateAccessKey", input: { AccessKeyId: accessKeyId, UserName: user, Status: "Inactive" }, purpose: "deactivate the exposed key" }],
    rollback: { supported: true, steps: [{ service: "iam", operation: "UpdateAccessKey", input: { AccessKeyId: accessKeyId, UserName: user, Status: "Active" }, purpose: "reactivate the key" }] },
  };
}

function expireJit(policy: Policy, t: ResourceTarget): PlaybookSteps {
  const { principal, grant } = facts(policy, t, "iam-grant");
  const who = { user: { UserName: principal.name }, role: { RoleName: principal.name }, group: { GroupName: principal.name } }[principal.type];
  const kind = principal.type === "user" ? "User" : principal.type === "role" ? "Role" : "Group";
  let revoke: Step;
  let restore: Step;
  if (grant.type === "managed-policy") {
    revoke = { service: "iam", operation: `Detach${kind}Policy`, input: { ...who, PolicyArn: grant.policyArn }, purpose: "detach the just-in-time policy" };
    restore = { service: "iam", operation: `Attach${kind}Policy`, input: { ...who, PolicyArn: grant.policyArn }, purpose: "re-attach the policy" };
  } else if (grant.type === "inline-policy") {
    revoke = { service: "iam", operation: `Delete${kind}Policy`, input: { ...who, PolicyName: grant.policyName }, purpose: "delete the just-in-time inline policy" };
    restore = { service: "iam", operation: `Put${kind}Policy`, input: { ...who, PolicyName: grant.policyName, PolicyDocument: { $before: "PolicyDocument" } }, purpose: "put the inline policy back" };
  } else {
    revoke = { service: "iam", operation: "RemoveUserFromGroup", input: { UserName: principal.name, GroupName: grant.groupName }, purpose: "remove the just-in-time group membership" };
    restore = { service: "iam", operation: "AddUserToGroup", input: { UserName: principal.name, GroupName: grant.groupName }, purpose: "add the user back to the group" };
  }
  const capture: Step[] =
    grant.type === "inline-policy"
      ? [{ service: "iam", operation: `Get${kind}Policy`, input: { ...who, PolicyName: grant.policyName }, purpose: "record the inline policy document" }]
      : [];
  return { capture, preconditions: [], steps: [revoke], rollback: { supported: true, steps: [restore] } };
}

function startAutomation(policy: PolicyOf<"ssm.start-automation">, t: ResourceTarget): PlaybookSteps {
  const { documentName, documentVersion, parameters } = policy.params;
  const Parameters = Object.fromEntries(Object.entries(parameters).map(([k, vs]) => [k, vs.map((v) => v.replaceAll("{{resourceId}}", t.resource.id))]));
  return {
    capture: [],
    preconditions: [],
    steps: [{ service: "ssm", operation: "StartAutomationExecution", input: { DocumentName: documentName, ...(documentVersion ? { DocumentVersion: documentVersion } : {}), Parameters }, purpose: `run ${documentName}` }],
    rollback: { supported: false, reason: "an automation runbook's effects are its own; write a rollback runbook" },
  };
}

/**
 * The calls a policy's playbook makes on one target, as data for the executor.
 *
 * @throws TargetMismatchError when the target is not the kind of resource the playbook acts on
 */
export function playbookSteps(policy: Policy, target: ResourceTarget, remediationId: string): PlaybookSteps {
  switch (policy.action) {
    case "ec2.delete-unattached-volume":
      return deleteVolume(policy, target, remediationId);
    case "ec2.release-unassociated-address":
      return releaseAddress(policy, target);
    case "ec2.delete-orphaned-snapshot":
      return deleteSnapshot(policy, target);
    case "s3.block-public-access":
      return blockPublicAccess(policy, target);
    case "ec2.revoke-open-ingress":
      return revokeIngress(policy, target);
    case "ec2.isolate-instance":
      return isolateInstance(policy, target, remediationId);
    case "iam.deactivate-access-key":
      return deactivateKey(policy, target);
    case "iam.expire-jit-access":
      return expireJit(policy, target);
    case "ssm.start-automation":
      return startAutomation(policy, target);
  }
}
