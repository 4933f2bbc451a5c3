import type { ResourceRef } from "../../events/outbound/envelope";

/** One ingress permission open to the world, as AuthorizeSecurityGroupIngress recorded it. */
export interface OpenIngressRule {
  ipProtocol: string;
  fromPort?: number;
  toPort?: number;
  /** `0.0.0.0/0` or `::/0`. */
  cidr: string;
}

/** What a triggering event says about the resource, beyond its id: what the playbook needs to act. */
export type TargetFacts =
  | { kind: "s3-bucket"; bucket: string }
  | { kind: "security-group"; groupId: string; openRules: OpenIngressRule[] }
  | { kind: "instance"; instanceId: string }
  | { kind: "access-key"; accessKeyId: string; userName?: string }
  | { kind: "volume"; volumeId: string }
  | { kind: "address"; allocationId?: string; publicIp?: string }
  | { kind: "snapshot"; snapshotId: string }
  | { kind: "iam-grant"; principal: { type: "user" | "role" | "group"; name: string }; grant: IamGrant }
  | { kind: "resource" };

/** A just-in-time permission a CloudTrail call granted. */
export type IamGrant =
  | { type: "managed-policy"; policyArn: string }
  | { type: "inline-policy"; policyName: string }
  | { type: "group-membership"; groupName: string };

/** A resource a triggering event names, and what the event says about it. */
export interface ResourceTarget {
  resource: ResourceRef;
  facts: TargetFacts;
}
