import { parseRemediationConfig, planRemediation, type Plan, type PlaybookId, type TargetFacts } from "../../../core/remediation";

export const NOW = new Date("2025-06-02T10:00:00Z");
export const ACCOUNT = "123456789012";

const RESOURCE_TYPES: Record<TargetFacts["kind"], string> = {
  "s3-bucket": "AWS::S3::Bucket",
  "security-group": "AWS::EC2::SecurityGroup",
  instance: "AWS::EC2::Instance",
  "access-key": "AWS::IAM::AccessKey",
  volume: "AWS::EC2::Volume",
  address: "AWS::EC2::EIP",
  snapshot: "AWS::EC2::Snapshot",
  "iam-grant": "AWS::IAM::User",
  resource: "AWS::Resource",
};

/** A plan of one playbook for a target with `facts`, made by the real planner from a parsed policy. */
export function planFor(action: PlaybookId, facts: TargetFacts, params: Record<string, unknown> = {}, resourceId = "res-1"): Plan {
  const { policies } = parseRemediationConfig({ policies: [{ name: "p", on: { source: ["aws.test"] }, action, mode: "auto", params }] });
  const event = { id: "evt-1", source: "aws.test", "detail-type": "Test", account: ACCOUNT, region: "us-east-1", detail: {} };
  return planRemediation(policies[0]!, event, { resource: { id: resourceId, type: RESOURCE_TYPES[facts.kind], account: ACCOUNT }, facts }, { now: NOW });
}
