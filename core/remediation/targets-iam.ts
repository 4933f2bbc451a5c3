import * as z from "zod";
import { iamRef } from "./arn";
import { accountId, cloudTrailCall, guardDutyFinding, read, type Envelope } from "./event-fields";
import type { IamGrant, ResourceTarget } from "./target-types";

function accessKeyTarget(accessKeyId: string, account?: string, userName?: string): ResourceTarget {
  return {
    resource: { id: accessKeyId, type: "AWS::IAM::AccessKey", account: accountId(account) },
    facts: { kind: "access-key", accessKeyId, ...(userName ? { userName } : {}) },
  };
}

const HealthDetailSchema = z.looseObject({
  eventTypeCode: z.string(),
  affectedEntities: z.array(z.looseObject({ entityValue: z.string() })).default([]),
});

/** Exposed access keys: AWS Health `AWS_RISK_CREDENTIALS_EXPOSED`, or a GuardDuty finding about an access key. */
export function exposedAccessKeyTargets(e: Envelope): ResourceTarget[] {
  if (e.source === "aws.health" && e["detail-type"] === "AWS Health Event") {
    const d = read(HealthDetailSchema, e.detail);
    if (d?.eventTypeCode !== "AWS_RISK_CREDENTIALS_EXPOSED") return [];
    return d.affectedEntities.map((entity) => accessKeyTarget(entity.entityValue, e.account));
  }
  const finding = guardDutyFinding(e);
  const key = finding?.resource.accessKeyDetails;
  if (finding?.resource.resourceType !== "AccessKey" || !key?.accessKeyId) return [];
  return [accessKeyTarget(key.accessKeyId, finding.accountId ?? e.account, key.userName)];
}

const GRANT_CALLS = [
  "AttachUserPolicy",
  "AttachRolePolicy",
  "AttachGroupPolicy",
  "PutUserPolicy",
  "PutRolePolicy",
  "PutGroupPolicy",
  "AddUserToGroup",
];

const GrantParamsSchema = z.looseObject({
  userName: z.string().optional(),
  roleName: z.string().optional(),
  groupName: z.string().optional(),
  policyArn: z.string().optional(),
  policyName: z.string().optional(),
});

/** A permission granted by an IAM call (attach, put inline policy, add to group): what JIT access expires. */
export function jitGrantTargets(e: Envelope): ResourceTarget[] {
  const call = cloudTrailCall(e, GRANT_CALLS);
  const p = call && read(GrantParamsSchema, call.requestParameters);
  if (!call || !p) return [];
  let principal: { type: "user" | "role" | "group"; name: string } | undefined;
  let grant: IamGrant | undefined;
  if (call.eventName === "AddUserToGroup") {
    principal = p.userName ? { type: "user", name: p.userName } : undefined;
    grant = p.groupName ? { type: "group-membership", groupName: p.groupName } : undefined;
  } else {
    const name = p.userName ?? p.roleName ?? p.groupName;
    const type = p.userName ? "user" : p.roleName ? "role" : "group";
    principal = name ? { type, name } : undefined;
    if (p.policyArn) grant = { type: "managed-policy", policyArn: p.policyArn };
    else if (p.policyName) grant = { type: "inline-policy", policyName: p.policyName };
  }
  if (!principal || !grant) return [];
  const account = accountId(call.recipientAccountId, e.account);
  const type = { user: "AWS::IAM::User", role: "AWS::IAM::Role", group: "AWS::IAM::Group" }[principal.type];
  return [{ resource: { id: iamRef(principal.type, principal.name, account), type, account }, facts: { kind: "iam-grant", principal, grant } }];
}
