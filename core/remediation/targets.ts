import type { Policy, PolicyOf } from "./config";
import { readEnvelope, type Envelope } from "./event-fields";
import type { PlaybookId } from "./playbooks";
import type { ResourceTarget } from "./target-types";
import { exposedAccessKeyTargets, jitGrantTargets } from "./targets-iam";
import { addressTargets, compromisedInstanceTargets, openIngressTargets, snapshotTargets, volumeTargets } from "./targets-ec2";
import { publicBucketTargets } from "./targets-s3";

export type { IamGrant, OpenIngressRule, ResourceTarget, TargetFacts } from "./target-types";

// Any resource the event lists by ARN; the account itself when it lists none.
function anyResourceTargets(e: Envelope): ResourceTarget[] {
  const arns = e.resources ?? [];
  if (arns.length > 0) return arns.map((id) => ({ resource: { id, type: "AWS::Resource", region: e.region }, facts: { kind: "resource" } }));
  return e.account ? [{ resource: { id: e.account, type: "AWS::::Account", account: e.account }, facts: { kind: "resource" } }] : [];
}

const EXTRACTORS: Record<PlaybookId, (e: Envelope) => ResourceTarget[]> = {
  "ec2.delete-unattached-volume": volumeTargets,
  "ec2.release-unassociated-address": addressTargets,
  "ec2.delete-orphaned-snapshot": snapshotTargets,
  "s3.block-public-access": publicBucketTargets,
  "ec2.revoke-open-ingress": openIngressTargets,
  "ec2.isolate-instance": compromisedInstanceTargets,
  "iam.deactivate-access-key": exposedAccessKeyTargets,
  "iam.expire-jit-access": jitGrantTargets,
  "ssm.start-automation": anyResourceTargets,
};

/**
 * The resources a triggering event names that playbook `action` acts on; empty when the event names
 * none (e.g. an ingress rule open only to a /32, a bucket policy that is not public).
 *
 * @param action - the playbook
 * @param event - an EventBridge event (any inbound AWS event or Vigil event)
 */
export function targetsFrom(action: PlaybookId, event: unknown): ResourceTarget[] {
  const envelope = readEnvelope(event);
  return envelope ? EXTRACTORS[action](envelope) : [];
}

// Drops ingress rules a policy allows on purpose (single ports listed in `allowedPorts`).
function withoutAllowedPorts(policy: PolicyOf<"ec2.revoke-open-ingress">, targets: ResourceTarget[]): ResourceTarget[] {
  const allowed = new Set(policy.params.allowedPorts);
  return targets.flatMap((t) => {
    if (t.facts.kind !== "security-group") return [t];
    const openRules = t.facts.openRules.filter((r) => !(r.fromPort !== undefined && r.fromPort === r.toPort && allowed.has(r.fromPort)));
    return openRules.length > 0 ? [{ ...t, facts: { ...t.facts, openRules } }] : [];
  });
}

/**
 * The targets a policy acts on for an event: {@link targetsFrom} for its playbook, narrowed by the
 * policy's params (e.g. `allowedPorts`). Does not test the policy's `on` pattern.
 */
export function targetsForPolicy(policy: Policy, event: unknown): ResourceTarget[] {
  const targets = targetsFrom(policy.action, event);
  return policy.action === "ec2.revoke-open-ingress" ? withoutAllowedPorts(policy, targets) : targets;
}
