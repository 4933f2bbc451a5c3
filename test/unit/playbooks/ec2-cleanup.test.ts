import { CreateSnapshotCommand, DeleteSnapshotCommand, DeleteVolumeCommand, DescribeAddressesCommand, DescribeImagesCommand, DescribeSnapshotsCommand, DescribeVolumesCommand, EC2Client, ReleaseAddressCommand } from "@aws-sdk/client-ec2";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { capture, checkPreconditions, execute } from "../../../functions/lib/playbooks/execute";
import { resetPlaybookClients } from "../../../functions/lib/playbooks/clients";
import { ResourceGoneError } from "../../../functions/lib/playbooks/errors";
import { inputOf, operations } from "./aws-mocks";
import { NOW, planFor } from "./plans";

const ec2 = mockClient(EC2Client);
beforeEach(() => ec2.reset());
afterEach(() => resetPlaybookClients());

describe("ec2.delete-unattached-volume", () => {
  const plan = planFor("ec2.delete-unattached-volume", { kind: "volume", volumeId: "vol-1" });
  const volume = { VolumeId: "vol-1", State: "available", AvailabilityZone: "us-east-1a", VolumeType: "gp3" } as const;

  it("re-reads the volume, snapshots it, waits for the snapshot, then deletes the volume", async () => {
    ec2.on(DescribeVolumesCommand).resolvesOnce({ Volumes: [volume] }).rejects(Object.assign(new Error("gone"), { name: "InvalidVolume.NotFound" }));
    ec2.on(CreateSnapshotCommand).resolves({ SnapshotId: "snap-9", State: "pending" });
    ec2.on(DescribeSnapshotsCommand).resolvesOnce({ Snapshots: [{ SnapshotId: "snap-9", State: "pending" }] }).resolves({ Snapshots: [{ SnapshotId: "snap-9", State: "completed" }] });
    ec2.on(DeleteVolumeCommand).resolves({});

    const before = await capture(plan);
    expect(checkPreconditions(plan, before, NOW)).toEqual({ ok: true });
    const { after, results } = await execute(plan, before, { snapshotWait: { maxSeconds: 5, pollSeconds: 0.01 } });

    expect(operations(ec2)).toEqual(["DescribeVolumes", "CreateSnapshot", "DescribeSnapshots", "DescribeSnapshots", "DeleteVolume", "DescribeVolumes"]);
    expect(inputOf(ec2, 1)).toMatchObject({ VolumeId: "vol-1", TagSpecifications: [{ ResourceType: "snapshot", Tags: [{ Key: "vigil:remediation", Value: plan.remediationId }] }] });
    expect(inputOf(ec2, 4)).toEqual({ VolumeId: "vol-1" });
    expect(results[0]).toMatchObject({ SnapshotId: "snap-9" });
    expect(before).toEqual({ Volumes: [volume] });
    expect(after).toEqual({ gone: true });
  });

  it("refuses an attached volume", async () => {
    ec2.on(DescribeVolumesCommand).resolves({ Volumes: [{ ...volume, State: "in-use" as const }] });
    const verdict = checkPreconditions(plan, await capture(plan), NOW);
    expect(verdict).toEqual({ ok: false, reason: "the volume is attached" });
  });

  it("reports a volume that vanished before the action as gone, without acting", async () => {
    ec2.on(DescribeVolumesCommand).rejects(Object.assign(new Error("The volume 'vol-1' does not exist."), { name: "InvalidVolume.NotFound" }));
    await expect(capture(plan)).rejects.toMatchObject({ name: "ResourceGoneError", code: "playbook.resource_gone", awsCode: "InvalidVolume.NotFound" });
    expect(operations(ec2)).toEqual(["DescribeVolumes"]);
  });

  it("does not delete the volume when its snapshot fails", async () => {
    ec2.on(CreateSnapshotCommand).resolves({ SnapshotId: "snap-9" });
    ec2.on(DescribeSnapshotsCommand).resolves({ Snapshots: [{ SnapshotId: "snap-9", State: "error" }] });
    await expect(execute(plan, { Volumes: [volume] })).rejects.toMatchObject({ code: "playbook.step_failed", awsCode: "SnapshotError" });
    expect(operations(ec2)).not.toContain("DeleteVolume");
  });

  it("deletes without a snapshot when snapshotFirst is off", async () => {
    const noSnapshot = planFor("ec2.delete-unattached-volume", { kind: "volume", volumeId: "vol-1" }, { snapshotFirst: false });
    ec2.on(DeleteVolumeCommand).resolves({});
    ec2.on(DescribeVolumesCommand).resolves({ Volumes: [{ ...volume, State: "deleting" as const }] });
    const { after } = await execute(noSnapshot, { Volumes: [volume] });
    expect(operations(ec2)).toEqual(["DeleteVolume", "DescribeVolumes"]);
    expect(after).toEqual({ Volumes: [{ ...volume, State: "deleting" as const }] });
  });
});

