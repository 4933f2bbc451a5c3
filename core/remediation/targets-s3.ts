import { accountId, cloudTrailCall, nonCompliantConfigResource, securityHubResources, type Envelope } from "./event-fields";
import type { ResourceTarget } from "./target-types";

const PUBLIC_CANNED_ACLS = ["public-read", "public-read-write", "authenticated-read"];
const PUBLIC_GRANTEE = /acs\.amazonaws\.com\/groups\/global\/(AllUsers|AuthenticatedUsers)/;

// Canned ACL header, grant headers or an XML ACL body naming everyone (or every AWS account).
function aclIsPublic(params: Record<string, unknown>): boolean {
  const canned = params["x-amz-acl"];
  if (Array.isArray(canned) && canned.some((v) => PUBLIC_CANNED_ACLS.includes(String(v)))) return true;
  return PUBLIC_GRANTEE.test(JSON.stringify(params));
}

function principalIsEveryone(principal: unknown): boolean {
  if (principal === "*") return true;
  if (typeof principal !== "object" || principal === null) return false;
  const aws = (principal as Record<string, unknown>).AWS;
  return aws === "*" || (Array.isArray(aws) && aws.includes("*"));
}

// An unconditioned Allow to `*`; a Condition (source VPC, org id…) usually narrows it, so it is left alone.
function policyIsPublic(params: Record<string, unknown>): boolean {
  const policy = params.bucketPolicy;
  if (typeof policy !== "object" || policy === null) return false;
  const raw = (policy as Record<string, unknown>).Statement;
  const statements = Array.isArray(raw) ? raw : [raw];
  return statements.some((s) => {
    if (typeof s !== "object" || s === null) return false;
    const st = s as Record<string, unknown>;
    return st.Effect === "Allow" && principalIsEveryone(st.Principal) && st.Condition === undefined;
  });
}

function bucketTarget(bucket: string, account?: string, region?: string): ResourceTarget {
  return {
    resource: { id: `arn:aws:s3:::${bucket}`, type: "AWS::S3::Bucket", account: accountId(account), region },
    facts: { kind: "s3-bucket", bucket },
  };
}

/**
 * Buckets made public: by a PutBucketAcl/PutBucketPolicy call that grants everyone access, or named
 * by a NON_COMPLIANT Config evaluation or an active Security Hub finding.
 */
export function publicBucketTargets(e: Envelope): ResourceTarget[] {
  const call = cloudTrailCall(e, ["PutBucketAcl", "PutBucketPolicy"]);
  if (call) {
    const params = call.requestParameters ?? {};
    const bucket = params.bucketName;
    const isPublic = call.eventName === "PutBucketAcl" ? aclIsPublic(params) : policyIsPublic(params);
    if (typeof bucket !== "string" || bucket === "" || !isPublic) return [];
    return [bucketTarget(bucket, accountId(call.recipientAccountId, e.account), call.awsRegion ?? e.region)];
  }
  const config = nonCompliantConfigResource(e, "AWS::S3::Bucket");
  if (config) return [bucketTarget(config.resourceId, config.awsAccountId ?? e.account, config.awsRegion ?? e.region)];
  return securityHubResources(e, "AwsS3Bucket").map((r) =>
    bucketTarget(r.Id.replace(/^arn:aws[\w-]*:s3:::/, ""), r.account ?? e.account, r.Region ?? e.region),
  );
}
