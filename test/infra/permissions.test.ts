import { describe, expect, it } from "vitest";
import { validateConfig } from "../../core/config/validate";
import type { Policy } from "../../core/remediation/config";
import { PLAYBOOK_IDS } from "../../core/remediation/playbooks";
import { canaryStatements } from "../../infra/canary-permissions";
import { remediationStatements, type AccountScope } from "../../infra/playbook-permissions";

const SCOPE: AccountScope = { partition: "aws", region: "eu-west-1", account: "111122223333" };
const EC2 = (type: string) => `arn:aws:ec2:eu-west-1:111122223333:${type}/*`;
const SNAPSHOTS = "arn:aws:ec2:eu-west-1::snapshot/*";
const IAM = (type: string) => `arn:aws:iam::111122223333:${type}/*`;
const PROTECTED = [{ test: "StringNotEquals", variable: "aws:ResourceTag/vigil:protect", values: ["true"] }];

/** Policies as the config validator fills them in (defaults for params and guardrails). */
function policies(...raw: Record<string, unknown>[]): Policy[] {
  const on = { source: ["aws.config"] };
  return validateConfig({ remediation: { policies: raw.map((p, i) => ({ name: `p${i}`, on, mode: "auto", ...p })) } }).remediation.policies;
}

const statementsFor = (...raw: Record<string, unknown>[]) => remediationStatements(policies(...raw), SCOPE);

describe("remediationStatements", () => {
  it("grants s3.block-public-access exactly the calls its playbook and the tag read make, on buckets", () => {
    expect(statementsFor({ action: "s3.block-public-access" })).toEqual([
      { actions: ["s3:GetBucketPublicAccessBlock", "s3:GetBucketTagging", "s3:PutBucketPublicAccessBlock"], resources: ["arn:aws:s3:::*"] },
    ]);
  });

  it("grants ec2.isolate-instance its describes, the quarantine group, the swap and the forensic snapshots, writes under the protected-tag condition", () => {
    expect(statementsFor({ action: "ec2.isolate-instance" })).toEqual([
      { actions: ["ec2:DescribeInstances", "ec2:DescribeSecurityGroups", "ec2:DescribeTags"], resources: ["*"] },
      { actions: ["ec2:CreateSecurityGroup"], resources: [EC2("security-group"), EC2("vpc")] },
      { actions: ["ec2:RevokeSecurityGroupEgress", "ec2:RevokeSecurityGroupIngress"], resources: [EC2("security-group")], conditions: PROTECTED },
      { actions: ["ec2:ModifyInstanceAttribute"], resources: [EC2("instance"), EC2("security-group")], conditions: PROTECTED },
      { actions: ["ec2:CreateSnapshots"], resources: [EC2("instance"), EC2("volume"), SNAPSHOTS], conditions: PROTECTED },
      { actions: ["ec2:CreateTags"], resources: [SNAPSHOTS], conditions: [{ test: "StringEquals", variable: "ec2:CreateAction", values: ["CreateSnapshots"] }] },
    ]);
  });

  it("leaves out the snapshot grants when the playbook's params turn snapshots off", () => {
    const actions = statementsFor({ action: "ec2.delete-unattached-volume", params: { snapshotFirst: false } }).flatMap((s) => s.actions);
    expect(actions.sort()).toEqual(["ec2:DeleteVolume", "ec2:DescribeTags", "ec2:DescribeVolumes"]);
    const withSnapshot = statementsFor({ action: "ec2.delete-unattached-volume" }).flatMap((s) => s.actions);
    expect(withSnapshot.sort()).toEqual(["ec2:CreateSnapshot", "ec2:CreateTags", "ec2:DeleteVolume", "ec2:DescribeSnapshots", "ec2:DescribeTags", "ec2:DescribeVolumes"]);
  });

  it("turns each protected tag of a policy into its own StringNotEquals, sorted by key", () => {
    const [, write] = statementsFor({ action: "ec2.delete-orphaned-snapshot", guardrails: { protectedTags: { team: "core", env: "prod" } } });
    expect(write).toEqual({
      actions: ["ec2:DeleteSnapshot"],
      resources: [SNAPSHOTS],
      conditions: [
        { test: "StringNotEquals", variable: "aws:ResourceTag/env", values: ["prod"] },
        { test: "StringNotEquals", variable: "aws:ResourceTag/team", values: ["core"] },
      ],
    });
  });

  it("puts IAM users and roles under the tag condition, and groups (which carry no tags) without one", () => {
    expect(statementsFor({ action: "iam.expire-jit-access" })).toEqual([
      { actions: ["iam:GetUserPolicy", "iam:ListUserTags"], resources: [IAM("user")] },
      { actions: ["iam:DeleteUserPolicy", "iam:DetachUserPolicy"], resources: [IAM("user")], conditions: PROTECTED },
      { actions: ["iam:GetRolePolicy"], resources: [IAM("role")] },
      { actions: ["iam:DeleteRolePolicy", "iam:DetachRolePolicy"], resources: [IAM("role")], conditions: PROTECTED },
      { actions: ["iam:DeleteGroupPolicy", "iam:DetachGroupPolicy", "iam:GetGroupPolicy", "iam:RemoveUserFromGroup"], resources: [IAM("group")] },
    ]);
  });

  it("scopes ssm.start-automation to the runbook the policy names, given by name or ARN", () => {
    const params = { documentName: "arn:aws:ssm:eu-west-1:111122223333:document/Fix-Thing" };
    expect(statementsFor({ action: "ssm.start-automation", params })).toEqual([
      { actions: ["ssm:StartAutomationExecution"], resources: ["arn:aws:ssm:eu-west-1:111122223333:automation-definition/Fix-Thing:*"] },
    ]);
  });

  it("grants nothing for dry-run policies, which never call AWS", () => {
    expect(statementsFor({ action: "ec2.isolate-instance", mode: "dry-run" }, { action: "s3.block-public-access", mode: "dry-run" })).toEqual([]);
    expect(statementsFor({ action: "s3.block-public-access", mode: "approve" })).toHaveLength(1);
  });

  it("merges what several policies share and keeps apart what their protected tags distinguish", () => {
    const shared = statementsFor({ action: "ec2.revoke-open-ingress" }, { action: "ec2.delete-orphaned-snapshot" });
    expect(shared.filter((s) => s.resources[0] === "*")).toEqual([
      { actions: ["ec2:DescribeImages", "ec2:DescribeSecurityGroupRules", "ec2:DescribeSnapshots", "ec2:DescribeTags", "ec2:DescribeVolumes"], resources: ["*"] },
    ]);
    const apart = statementsFor({ action: "ec2.revoke-open-ingress" }, { action: "ec2.revoke-open-ingress", guardrails: { protectedTags: {} } });
    expect(apart.filter((s) => s.actions.includes("ec2:RevokeSecurityGroupIngress")).map((s) => s.conditions)).toEqual([PROTECTED, undefined]);
  });

  it("never grants a wildcard action, whatever the playbook", () => {
    const all = statementsFor(...PLAYBOOK_IDS.map((action) => ({ action, ...(action === "ssm.start-automation" && { params: { documentName: "Doc" } }) })));
    const actions = all.flatMap((s) => s.actions);
    expect(actions.length).toBeGreaterThan(30);
    for (const action of actions) expect(action).toMatch(/^[a-z0-9]+:[A-Za-z]+$/);
  });
});

