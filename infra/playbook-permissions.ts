import type { Policy, PolicyOf } from "../core/remediation/config";
import type { PlaybookId } from "../core/remediation/playbooks";

/** Where the deployment runs: every ARN a grant names is scoped to it. */
export interface AccountScope {
  partition: string;
  region: string;
  account: string;
}

/** An IAM condition, as `aws.iam.getPolicyDocument` and SST's `permissions` take it. */
export interface PolicyCondition {
  test: string;
  variable: string;
  values: string[];
}

/** One IAM statement (always Allow), plain data so it can be tested without Pulumi. */
export interface PolicyStatement {
  actions: string[];
  resources: string[];
  conditions?: PolicyCondition[];
}

/** What one playbook needs for one kind of resource. */
interface Grant {
  actions: readonly string[];
  resources: (scope: AccountScope) => string[];
  /** The action supports `aws:ResourceTag`: the policy's protected tags are denied by condition. */
  tagged?: true;
  /** `ec2:CreateTags` only as part of these create calls (their TagSpecifications). */
  createAction?: readonly string[];
}

const ec2 = (type: string) => (s: AccountScope) => [`arn:${s.partition}:ec2:${s.region}:${s.account}:${type}/*`];
// Snapshot ARNs carry no account id.
const snapshots = (s: AccountScope) => [`arn:${s.partition}:ec2:${s.region}::snapshot/*`];
const iam = (type: string) => (s: AccountScope) => [`arn:${s.partition}:iam::${s.account}:${type}/*`];
// Bucket names are only known when an event names one; S3 has no tag conditions on these actions.
const buckets = (s: AccountScope) => [`arn:${s.partition}:s3:::*`];
// EC2 Describe* actions have no resource-level permissions: "*" is the only resource IAM accepts.
const anyResource = () => ["*"];
const concat = (...parts: ((s: AccountScope) => string[])[]) => (s: AccountScope) => parts.flatMap((p) => p(s));

const describe = (...actions: string[]): Grant => ({ actions: actions.map((a) => `ec2:${a}`), resources: anyResource });
const tagSnapshotsOn = (createAction: string): Grant => ({ actions: ["ec2:CreateTags"], resources: snapshots, createAction: [createAction] });

/**
 * The IAM actions each playbook calls, read from functions/lib/playbooks (its steps, its captures, the
 * executor's own reads such as waiting for a snapshot) and functions/lib/resource-tags.ts (the tags the
 * protected-tag guardrail reads). Rollback steps are not granted: no function runs them; rollback is the
 * operator's `vigil` CLI command, with the operator's own credentials.
 */
