import type { Plan } from "../../core/remediation";
import { awsCodeOf, mapAwsError } from "./playbooks/call";
import { clientFor } from "./playbooks/clients";
import { loadService } from "./playbooks/services";

type Tags = Record<string, string>;
const toTags = (list: { Key?: string; Value?: string }[] | undefined): Tags =>
  Object.fromEntries((list ?? []).filter((t) => t.Key !== undefined).map((t) => [t.Key!, t.Value ?? ""]));

// A bucket or user with no tags answers with an error, not an empty list.
const NO_TAGS = new Set(["NoSuchTagSet", "NoSuchTagSetError"]);

async function bucketTags(bucket: string): Promise<Tags> {
  const { GetBucketTaggingCommand } = await loadService("s3");
  return toTags((await (await clientFor("s3")).send(new GetBucketTaggingCommand({ Bucket: bucket }))).TagSet);
}

async function ec2Tags(resourceId: string): Promise<Tags> {
  const { DescribeTagsCommand } = await loadService("ec2");
  return toTags((await (await clientFor("ec2")).send(new DescribeTagsCommand({ Filters: [{ Name: "resource-id", Values: [resourceId] }] }))).Tags);
}

async function userTags(userName: string): Promise<Tags> {
  const { ListUserTagsCommand } = await loadService("iam");
  return toTags((await (await clientFor("iam")).send(new ListUserTagsCommand({ UserName: userName }))).Tags);
}

async function read(plan: Plan): Promise<Tags> {
  const f = plan.facts;
  switch (f.kind) {
    case "s3-bucket":
      return bucketTags(f.bucket);
    case "security-group":
    case "instance":
    case "volume":
    case "snapshot": {
      const id = f.kind === "security-group" ? f.groupId : f.kind === "instance" ? f.instanceId : f.kind === "volume" ? f.volumeId : f.snapshotId;
      return ec2Tags(id);
    }
    case "address": {
      // An address known only by its public IP (EC2-Classic) carries no taggable id.
      if (!f.allocationId) return {};
      return ec2Tags(f.allocationId);
    }
    case "access-key":
      return f.userName ? userTags(f.userName) : {};
    case "iam-grant":
      return f.principal.type === "user" ? userTags(f.principal.name) : {};
    default:
      return {};
  }
}

/**
 * The target's current tags, for the protected-tag guardrail; `{}` for resource kinds that carry none here.
 *
 * @throws ResourceGoneError when the resource no longer exists, or another playbook error when the read fails
 */
export async function resourceTags(plan: Plan): Promise<Tags> {
  try {
    return await read(plan);
  } catch (error) {
    if (NO_TAGS.has(awsCodeOf(error))) return {};
    throw mapAwsError(error, "read tags", plan.resource.id);
  }
}
