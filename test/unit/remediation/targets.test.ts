import { describe, expect, it } from "vitest";
import { parseRemediationConfig, targetsForPolicy, targetsFrom } from "../../../core/remediation";
import { cloudTrail, envelope, fixture, fixturesPresent, MISSING_FIXTURES } from "./fixtures";

const SG = "cloudtrail-record/cloudtrail-record-AuthorizeSecurityGroupIngress-panther.json";
const openToWorld = (r: Record<string, any>) => {
  r.requestParameters.ipPermissions.items[0].ipRanges.items.push({ cidrIp: "0.0.0.0/0" });
  r.requestParameters.ipPermissions.items.push({ ipProtocol: "tcp", fromPort: 443, toPort: 443, ipv6Ranges: { items: [{ cidrIpv6: "::/0" }] } });
};

describe.skipIf(!fixturesPresent)(`targetsFrom real fixtures (${fixturesPresent ? "present" : MISSING_FIXTURES})`, () => {
  it("finds the bucket a public PutBucketPolicy names, and none for a policy limited to a service", () => {
    const pub = targetsFrom("s3.block-public-access", cloudTrail("cloudtrail-record/cloudtrail-record-PutBucketPolicy-public-panther.json"));
    expect(pub).toEqual([
      { resource: { id: "arn:aws:s3:::example-bucket", type: "AWS::S3::Bucket", account: "123456789012", region: "us-west-2" }, facts: { kind: "s3-bucket", bucket: "example-bucket" } },
    ]);
    expect(targetsFrom("s3.block-public-access", cloudTrail("cloudtrail-record/cloudtrail-record-PutBucketPolicy-not-public-panther.json"))).toEqual([]);
  });

  it("finds a bucket made public by PutBucketAcl, not one set private", () => {
    const file = "cloudtrail-record/cloudtrail-record-PutBucketAcl-panther.json";
    expect(targetsFrom("s3.block-public-access", cloudTrail(file))).toEqual([]);
    const publicRead = targetsFrom("s3.block-public-access", cloudTrail(file, (r) => (r.requestParameters["x-amz-acl"] = ["public-read"])));
    expect(publicRead.map((t) => t.resource.id)).toEqual(["arn:aws:s3:::bucket"]);
  });

  it("ignores a PutBucketAcl that failed", () => {
    const failed = cloudTrail("cloudtrail-record/cloudtrail-record-PutBucketAcl-panther.json", (r) => {
      r.requestParameters["x-amz-acl"] = ["public-read-write"];
      r.errorCode = "AccessDenied";
    });
    expect(targetsFrom("s3.block-public-access", failed)).toEqual([]);
  });

  it("finds a bucket from a NON_COMPLIANT Config evaluation only", () => {
    const message = fixture("config-rules-compliance-change/sns-compliance-change-notification-COMPLIANT-awsdocs.json").Message as Record<string, any>;
    expect(targetsFrom("s3.block-public-access", envelope("aws.config", "Config Rules Compliance Change", message))).toEqual([]);
    const bucket = { ...message, resourceType: "AWS::S3::Bucket", resourceId: "logs", newEvaluationResult: { ...message.newEvaluationResult, complianceType: "NON_COMPLIANT" } };
    const targets = targetsFrom("s3.block-public-access", envelope("aws.config", "Config Rules Compliance Change", bucket));
    expect(targets.map((t) => [t.resource.id, t.resource.region])).toEqual([["arn:aws:s3:::logs", "us-east-2"]]);
  });

  it("finds buckets in a Security Hub finding, and nothing in a finding about a trail", () => {
    const trail = fixture("securityhub-asff-finding/asff-control-finding-0-awsdocs.json") as Record<string, any>;
    expect(targetsFrom("s3.block-public-access", envelope("aws.securityhub", "Security Hub Findings - Imported", { findings: [trail] }))).toEqual([]);
    const bucket = { ...trail, Resources: [{ Type: "AwsS3Bucket", Id: "arn:aws:s3:::public-site", Region: "us-east-2" }] };
    const found = targetsFrom("s3.block-public-access", envelope("aws.securityhub", "Security Hub Findings - Imported", { findings: [bucket] }));
    expect(found.map((t) => [t.resource.id, t.resource.account])).toEqual([["arn:aws:s3:::public-site", "123456789012"]]);
    const passed = { ...bucket, Compliance: { Status: "PASSED" } };
    expect(targetsFrom("s3.block-public-access", envelope("aws.securityhub", "Security Hub Findings - Imported", { findings: [passed] }))).toEqual([]);
  });

  it("takes only the 0.0.0.0/0 and ::/0 rules of AuthorizeSecurityGroupIngress", () => {
    expect(targetsFrom("ec2.revoke-open-ingress", cloudTrail(SG))).toEqual([]); // the fixture opens 22 to a /32 only
    const [target, ...rest] = targetsFrom("ec2.revoke-open-ingress", cloudTrail(SG, openToWorld));
    expect(rest).toEqual([]);
    expect(target?.resource).toEqual({ id: "arn:aws:ec2:us-west-2:123456789012:security-group/sg-1", type: "AWS::EC2::SecurityGroup", account: "123456789012", region: "us-west-2" });
    expect(target?.facts).toEqual({
      kind: "security-group",
      groupId: "sg-1",
      openRules: [
        { ipProtocol: "tcp", fromPort: 22, toPort: 22, cidr: "0.0.0.0/0" },
        { ipProtocol: "tcp", fromPort: 443, toPort: 443, cidr: "::/0" },
      ],
    });
  });

  it("leaves a policy's allowedPorts open", () => {
    const { policies } = parseRemediationConfig({ policies: [{ name: "ingress", on: { source: ["aws.ec2"] }, action: "ec2.revoke-open-ingress", params: { allowedPorts: [443] } }] });
    const [target] = targetsForPolicy(policies[0]!, cloudTrail(SG, openToWorld));
    expect(target?.facts).toMatchObject({ openRules: [{ fromPort: 22, cidr: "0.0.0.0/0" }] });
  });

  it.each([
    ["guardduty-finding/guardduty-ec2-dns-cc-custodian.json", "i-99999999", "883606788610"],
    ["guardduty-finding/guardduty-bare-finding-ec2-automated-response-sample.json", "i-05746eb48123455e0", "123456789012"],
  ])("finds the instance of GuardDuty finding %s", (file, instanceId, account) => {
    const raw = fixture(file);
    const event = "detail" in raw ? raw : envelope("aws.guardduty", "GuardDuty Finding", raw);
    const [target] = targetsFrom("ec2.isolate-instance", event);
    expect(target?.facts).toEqual({ kind: "instance", instanceId });
    expect(target?.resource.id).toBe(`arn:aws:ec2:us-east-1:${account}:instance/${instanceId}`);
    expect(targetsFrom("iam.deactivate-access-key", event)).toEqual([]);
  });

  it("finds the instance of a GuardDuty finding relayed by Security Hub", () => {
    const finding = fixture("securityhub-asff-finding/asff-guardduty-finding-awsdocs.json");
    const [target] = targetsFrom("ec2.isolate-instance", envelope("aws.securityhub", "Security Hub Findings - Imported", { findings: [finding] }));
    expect(target?.facts).toEqual({ kind: "instance", instanceId: "i-0c10c2c7863d1a356" });
  });

  it("finds the exposed key of an AWS_RISK_CREDENTIALS_EXPOSED Health event", () => {
    const event = fixture("aws-health/health-risk-credentials-exposed-aws-health-tools.json");
    expect(targetsFrom("iam.deactivate-access-key", event)).toEqual([
      { resource: { id: "ACCESS_KEY_ID_HERE", type: "AWS::IAM::AccessKey", account: "123456789012" }, facts: { kind: "access-key", accessKeyId: "ACCESS_KEY_ID_HERE" } },
    ]);
    const other = fixture("aws-health/health-ec2-retirement-scheduled-custodian.json");
    expect(targetsFrom("iam.deactivate-access-key", other)).toEqual([]);
  });

  it("finds the key and its user in a GuardDuty IAM finding", () => {
    const [target] = targetsFrom("iam.deactivate-access-key", fixture("guardduty-finding/guardduty-iam-custodian.json"));
    expect(target?.facts).toEqual({ kind: "access-key", accessKeyId: "GeneratedFindingAccessKeyId", userName: "GeneratedFindingUserName" });
    expect(targetsFrom("ec2.isolate-instance", fixture("guardduty-finding/guardduty-iam-custodian.json"))).toEqual([]);
  });

  it("finds volumes and snapshots from EBS notifications", () => {
    const volume = targetsFrom("ec2.delete-unattached-volume", fixture("ebs-events/ebs-volume-createVolume-available-awsdocs.json"));
    expect(volume.map((t) => t.resource.id)).toEqual(["arn:aws:ec2:us-east-1:012345678901:volume/vol-01234567"]);
    const snapshot = targetsFrom("ec2.delete-orphaned-snapshot", fixture("ebs-events/ebs-snapshot-createSnapshot-succeeded-awsdocs.json"));
    expect(snapshot.map((t) => t.facts)).toEqual([{ kind: "snapshot", snapshotId: "snap-01234567" }]);
    expect(targetsFrom("ec2.delete-unattached-volume", fixture("ebs-events/ebs-volume-attachVolume-failed-kms-awsdocs.json"))).toEqual([]);
  });

  it("finds the volume of a CreateVolume call", () => {
    const event = envelope("aws.ec2", "AWS API Call via CloudTrail", fixture("cloudtrail-record/cloudtrail-record-ec2-CreateVolume-custodian.json"));
    const [target] = targetsFrom("ec2.delete-unattached-volume", event);
    expect(target?.facts.kind).toBe("volume");
    expect(target?.resource.type).toBe("AWS::EC2::Volume");
  });

  it("names nothing for an event that is not an EventBridge event", () => {
    expect(targetsFrom("s3.block-public-access", "not an event")).toEqual([]);
    expect(targetsFrom("ssm.start-automation", {})).toEqual([]);
  });
});
