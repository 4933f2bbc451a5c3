import { setTimeout as sleep } from "node:timers/promises";
import type { Caller } from "./call";
import { PlaybookStepError } from "./errors";

/** How long to wait for a snapshot before deleting its volume, and how often to look. */
export interface SnapshotWait {
  maxSeconds: number;
  pollSeconds: number;
}

/**
 * Waits until a snapshot is `completed`, so its volume is deleted only once the copy is whole.
 *
 * @throws PlaybookStepError when the snapshot fails (`error` state) or is still pending after `maxSeconds`
 */
export async function waitForSnapshot(call: Caller, snapshotId: string, wait: SnapshotWait): Promise<void> {
  const deadline = Date.now() + wait.maxSeconds * 1000;
  for (;;) {
    const out = await call("ec2", "DescribeSnapshots", { SnapshotIds: [snapshotId] });
    const state = (out.Snapshots as { State?: string }[] | undefined)?.[0]?.State;
    if (state === "completed") return;
    if (state === "error") throw new PlaybookStepError("CreateSnapshot", "SnapshotError", `snapshot ${snapshotId} ended in state error`);
    if (Date.now() + wait.pollSeconds * 1000 > deadline) {
      throw new PlaybookStepError("CreateSnapshot", "SnapshotTimeout", `snapshot ${snapshotId} still ${state ?? "unknown"} after ${wait.maxSeconds}s`);
    }
    await sleep(wait.pollSeconds * 1000);
  }
}

interface GroupRules {
  GroupId?: string;
  IpPermissions?: Record<string, unknown>[];
  IpPermissionsEgress?: Record<string, unknown>[];
}

/**
 * Creates the quarantine security group, or reuses it when it exists in the VPC, and strips every
 * rule from it (a new group allows all egress by default), so it isolates whatever it is put on.
 *
 * @returns `{ GroupId }`, as CreateSecurityGroup would
 */
export async function ensureQuarantineGroup(call: Caller, input: Record<string, unknown>): Promise<{ GroupId: string }> {
  let groupId: string | undefined;
  try {
    groupId = (await call("ec2", "CreateSecurityGroup", input)).GroupId as string | undefined;
  } catch (error) {
    if (!(error instanceof PlaybookStepError) || error.awsCode !== "InvalidGroup.Duplicate") throw error;
  }
  const filters = groupId
    ? { GroupIds: [groupId] }
    : { Filters: [{ Name: "group-name", Values: [input.GroupName] }, ...(input.VpcId ? [{ Name: "vpc-id", Values: [input.VpcId] }] : [])] };
  const group = ((await call("ec2", "DescribeSecurityGroups", filters)).SecurityGroups as GroupRules[] | undefined)?.[0];
  if (!group?.GroupId) throw new PlaybookStepError("CreateSecurityGroup", "InvalidGroup.NotFound", `quarantine group ${String(input.GroupName)} not found after creating it`);
  if (group.IpPermissionsEgress?.length) {
    await call("ec2", "RevokeSecurityGroupEgress", { GroupId: group.GroupId, IpPermissions: group.IpPermissionsEgress });
  }
  if (group.IpPermissions?.length) {
    await call("ec2", "RevokeSecurityGroupIngress", { GroupId: group.GroupId, IpPermissions: group.IpPermissions });
  }
  return { GroupId: group.GroupId };
}
