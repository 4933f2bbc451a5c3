import { DescribeTagsCommand } from "@aws-sdk/client-ec2";
import { ListUserTagsCommand } from "@aws-sdk/client-iam";
import { GetBucketTaggingCommand } from "@aws-sdk/client-s3";
import type { Plan } from "../../core/remediation";
import { awsCodeOf, mapAwsError } from "./playbooks/call";
import { clientFor } from "./playbooks/clients";

type Tags = Record<string, string>;
const toTags = (list: { Key?: string; Value?: string }[] | undefined): Tags =>
  Object.fromEntries((list ?? []).filter((t) => t.Key !== undefined).map((t) => [t.Key!, t.Value ?? ""]));

// A bucket or user with no tags answers with an error, not an empty list.
const NO_TAGS = new Set(["NoSuchTagSet", "NoSuchTagSetError"]);

async function read(plan: Plan): Promise<Tags> {
  const f = plan.facts;
  switch (f.kind) {
    case "s3-bucket":
      return toTags((await clientFor("s3").send(new GetBucketTaggingCommand({ Bucket: f.bucket }))).TagSet);
    case "security-group":
    case "instance":
    case "volume":
    case "snapshot": {
      const id = f.kind === "security-group" ? f.groupId : f.kind === "instance" ? f.instanceId : f.kind === "volume" ? f.volumeId : f.snapshotId;
      const out = await clientFor("ec2").send(new DescribeTagsCommand({ Filters: [{ Name: "resource-id", Values: [id] }] }));
      return toTags(out.Tags);
    }
    case "address": {
      // An address known only by its public IP (EC2-Classic) carries no taggable id.
      if (!f.allocationId) return {};
      const out = await clientFor("ec2").send(new DescribeTagsCommand({ Filters: [{ Name: "resource-id", Values: [f.allocationId] }] }));
      return toTags(out.Tags);
    }
    case "access-key":
      return f.userName ? toTags((await clientFor("iam").send(new ListUserTagsCommand({ UserName: f.userName }))).Tags) : {};
    case "iam-grant":
      return f.principal.type === "user" ? toTags((await clientFor("iam").send(new ListUserTagsCommand({ UserName: f.principal.name }))).Tags) : {};
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
