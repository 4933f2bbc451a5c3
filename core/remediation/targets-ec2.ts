import * as z from "zod";
import { ec2Ref } from "./arn";
import {
  accountId,
  arnResourceId,
  cloudTrailCall,
  configItem,
  guardDutyFinding,
  read,
  securityHubResources,
  type Envelope,
} from "./event-fields";
import type { OpenIngressRule, ResourceTarget } from "./target-types";

const WORLD_CIDRS = ["0.0.0.0/0", "::/0"];

const IpPermissionSchema = z.looseObject({
  ipProtocol: z.string(),
  fromPort: z.number().optional(),
  toPort: z.number().optional(),
  ipRanges: z.looseObject({ items: z.array(z.looseObject({ cidrIp: z.string() })).optional() }).optional(),
  ipv6Ranges: z.looseObject({ items: z.array(z.looseObject({ cidrIpv6: z.string() })).optional() }).optional(),
});
const IngressParamsSchema = z.looseObject({
  groupId: z.string(),
  ipPermissions: z.looseObject({ items: z.array(IpPermissionSchema) }),
});

function ref(e: Envelope, region: string | undefined, account: string | undefined) {
  return { region: region ?? e.region, account: accountId(account, e.account) };
}

/** Security groups that AuthorizeSecurityGroupIngress opened to `0.0.0.0/0` or `::/0`, with only those rules. */
export function openIngressTargets(e: Envelope): ResourceTarget[] {
  const call = cloudTrailCall(e, ["AuthorizeSecurityGroupIngress"]);
  const params = call && read(IngressParamsSchema, call.requestParameters);
  if (!call || !params) return [];
  const openRules: OpenIngressRule[] = params.ipPermissions.items.flatMap((p) => {
    const cidrs = [...(p.ipRanges?.items ?? []).map((r) => r.cidrIp), ...(p.ipv6Ranges?.items ?? []).map((r) => r.cidrIpv6)];
    return cidrs
      .filter((cidr) => WORLD_CIDRS.includes(cidr))
      .map((cidr) => ({ ipProtocol: p.ipProtocol, fromPort: p.fromPort, toPort: p.toPort, cidr }));
  });
  if (openRules.length === 0) return [];
  const { region, account } = ref(e, call.awsRegion, call.recipientAccountId);
  return [
    {
      resource: { id: ec2Ref("security-group", params.groupId, region, account), type: "AWS::EC2::SecurityGroup", account, region },
      facts: { kind: "security-group", groupId: params.groupId, openRules },
    },
  ];
}

function instanceTarget(instanceId: string, region?: string, account?: string): ResourceTarget {
  return {
    resource: { id: ec2Ref("instance", instanceId, region, account), type: "AWS::EC2::Instance", account, region },
    facts: { kind: "instance", instanceId },
  };
}

/** The instance a GuardDuty finding (or a Security Hub finding about an instance) is about. */
export function compromisedInstanceTargets(e: Envelope): ResourceTarget[] {
  const finding = guardDutyFinding(e);
  if (finding) {
    const instanceId = finding.resource.instanceDetails?.instanceId;
    if (finding.resource.resourceType !== "Instance" || !instanceId) return [];
    const { region, account } = ref(e, finding.region, finding.accountId);
    return [instanceTarget(instanceId, region, account)];
  }
  return securityHubResources(e, "AwsEc2Instance").map((r) => {
    const { region, account } = ref(e, r.Region, r.account);
    return instanceTarget(arnResourceId(r.Id), region, account);
  });
}

function volumeTarget(volumeId: string, region?: string, account?: string): ResourceTarget {
  return {
    resource: { id: ec2Ref("volume", volumeId, region, account), type: "AWS::EC2::Volume", account, region },
    facts: { kind: "volume", volumeId },
  };
}

/**
 * Volumes that may have become unattached: detached (DetachVolume), created (EBS `createVolume`
 * notification, CreateVolume), or recorded by Config. The executor checks the state before acting.
 */
export function volumeTargets(e: Envelope): ResourceTarget[] {
  const call = cloudTrailCall(e, ["DetachVolume", "CreateVolume"]);
  if (call) {
    const source = call.eventName === "DetachVolume" ? call.requestParameters : call.responseElements;
    const volumeId = source?.volumeId;
    const { region, account } = ref(e, call.awsRegion, call.recipientAccountId);
    return typeof volumeId === "string" ? [volumeTarget(volumeId, region, account)] : [];
  }
  if (e.source === "aws.ec2" && e["detail-type"] === "EBS Volume Notification") {
    const result = read(z.looseObject({ result: z.string() }), e.detail)?.result;
    const volumeArn = (e.resources ?? []).find((r) => r.includes(":volume/"));
    return volumeArn && result === "available" ? [volumeTarget(arnResourceId(volumeArn), e.region, accountId(e.account))] : [];
  }
  const item = configItem(e, "AWS::EC2::Volume");
  return item ? [volumeTarget(item.resourceId, item.awsRegion ?? e.region, accountId(item.awsAccountId, e.account))] : [];
}

/** Elastic IPs that may have been left unassociated: allocated, disassociated, or recorded by Config. */
export function addressTargets(e: Envelope): ResourceTarget[] {
  const call = cloudTrailCall(e, ["AllocateAddress", "DisassociateAddress"]);
  const fields = call && (call.eventName === "AllocateAddress" ? call.responseElements : call.requestParameters);
  let allocationId: string | undefined;
  let publicIp: string | undefined;
  let region = e.region;
  let account = accountId(e.account);
  if (call) {
    allocationId = typeof fields?.allocationId === "string" ? fields.allocationId : undefined;
    publicIp = typeof fields?.publicIp === "string" ? fields.publicIp : undefined;
    ({ region, account } = ref(e, call.awsRegion, call.recipientAccountId));
  } else {
    const item = configItem(e, "AWS::EC2::EIP");
    allocationId = item?.resourceId;
    ({ region, account } = ref(e, item?.awsRegion, item?.awsAccountId));
  }
  const id = allocationId ?? publicIp;
  if (id === undefined) return [];
  return [
    {
      resource: { id: ec2Ref("elastic-ip", id, region, account), type: "AWS::EC2::EIP", account, region },
      facts: { kind: "address", allocationId, publicIp },
    },
  ];
}

/** Snapshots to check for orphanhood: created (EBS `createSnapshot` notification, CreateSnapshot). */
export function snapshotTargets(e: Envelope): ResourceTarget[] {
  let snapshotId: string | undefined;
  let region = e.region;
  let account = accountId(e.account);
  const call = cloudTrailCall(e, ["CreateSnapshot"]);
  if (call) {
    const id = call.responseElements?.snapshotId;
    snapshotId = typeof id === "string" ? id : undefined;
    ({ region, account } = ref(e, call.awsRegion, call.recipientAccountId));
  } else if (e.source === "aws.ec2" && e["detail-type"] === "EBS Snapshot Notification") {
    const d = read(z.looseObject({ result: z.string(), snapshot_id: z.string() }), e.detail);
    snapshotId = d?.result === "succeeded" ? arnResourceId(d.snapshot_id) : undefined;
  }
  if (snapshotId === undefined) return [];
  return [
    {
      resource: { id: ec2Ref("snapshot", snapshotId, region, account), type: "AWS::EC2::Snapshot", account, region },
      facts: { kind: "snapshot", snapshotId },
    },
  ];
}