const PLAYBOOK_GRANTS: { [A in PlaybookId]: (policy: PolicyOf<A>) => Grant[] } = {
  "ec2.delete-unattached-volume": (p) => [
    describe("DescribeVolumes", "DescribeTags", ...(p.params.snapshotFirst ? ["DescribeSnapshots"] : [])),
    { actions: ["ec2:DeleteVolume"], resources: ec2("volume"), tagged: true },
    ...(p.params.snapshotFirst
      ? [{ actions: ["ec2:CreateSnapshot"], resources: concat(ec2("volume"), snapshots), tagged: true } as const, tagSnapshotsOn("CreateSnapshot")]
      : []),
  ],
  "ec2.release-unassociated-address": () => [
    describe("DescribeAddresses", "DescribeTags"),
    { actions: ["ec2:ReleaseAddress"], resources: ec2("elastic-ip"), tagged: true },
  ],
  "ec2.delete-orphaned-snapshot": () => [
    describe("DescribeSnapshots", "DescribeVolumes", "DescribeImages", "DescribeTags"),
    { actions: ["ec2:DeleteSnapshot"], resources: snapshots, tagged: true },
  ],
  "s3.block-public-access": () => [
    { actions: ["s3:GetBucketPublicAccessBlock", "s3:GetBucketTagging", "s3:PutBucketPublicAccessBlock"], resources: buckets },
  ],
  "ec2.revoke-open-ingress": () => [
    describe("DescribeSecurityGroupRules", "DescribeTags"),
    { actions: ["ec2:RevokeSecurityGroupIngress"], resources: ec2("security-group"), tagged: true },
  ],
  "ec2.isolate-instance": (p) => [
    describe("DescribeInstances", "DescribeSecurityGroups", "DescribeTags"),
    // The quarantine group: created (or found) in the instance's VPC, then stripped of its rules.
    { actions: ["ec2:CreateSecurityGroup"], resources: concat(ec2("security-group"), ec2("vpc")) },
    { actions: ["ec2:RevokeSecurityGroupEgress", "ec2:RevokeSecurityGroupIngress"], resources: ec2("security-group"), tagged: true },
    { actions: ["ec2:ModifyInstanceAttribute"], resources: concat(ec2("instance"), ec2("security-group")), tagged: true },
    ...(p.params.snapshotVolumes
      ? [{ actions: ["ec2:CreateSnapshots"], resources: concat(ec2("instance"), ec2("volume"), snapshots), tagged: true } as const, tagSnapshotsOn("CreateSnapshots")]
      : []),
  ],
  "iam.deactivate-access-key": () => [
    { actions: ["iam:GetAccessKeyLastUsed", "iam:ListUserTags"], resources: iam("user") },
    { actions: ["iam:UpdateAccessKey"], resources: iam("user"), tagged: true },
  ],
  // The grant an event names may be on a user, a role or a group, as a managed or an inline policy or a membership.
  "iam.expire-jit-access": () => [
    { actions: ["iam:GetUserPolicy", "iam:ListUserTags"], resources: iam("user") },
    { actions: ["iam:DeleteUserPolicy", "iam:DetachUserPolicy"], resources: iam("user"), tagged: true },
    { actions: ["iam:GetRolePolicy"], resources: iam("role") },
    { actions: ["iam:DeleteRolePolicy", "iam:DetachRolePolicy"], resources: iam("role"), tagged: true },
    // IAM groups carry no tags, so no condition can protect them.
    { actions: ["iam:DeleteGroupPolicy", "iam:DetachGroupPolicy", "iam:GetGroupPolicy", "iam:RemoveUserFromGroup"], resources: iam("group") },
  ],
  "ssm.start-automation": (p) => [
    {
      actions: ["ssm:StartAutomationExecution"],
      // Only the runbook the policy names, any version.
      resources: (s) => [`arn:${s.partition}:ssm:${s.region}:${s.account}:automation-definition/${p.params.documentName.split("/").at(-1)}:*`],
    },
  ],
};

function grantsOf(policy: Policy): Grant[] {
  return (PLAYBOOK_GRANTS[policy.action] as (p: Policy) => Grant[])(policy);
}

function conditionsOf(grant: Grant, policy: Policy): PolicyCondition[] {
  const conditions: PolicyCondition[] = [];
  if (grant.tagged) {
    // StringNotEquals also holds when the tag is absent, so only resources carrying a protected value are refused.
    for (const [key, value] of Object.entries(policy.guardrails.protectedTags).sort(([a], [b]) => a.localeCompare(b))) {
      conditions.push({ test: "StringNotEquals", variable: `aws:ResourceTag/${key}`, values: [value] });
    }
  }
  if (grant.createAction) conditions.push({ test: "StringEquals", variable: "ec2:CreateAction", values: [...grant.createAction] });
  return conditions;
}

/**
 * The IAM statements the remediator (and the approve function, which runs approved plans) needs for
 * the configured policies: only playbooks a policy may run (`approve` or `auto`; a `dry-run` policy
 * never calls AWS), scoped to the account and region, with each policy's protected tags as
 * `aws:ResourceTag` conditions where the action supports them. Statements with the same resources
 * and conditions are merged; actions are sorted, so the output is stable.
 */
export function remediationStatements(policies: readonly Policy[], scope: AccountScope): PolicyStatement[] {
  const merged = new Map<string, PolicyStatement>();
  for (const policy of policies) {
    if (policy.mode === "dry-run") continue;
    for (const grant of grantsOf(policy)) {
      const resources = grant.resources(scope);
      const conditions = conditionsOf(grant, policy);
      const key = JSON.stringify([resources, conditions]);
      const statement = merged.get(key) ?? { actions: [], resources, ...(conditions.length > 0 && { conditions }) };
      statement.actions = [...new Set([...statement.actions, ...grant.actions])].sort();
      merged.set(key, statement);
    }
  }
  return [...merged.values()];
}

