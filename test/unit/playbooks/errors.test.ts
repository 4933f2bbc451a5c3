import { DeleteVolumeCommand, DescribeVolumesCommand, EC2Client } from "@aws-sdk/client-ec2";
import { GetPublicAccessBlockCommand, S3Client } from "@aws-sdk/client-s3";
import { IAMClient, UpdateAccessKeyCommand } from "@aws-sdk/client-iam";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { resetPlaybookClients } from "../../../functions/lib/playbooks/clients";
import { PlaybookAccessDeniedError, PlaybookThrottledError } from "../../../functions/lib/playbooks/errors";
import { capture, execute } from "../../../functions/lib/playbooks/execute";
import { awsError, operations } from "./aws-mocks";
import { planFor } from "./plans";

const ec2 = mockClient(EC2Client);
const s3 = mockClient(S3Client);
const iam = mockClient(IAMClient);
beforeEach(() => [ec2, s3, iam].forEach((m) => m.reset()));
afterEach(() => resetPlaybookClients());

const volumePlan = planFor("ec2.delete-unattached-volume", { kind: "volume", volumeId: "vol-1" }, { snapshotFirst: false });
const keyPlan = planFor("iam.deactivate-access-key", { kind: "access-key", accessKeyId: "AKIAEXAMPLE", userName: "alice" });

describe("access denied", () => {
  it.each([
    ["EC2 UnauthorizedOperation", () => ec2.on(DeleteVolumeCommand).rejects(awsError("UnauthorizedOperation")), () => execute(volumePlan, {}), "DeleteVolume"],
    ["S3 AccessDenied", () => s3.on(GetPublicAccessBlockCommand).rejects(awsError("AccessDenied")), () => capture(planFor("s3.block-public-access", { kind: "s3-bucket", bucket: "b1" })), "GetPublicAccessBlock"],
    ["IAM AccessDenied", () => iam.on(UpdateAccessKeyCommand).rejects(awsError("AccessDenied")), () => execute(keyPlan, {}), "UpdateAccessKey"],
  ])("%s becomes PlaybookAccessDeniedError naming the call", async (_label, arrange, act, operation) => {
    arrange();
    const error = await act().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlaybookAccessDeniedError);
    expect(error).toMatchObject({ code: "playbook.access_denied", operation });
  });
});

describe("throttling", () => {
  it("rethrows what the SDK's retries could not absorb as PlaybookThrottledError, with the attempts made", async () => {
    ec2.on(DeleteVolumeCommand).rejects(awsError("RequestLimitExceeded", 5));
    const error = await execute(volumePlan, {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlaybookThrottledError);
    expect(error).toMatchObject({ code: "playbook.throttled", operation: "DeleteVolume", attempts: 5 });
    expect(operations(ec2)).toEqual(["DeleteVolume"]);
  });
});

describe("resource gone while acting", () => {
  it("stops at the step that found it gone and reports no later step", async () => {
    const plan = planFor("ec2.delete-unattached-volume", { kind: "volume", volumeId: "vol-1" });
    ec2.on(DescribeVolumesCommand).resolves({ Volumes: [] });
    await expect(capture(plan)).rejects.toMatchObject({ code: "playbook.resource_gone", resourceId: "res-1" });
    ec2.reset();
    ec2.rejects(awsError("InvalidVolume.NotFound"));
    await expect(execute(plan, { Volumes: [{ State: "available" }] })).rejects.toMatchObject({ code: "playbook.resource_gone", operation: "CreateSnapshot" });
    expect(operations(ec2)).toEqual(["CreateSnapshot"]);
  });
});

describe("plan markers", () => {
  it("refuses a step whose $before marker points at nothing, before calling AWS", async () => {
    const plan = planFor("iam.deactivate-access-key", { kind: "access-key", accessKeyId: "AKIAEXAMPLE" });
    await expect(execute(plan, {})).rejects.toMatchObject({ code: "playbook.unresolved_reference", message: "UpdateAccessKey: $before:UserName resolves to nothing" });
    expect(operations(iam)).toEqual([]);
  });

  it("refuses an operation the executor does not list", async () => {
    const plan = { ...volumePlan, steps: [{ service: "ec2" as const, operation: "TerminateInstances", input: {}, purpose: "not allowed" }] };
    await expect(execute(plan, {})).rejects.toMatchObject({ code: "playbook.unknown_operation" });
  });
});
