import { isDeepStrictEqual } from "node:util";
import type { OpenIngressRule, Plan, Precondition, Step } from "../../../core/remediation";
import { readPath } from "./refs";

/** Whether a plan may act on the state just captured; `reason` says why not. */
export type PreconditionVerdict = { ok: true } | { ok: false; reason: string };

const DAY_MS = 86_400_000;

function holds(p: Precondition, before: Record<string, unknown>, now: Date): boolean {
  const value = readPath(before, p.path);
  if ("equals" in p) return isDeepStrictEqual(value, p.equals);
  if ("absent" in p) return value === undefined || value === null;
  const at = typeof value === "string" ? Date.parse(value) : Number.NaN;
  return !Number.isNaN(at) && now.getTime() - at >= p.olderThanDays * DAY_MS;
}

interface SecurityGroupRule {
  IsEgress?: boolean;
  IpProtocol?: string;
  FromPort?: number;
  ToPort?: number;
  CidrIpv4?: string;
  CidrIpv6?: string;
}

// CloudTrail omits ports for "all traffic" rules, which the API reports as -1.
function samePort(recorded: number | undefined, current: number | undefined): boolean {
  return recorded === undefined || recorded === current || (recorded === -1 && current === undefined);
}

/** Whether the group still has `rule` (as CloudTrail recorded it) among its current ingress rules. */
export function stillOpen(rule: OpenIngressRule, before: Record<string, unknown>): boolean {
  const rules = (before.SecurityGroupRules ?? []) as SecurityGroupRule[];
  return rules.some(
    (r) =>
      !r.IsEgress &&
      r.IpProtocol === rule.ipProtocol &&
      samePort(rule.fromPort, r.FromPort) &&
      samePort(rule.toPort, r.ToPort) &&
      (r.CidrIpv4 ?? r.CidrIpv6) === rule.cidr,
  );
}

// What each playbook must also see in the current state, beyond the plan's own preconditions.
const PLAYBOOK_CHECKS: Partial<Record<Plan["action"], (plan: Plan, before: Record<string, unknown>) => string | undefined>> = {
  "ec2.delete-orphaned-snapshot": (_plan, before) => {
    const image = readPath(before, "Images.0.ImageId");
    return image === undefined ? undefined : `the snapshot backs AMI ${String(image)}`;
  },
  "ec2.revoke-open-ingress": (plan, before) => {
    const rules = plan.facts.kind === "security-group" ? plan.facts.openRules : [];
    return rules.some((r) => stillOpen(r, before)) ? undefined : "no rule open to the world remains in the group";
  },
  "ec2.isolate-instance": (_plan, before) => {
    const state = readPath(before, "Reservations.0.Instances.0.State.Name");
    return state === "terminated" || state === "shutting-down" ? `the instance is ${state}` : undefined;
  },
};

/** Reads the executor adds to a plan's capture, for the checks the plan cannot express as paths. */
export function supplementaryCapture(plan: Plan): Step[] {
  if (plan.action !== "ec2.delete-orphaned-snapshot" || plan.facts.kind !== "snapshot") return [];
  return [
    {
      service: "ec2",
      operation: "DescribeImages",
      input: { Owners: ["self"], Filters: [{ Name: "block-device-mapping.snapshot-id", Values: [plan.facts.snapshotId] }] },
      purpose: "check that no AMI is backed by the snapshot",
    },
  ];
}

/**
 * Checks the plan's preconditions, then its playbook's own checks, against the state just captured.
 *
 * @param now - when the action would run (event time in replays), for `olderThanDays`
 * @returns `{ ok: true }`, or the first refusal's reason (the handler skips with `precondition_failed`)
 */
export function checkPreconditions(plan: Plan, before: Record<string, unknown>, now: Date = new Date()): PreconditionVerdict {
  const failed = plan.preconditions.find((p) => !holds(p, before, now));
  if (failed) return { ok: false, reason: failed.reason };
  const reason = PLAYBOOK_CHECKS[plan.action]?.(plan, before);
  return reason ? { ok: false, reason } : { ok: true };
}