describe("canaryStatements", () => {
  it("writes markers in protected buckets, lists only the marker prefix of buckets and replicas, and probes global tables in every region", () => {
    const { replication } = validateConfig({
      replication: {
        protected: [
          { id: "a", kind: "s3", resource: "arn:aws:s3:::assets", replica: "arn:aws:s3:::assets-dr" },
          { id: "t", kind: "dynamodb", resource: "arn:aws:dynamodb:us-east-1:111122223333:table/sessions", replicaRegions: ["us-west-2", "eu-west-1"] },
          { id: "d", kind: "rds", resource: "arn:aws:rds:us-east-1:111122223333:db:orders", replicaRegions: ["us-west-2"] },
        ],
      },
    });
    expect(canaryStatements(replication.protected)).toEqual([
      { actions: ["s3:PutObject"], resources: ["arn:aws:s3:::assets/vigil-canary/*"] },
      {
        actions: ["s3:ListBucket"],
        resources: ["arn:aws:s3:::assets", "arn:aws:s3:::assets-dr"],
        conditions: [{ test: "StringLike", variable: "s3:prefix", values: ["vigil-canary/*"] }],
      },
      { actions: ["dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:PutItem"], resources: ["arn:aws:dynamodb:us-east-1:111122223333:table/sessions"] },
      {
        actions: ["dynamodb:GetItem"],
        resources: ["arn:aws:dynamodb:us-west-2:111122223333:table/sessions", "arn:aws:dynamodb:eu-west-1:111122223333:table/sessions"],
      },
    ]);
  });

  it("grants nothing when nothing is protected", () => {
    expect(canaryStatements([])).toEqual([]);
  });
});
