import { DetachRolePolicyCommand, GetAccessKeyLastUsedCommand, GetUserPolicyCommand, DeleteUserPolicyCommand, IAMClient, RemoveUserFromGroupCommand, UpdateAccessKeyCommand } from "@aws-sdk/client-iam";
import { GetPublicAccessBlockCommand, PutPublicAccessBlockCommand, S3Client } from "@aws-sdk/client-s3";
import { SSMClient, StartAutomationExecutionCommand } from "@aws-sdk/client-ssm";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { resetPlaybookClients } from "../../../functions/lib/playbooks/clients";
import { capture, execute } from "../../../functions/lib/playbooks/execute";
import { awsError, inputOf, operations } from "./aws-mocks";
import { planFor } from "./plans";

const s3 = mockClient(S3Client);
const iam = mockClient(IAMClient);
const ssm = mockClient(SSMClient);
beforeEach(() => [s3, iam, ssm].forEach((m) => m.reset()));
afterEach(() => resetPlaybookClients());

const ALL = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true };

describe("s3.block-public-access", () => {
  const plan = planFor("s3.block-public-access", { kind: "s3-bucket", bucket: "b1" });

  it("records a missing block as an empty state, then blocks all public access", async () => {
    s3.on(GetPublicAccessBlockCommand).rejectsOnce(awsError("NoSuchPublicAccessBlockConfiguration")).resolves({ PublicAccessBlockConfiguration: ALL });
    s3.on(PutPublicAccessBlockCommand).resolves({});
    const before = await capture(plan);
    expect(before).toEqual({});
    const { after } = await execute(plan, before);
    expect(operations(s3)).toEqual(["GetPublicAccessBlock", "PutPublicAccessBlock", "GetPublicAccessBlock"]);
    expect(inputOf(s3, 1)).toEqual({ Bucket: "b1", PublicAccessBlockConfiguration: ALL });
    expect(after).toEqual({ PublicAccessBlockConfiguration: ALL });
  });

  it("treats a deleted bucket as gone", async () => {
    s3.on(GetPublicAccessBlockCommand).rejects(awsError("NoSuchBucket"));
    await expect(capture(plan)).rejects.toMatchObject({ code: "playbook.resource_gone", awsCode: "NoSuchBucket" });
  });
});

describe("iam.deactivate-access-key", () => {
  it("finds the key's user, then deactivates the key", async () => {
    const plan = planFor("iam.deactivate-access-key", { kind: "access-key", accessKeyId: "AKIAEXAMPLE" });
    iam.on(GetAccessKeyLastUsedCommand).resolves({ UserName: "alice", AccessKeyLastUsed: { Region: "us-east-1", ServiceName: "s3" } as never });
    iam.on(UpdateAccessKeyCommand).resolves({});
    await execute(plan, await capture(plan));
    expect(operations(iam)).toEqual(["GetAccessKeyLastUsed", "UpdateAccessKey", "GetAccessKeyLastUsed"]);
    expect(inputOf(iam, 1)).toEqual({ AccessKeyId: "AKIAEXAMPLE", UserName: "alice", Status: "Inactive" });
  });

  it("treats a deleted key (NoSuchEntity) as gone", async () => {
    const plan = planFor("iam.deactivate-access-key", { kind: "access-key", accessKeyId: "AKIAEXAMPLE", userName: "alice" });
    iam.on(UpdateAccessKeyCommand).rejects(awsError("NoSuchEntity"));
    await expect(execute(plan, {})).rejects.toMatchObject({ name: "ResourceGoneError" });
  });
});

describe("iam.expire-jit-access", () => {
  it("detaches a managed policy from a role", async () => {
    const plan = planFor("iam.expire-jit-access", { kind: "iam-grant", principal: { type: "role", name: "ops" }, grant: { type: "managed-policy", policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" } });
    iam.on(DetachRolePolicyCommand).resolves({});
    expect(await capture(plan)).toEqual({});
    const { after } = await execute(plan, {});
    expect(operations(iam)).toEqual(["DetachRolePolicy"]);
    expect(inputOf(iam, 0)).toEqual({ RoleName: "ops", PolicyArn: "arn:aws:iam::aws:policy/AdministratorAccess" });
    expect(after).toEqual({});
  });

  it("records an inline policy's document before deleting it", async () => {
    const plan = planFor("iam.expire-jit-access", { kind: "iam-grant", principal: { type: "user", name: "bob" }, grant: { type: "inline-policy", policyName: "jit" } });
    iam.on(GetUserPolicyCommand).resolvesOnce({ UserName: "bob", PolicyName: "jit", PolicyDocument: "%7B%7D" }).rejects(awsError("NoSuchEntity"));
    iam.on(DeleteUserPolicyCommand).resolves({});
    const before = await capture(plan);
    const { after } = await execute(plan, before);
    expect(before).toMatchObject({ PolicyDocument: "%7B%7D" });
    expect(operations(iam)).toEqual(["GetUserPolicy", "DeleteUserPolicy", "GetUserPolicy"]);
    expect(after).toEqual({ gone: true });
  });

  it("removes a group membership", async () => {
    const plan = planFor("iam.expire-jit-access", { kind: "iam-grant", principal: { type: "user", name: "bob" }, grant: { type: "group-membership", groupName: "admins" } });
    iam.on(RemoveUserFromGroupCommand).resolves({});
    await execute(plan, {});
    expect(inputOf(iam, 0)).toEqual({ UserName: "bob", GroupName: "admins" });
  });
});

describe("ssm.start-automation", () => {
  it("starts the runbook with the resource id filled in", async () => {
    const plan = planFor("ssm.start-automation", { kind: "resource" }, { documentName: "AWS-DisableS3BucketPublicReadWrite", parameters: { S3BucketName: ["{{resourceId}}"] } }, "b1");
    ssm.on(StartAutomationExecutionCommand).resolves({ AutomationExecutionId: "exec-1" });
    const { results } = await execute(plan, await capture(plan));
    expect(operations(ssm)).toEqual(["StartAutomationExecution"]);
    expect(inputOf(ssm, 0)).toEqual({ DocumentName: "AWS-DisableS3BucketPublicReadWrite", Parameters: { S3BucketName: ["b1"] } });
    expect(results).toEqual([{ AutomationExecutionId: "exec-1" }]);
  });
});
