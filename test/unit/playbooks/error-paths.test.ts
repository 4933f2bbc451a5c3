import { CreateSecurityGroupCommand, CreateSnapshotsCommand, DeleteSnapshotCommand, DescribeSecurityGroupsCommand, EC2Client, ModifyInstanceAttributeCommand, ReleaseAddressCommand, RevokeSecurityGroupIngressCommand } from "@aws-sdk/client-ec2";
import { DetachUserPolicyCommand, IAMClient, UpdateAccessKeyCommand } from "@aws-sdk/client-iam";
import { PutPublicAccessBlockCommand, S3Client } from "@aws-sdk/client-s3";
import { SSMClient, StartAutomationExecutionCommand } from "@aws-sdk/client-ssm";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Plan } from "../../../core/remediation";
import { resetPlaybookClients } from "../../../functions/lib/playbooks/clients";
import { PlaybookAccessDeniedError, PlaybookThrottledError, ResourceGoneError } from "../../../functions/lib/playbooks/errors";
import { execute } from "../../../functions/lib/playbooks/execute";
import { awsError } from "./aws-mocks";
import { planFor } from "./plans";

const ec2 = mockClient(EC2Client);
const s3 = mockClient(S3Client);
const iam = mockClient(IAMClient);
const ssm = mockClient(SSMClient);
beforeEach(() => [ec2, s3, iam, ssm].forEach((m) => m.reset()));
afterEach(() => resetPlaybookClients());

type Mock = typeof ec2 | typeof s3 | typeof iam | typeof ssm;
interface Case {
  plan: Plan;
  /** The state the executor acts on, as captured. */
  before: Record<string, unknown>;
  mock: Mock;
  /** The call that changes the account, which the error is raised on. */
  command: new (input: never) => object;
  operation: string;
  /** AWS's code for "not there any more" on that call; undefined where the call has none. */
  goneCode?: string;
  arrange?: () => void;
}

const instance = { InstanceId: "i-1", VpcId: "vpc-1", SecurityGroups: [{ GroupId: "sg-a" }] };
const CASES: Record<string, Case> = {
  "ec2.release-unassociated-address": {
    plan: planFor("ec2.release-unassociated-address", { kind: "address", allocationId: "eipalloc-1" }),
    before: { Addresses: [{ AllocationId: "eipalloc-1" }] }, mock: ec2, command: ReleaseAddressCommand, operation: "ReleaseAddress", goneCode: "InvalidAllocationID.NotFound",
  },
  "ec2.delete-orphaned-snapshot": {
    plan: planFor("ec2.delete-orphaned-snapshot", { kind: "snapshot", snapshotId: "snap-1" }),
    before: { Snapshots: [{ SnapshotId: "snap-1" }] }, mock: ec2, command: DeleteSnapshotCommand, operation: "DeleteSnapshot", goneCode: "InvalidSnapshot.NotFound",
  },
  "ec2.revoke-open-ingress": {
    plan: planFor("ec2.revoke-open-ingress", { kind: "security-group", groupId: "sg-1", openRules: [{ ipProtocol: "tcp", fromPort: 22, toPort: 22, cidr: "0.0.0.0/0" }] }),
    before: { SecurityGroupRules: [{ IsEgress: false, IpProtocol: "tcp", FromPort: 22, ToPort: 22, CidrIpv4: "0.0.0.0/0" }] },
    mock: ec2, command: RevokeSecurityGroupIngressCommand, operation: "RevokeSecurityGroupIngress", goneCode: "InvalidGroup.NotFound",
  },
  "ec2.isolate-instance": {
    plan: planFor("ec2.isolate-instance", { kind: "instance", instanceId: "i-1" }, { snapshotVolumes: false }),
    before: { Reservations: [{ Instances: [instance] }] }, mock: ec2, command: ModifyInstanceAttributeCommand, operation: "ModifyInstanceAttribute", goneCode: "InvalidInstanceID.NotFound",
    arrange: () => {
      ec2.on(CreateSecurityGroupCommand).resolves({ GroupId: "sg-q" });
      ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [{ GroupId: "sg-q", IpPermissions: [], IpPermissionsEgress: [] }] });
    },
  },
  "ec2.isolate-instance (forensic snapshots)": {
    plan: planFor("ec2.isolate-instance", { kind: "instance", instanceId: "i-1" }),
    before: { Reservations: [{ Instances: [instance] }] }, mock: ec2, command: CreateSnapshotsCommand, operation: "CreateSnapshots", goneCode: "InvalidInstanceID.NotFound",
  },
  "s3.block-public-access": {
    plan: planFor("s3.block-public-access", { kind: "s3-bucket", bucket: "b1" }),
    before: {}, mock: s3, command: PutPublicAccessBlockCommand, operation: "PutPublicAccessBlock", goneCode: "NoSuchBucket",
  },
  "iam.deactivate-access-key": {
    plan: planFor("iam.deactivate-access-key", { kind: "access-key", accessKeyId: "AKIA1", userName: "alice" }),
    before: {}, mock: iam, command: UpdateAccessKeyCommand, operation: "UpdateAccessKey", goneCode: "NoSuchEntity",
  },
  "iam.expire-jit-access": {
    plan: planFor("iam.expire-jit-access", { kind: "iam-grant", principal: { type: "user", name: "bob" }, grant: { type: "managed-policy", policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" } }),
    before: {}, mock: iam, command: DetachUserPolicyCommand, operation: "DetachUserPolicy", goneCode: "NoSuchEntity",
  },
  "ssm.start-automation": {
    plan: planFor("ssm.start-automation", { kind: "resource" }, { documentName: "Runbook" }),
    before: {}, mock: ssm, command: StartAutomationExecutionCommand, operation: "StartAutomationExecution",
  },
};

// ec2.delete-unattached-volume's calls and errors are pinned in ec2-cleanup.test.ts and errors.test.ts.
describe.each(Object.entries(CASES))("%s error paths", (_name, c) => {
  const run = async (error: Error) => {
    c.arrange?.();
    (c.mock as typeof ec2).on(c.command as never).rejects(error);
    return execute(c.plan, c.before).catch((e: unknown) => e);
  };

  it(`AccessDenied on ${c.operation} is PlaybookAccessDeniedError (the handler fails the remediation, no retry)`, async () => {
    const error = await run(awsError(c.mock === ec2 ? "UnauthorizedOperation" : "AccessDenied"));
    expect(error).toBeInstanceOf(PlaybookAccessDeniedError);
    expect(error).toMatchObject({ operation: c.operation });
  });

  it(`throttling on ${c.operation} past the SDK's retries is PlaybookThrottledError with the attempts`, async () => {
    const error = await run(awsError(c.mock === s3 ? "SlowDown" : c.mock === ec2 ? "RequestLimitExceeded" : "ThrottlingException", 5));
    expect(error).toBeInstanceOf(PlaybookThrottledError);
    expect(error).toMatchObject({ operation: c.operation, attempts: 5 });
  });

});

// StartAutomationExecution names a runbook, not a resource: it has no "gone" answer.
describe.each(Object.entries(CASES).filter(([, c]) => c.goneCode !== undefined))("%s, resource gone", (_name, c) => {
  it(`${c.goneCode} on ${c.operation} is ResourceGoneError (a clean skip)`, async () => {
    c.arrange?.();
    (c.mock as typeof ec2).on(c.command as never).rejects(awsError(c.goneCode!));
    const error = await execute(c.plan, c.before).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResourceGoneError);
    expect(error).toMatchObject({ operation: c.operation, awsCode: c.goneCode });
  });
});