describe("ec2.release-unassociated-address", () => {
  it("releases an unassociated address by the allocation id it re-read", async () => {
    const plan = planFor("ec2.release-unassociated-address", { kind: "address", publicIp: "203.0.113.7" });
    ec2.on(DescribeAddressesCommand).resolvesOnce({ Addresses: [{ AllocationId: "eipalloc-1", PublicIp: "203.0.113.7" }] }).resolves({ Addresses: [] });
    ec2.on(ReleaseAddressCommand).resolves({});
    const before = await capture(plan);
    expect(checkPreconditions(plan, before, NOW)).toEqual({ ok: true });
    const { after } = await execute(plan, before);
    expect(operations(ec2)).toEqual(["DescribeAddresses", "ReleaseAddress", "DescribeAddresses"]);
    expect(inputOf(ec2, 0)).toEqual({ PublicIps: ["203.0.113.7"] });
    expect(inputOf(ec2, 1)).toEqual({ AllocationId: "eipalloc-1" });
    expect(after).toEqual({ gone: true });
  });

  it("refuses an associated address", async () => {
    const plan = planFor("ec2.release-unassociated-address", { kind: "address", allocationId: "eipalloc-1" });
    ec2.on(DescribeAddressesCommand).resolves({ Addresses: [{ AllocationId: "eipalloc-1", AssociationId: "eipassoc-1" }] });
    expect(checkPreconditions(plan, await capture(plan), NOW)).toEqual({ ok: false, reason: "the address is associated" });
    expect(operations(ec2)).toEqual(["DescribeAddresses"]);
  });

  it("treats an allocation id AWS no longer knows as gone", async () => {
    const plan = planFor("ec2.release-unassociated-address", { kind: "address", allocationId: "eipalloc-1" });
    ec2.on(DescribeAddressesCommand).rejects(Object.assign(new Error("gone"), { name: "InvalidAllocationID.NotFound" }));
    await expect(capture(plan)).rejects.toBeInstanceOf(ResourceGoneError);
  });
});

describe("ec2.delete-orphaned-snapshot", () => {
  const plan = planFor("ec2.delete-orphaned-snapshot", { kind: "snapshot", snapshotId: "snap-1" }, { olderThanDays: 30 });
  const old = { SnapshotId: "snap-1", VolumeId: "vol-gone", StartTime: new Date("2025-01-01T00:00:00Z") };

  it("checks the source volume and AMIs, then deletes an old orphan", async () => {
    ec2.on(DescribeSnapshotsCommand).resolves({ Snapshots: [old] });
    ec2.on(DescribeVolumesCommand).rejects(Object.assign(new Error("gone"), { name: "InvalidVolume.NotFound" }));
    ec2.on(DescribeImagesCommand).resolves({ Images: [] });
    ec2.on(DeleteSnapshotCommand).resolves({});
    const before = await capture(plan);
    expect(before).toEqual({ Snapshots: [{ ...old, StartTime: "2025-01-01T00:00:00.000Z" }], Images: [] });
    expect(checkPreconditions(plan, before, NOW)).toEqual({ ok: true });
    await execute(plan, before);
    expect(operations(ec2).slice(0, 4)).toEqual(["DescribeSnapshots", "DescribeVolumes", "DescribeImages", "DeleteSnapshot"]);
    expect(inputOf(ec2, 1)).toEqual({ VolumeIds: ["vol-gone"] });
    expect(inputOf(ec2, 2)).toMatchObject({ Filters: [{ Name: "block-device-mapping.snapshot-id", Values: ["snap-1"] }] });
    expect(inputOf(ec2, 3)).toEqual({ SnapshotId: "snap-1" });
  });

  it("refuses a snapshot younger than olderThanDays", async () => {
    ec2.on(DescribeSnapshotsCommand).resolves({ Snapshots: [{ ...old, StartTime: new Date("2025-05-20T00:00:00Z") }] });
    ec2.on(DescribeVolumesCommand).resolves({ Volumes: [] });
    ec2.on(DescribeImagesCommand).resolves({ Images: [] });
    expect(checkPreconditions(plan, await capture(plan), NOW)).toEqual({ ok: false, reason: "the snapshot is younger than 30 days" });
  });

  it("refuses a snapshot whose volume still exists", async () => {
    ec2.on(DescribeSnapshotsCommand).resolves({ Snapshots: [old] });
    ec2.on(DescribeVolumesCommand).resolves({ Volumes: [{ VolumeId: "vol-gone" }] });
    ec2.on(DescribeImagesCommand).resolves({ Images: [] });
    expect(checkPreconditions(plan, await capture(plan), NOW)).toEqual({ ok: false, reason: "the snapshot's volume still exists" });
  });

  it("refuses a snapshot that backs an AMI", async () => {
    ec2.on(DescribeSnapshotsCommand).resolves({ Snapshots: [old] });
    ec2.on(DescribeVolumesCommand).resolves({ Volumes: [] });
    ec2.on(DescribeImagesCommand).resolves({ Images: [{ ImageId: "ami-1" }] });
    expect(checkPreconditions(plan, await capture(plan), NOW)).toEqual({ ok: false, reason: "the snapshot backs AMI ami-1" });
  });

  it("treats an empty describe of the snapshot as gone", async () => {
    ec2.on(DescribeSnapshotsCommand).resolves({ Snapshots: [] });
    await expect(capture(plan)).rejects.toMatchObject({ code: "playbook.resource_gone", operation: "DescribeSnapshots" });
  });
});
