import {
  IAMClient,
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  DeleteGroupPolicyCommand,
  DeleteRolePolicyCommand,
  DeleteUserPolicyCommand,
  DetachGroupPolicyCommand,
  DetachRolePolicyCommand,
  DetachUserPolicyCommand,
  GetAccessKeyLastUsedCommand,
  GetGroupPolicyCommand,
  GetRolePolicyCommand,
  GetUserPolicyCommand,
  ListUserTagsCommand,
  PutGroupPolicyCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
  RemoveUserFromGroupCommand,
  UpdateAccessKeyCommand,
} from "@aws-sdk/client-iam";
import type { PlaybookClientOptions } from "../clients";
import type { CommandClass } from "../operations";

/**
 * The IAM operations a playbook step, capture or rollback may name, and the client that sends them.
 * Loaded only when a plan calls IAM (functions/lib/playbooks/services.ts): the SDK client package is
 * most of a remediation bundle and most invocations call no AWS service at all.
 */
export const operations: Readonly<Record<string, CommandClass>> = {
  AddUserToGroup: AddUserToGroupCommand,
  AttachGroupPolicy: AttachGroupPolicyCommand,
  AttachRolePolicy: AttachRolePolicyCommand,
  AttachUserPolicy: AttachUserPolicyCommand,
  DeleteGroupPolicy: DeleteGroupPolicyCommand,
  DeleteRolePolicy: DeleteRolePolicyCommand,
  DeleteUserPolicy: DeleteUserPolicyCommand,
  DetachGroupPolicy: DetachGroupPolicyCommand,
  DetachRolePolicy: DetachRolePolicyCommand,
  DetachUserPolicy: DetachUserPolicyCommand,
  GetAccessKeyLastUsed: GetAccessKeyLastUsedCommand,
  GetGroupPolicy: GetGroupPolicyCommand,
  GetRolePolicy: GetRolePolicyCommand,
  GetUserPolicy: GetUserPolicyCommand,
  PutGroupPolicy: PutGroupPolicyCommand,
  PutRolePolicy: PutRolePolicyCommand,
  PutUserPolicy: PutUserPolicyCommand,
  RemoveUserFromGroup: RemoveUserFromGroupCommand,
  UpdateAccessKey: UpdateAccessKeyCommand,
};

/** An IAMClient with the playbooks' options. */
export const createClient = (options: PlaybookClientOptions) => new IAMClient(options);

/** Reads a target's tags for the protected-tag guardrail (functions/lib/resource-tags.ts). */
export { ListUserTagsCommand };
