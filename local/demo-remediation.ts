import { AuthorizeSecurityGroupIngressCommand, CreateSecurityGroupCommand, DescribeSecurityGroupRulesCommand, EC2Client } from "@aws-sdk/client-ec2";
import { CreateBucketCommand, GetPublicAccessBlockCommand, PutBucketAclCommand, S3Client } from "@aws-sdk/client-s3";
import type { BusEvent } from "./eventbridge/bus";
import { invokeFunction } from "./direct-invoke";
import type { MotoHandle } from "./moto";
import type { Runtime } from "./runtime";

const ACCOUNT = "111122223333";
const REGION = "us-east-1";
/** The bucket the demo storm's PutBucketAcl makes public (block-public-buckets, mode approve). */
const PUBLIC_BUCKET = "orders-exports";
/** After the storm: the auto-mode step happens at 16:05 event time. */
const AUTO_AT = "2025-11-03T16:05:00Z";

/** The emulated account the demo acts on, with the SDK clients that show what changed. */
export interface DemoAccount {
  moto: MotoHandle;
  ec2: EC2Client;
  s3: S3Client;
  /** The security group the demo opens to the world, for the auto-mode step. */
  groupId: string;
  close(): Promise<void>;
}

/** An emulated account on its way up, or why there is none. */
export type DemoAccountLaunch = { ready: Promise<DemoAccount> } | { absent: string };

async function seed(moto: MotoHandle): Promise<DemoAccount> {
  const options = { endpoint: moto.endpoint, region: REGION, credentials: { accessKeyId: "demo", secretAccessKey: "demo" } };
  const ec2 = new EC2Client(options);
  const s3 = new S3Client({ ...options, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: PUBLIC_BUCKET }));
  await s3.send(new PutBucketAclCommand({ Bucket: PUBLIC_BUCKET, ACL: "public-read" }));
  const { GroupId } = await ec2.send(new CreateSecurityGroupCommand({ GroupName: "bastion", Description: "bastion hosts" }));
  return {
    moto, ec2, s3, groupId: GroupId!,
    async close() {
      ec2.destroy();
      s3.destroy();
      await moto.stop();
    },
  };
}

/**
 * Launches moto_server for the demo and points the playbooks at it at once (`AWS_ENDPOINT_URL` and
 * dummy credentials, so nothing can reach a real account), then creates what the demo's
 * remediations act on: the bucket the storm makes public, and a security group to open to the
 * world. Call before the runtime starts; the account comes up while the storm replays (nothing in
 * the storm calls a playbook's AWS API before the remediation section).
 *
 * @returns the launch, or why there is no account (moto_server not on PATH)
 */
export async function launchDemoAccount(): Promise<DemoAccountLaunch> {
  const { freePort, motoOnPath, startMotoOn } = await import("./moto");
  if (!motoOnPath()) return { absent: "moto_server is not on PATH" };
  const port = await freePort();
  Object.assign(process.env, { AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`, AWS_ACCESS_KEY_ID: "demo", AWS_SECRET_ACCESS_KEY: "demo", AWS_REGION: REGION });
  return { ready: startMotoOn(port).then(seed) };
}

/** The account once up, or why there is none (not on PATH, or it failed to start). */
export async function demoAccount(launch: DemoAccountLaunch): Promise<DemoAccount | { absent: string }> {
  if ("absent" in launch) return launch;
  try {
    return await launch.ready;
  } catch (error) {
    return { absent: `moto_server did not start (${error instanceof Error ? error.message.split("\n")[0] : String(error)})` };
  }
}

type RemediationEvent = BusEvent & { detail: { id: string; summary?: string; remediation: { policy: string; mode: string; status: string; approvalUrl?: string } } };

function remediationEvents(runtime: Runtime, from = 0): RemediationEvent[] {
  return runtime.bus.accepted
    .slice(from)
    .filter((a) => a.via === "PutEvents" && a.event.source === "vigil" && String(a.event["detail-type"]).startsWith("Remediation "))
    .map((a) => a.event as RemediationEvent);
}

const line = (mode: string, text: string) => `  ${mode.padEnd(8)} ${text}`.slice(0, 200);
const story = (events: RemediationEvent[]) => events.map((e) => e["detail-type"].replace("Remediation ", "").toLowerCase()).join(" → ");

// The CloudTrail record of someone opening SSH on the group to the whole internet.
function openSshEvent(groupId: string): BusEvent {
  return {
    version: "0", id: "0f3c2b1a-9d3e-4a5b-8c9d-5e6f7a8b9c0d", "detail-type": "AWS API Call via CloudTrail", source: "aws.ec2", account: ACCOUNT,
    time: AUTO_AT, region: REGION, resources: [],
    detail: {
      eventVersion: "1.09", eventID: "5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a", eventTime: AUTO_AT, eventType: "AwsApiCall",
      eventSource: "ec2.amazonaws.com", eventName: "AuthorizeSecurityGroupIngress", awsRegion: REGION, recipientAccountId: ACCOUNT,
      userIdentity: { type: "IAMUser", userName: "jdoe", accountId: ACCOUNT },
      requestParameters: { groupId, ipPermissions: { items: [{ ipProtocol: "tcp", fromPort: 22, toPort: 22, ipRanges: { items: [{ cidrIp: "0.0.0.0/0" }] } }] } },
    },
  };
}

/**
 * The demo's remediation section, after the storm was replayed: one remediation per mode. Dry-run
 * is the storm's GuardDuty finding. Approve is the storm's public bucket, decided through the
 * approve function with the link's token: approved when an emulated account is up, rejected
 * otherwise (approving would act on whatever account the AWS chain points at). Auto opens SSH to
 * the world on a security group in the emulated account and lets Vigil close it; without one it
 * is skipped, in one line that says why.
 *
 * @returns the lines to print
 */
export async function demoRemediationModes(runtime: Runtime, found: DemoAccount | { absent: string }): Promise<string[]> {
  const account = "absent" in found ? undefined : found;
  const lines = ["Remediation, one policy per mode (demo/vigil.config.yaml):"];
  const storm = remediationEvents(runtime);
  const byMode = (mode: string) => storm.filter((e) => e.detail.remediation.mode === mode);

  const dry = byMode("dry-run");
  if (dry[0]) lines.push(line("dry-run", `${dry[0].detail.remediation.policy}: ${story(dry)} (dry_run): the plan is in the event, nothing was touched`));

  const planned = byMode("approve").find((e) => e.detail.remediation.approvalUrl);
  if (planned) {
    const link = new URL(planned.detail.remediation.approvalUrl!);
    const decision = account ? "approve" : "reject";
    const seen = runtime.bus.accepted.length;
    const response = (await invokeFunction("approve", {
      rawPath: "/approve",
      queryStringParameters: { remediationId: planned.detail.id, token: link.searchParams.get("token") ?? "", decision },
    })) as { statusCode: number; body: string };
    await runtime.settle();
    const after = [planned, ...remediationEvents(runtime, seen)];
    let text = `${planned.detail.remediation.policy}: ${story(after)} (link followed with decision=${decision}, HTTP ${response.statusCode})`;
    if (account) {
      const block = await account.s3.send(new GetPublicAccessBlockCommand({ Bucket: PUBLIC_BUCKET })).then((r) => r.PublicAccessBlockConfiguration, () => undefined);
      const on = Object.entries(block ?? {}).filter(([, v]) => v === true).length;
      text += `: ${PUBLIC_BUCKET} has ${on} of 4 public access block settings on`;
    }
    lines.push(line("approve", text));
  }

  if (!account) {
    const why = "absent" in found ? found.absent : "";
    lines.push(`  ${"auto".padEnd(8)} skipped: ${why}, and the demo never acts on a real AWS account (pip install 'moto[server]' to see Vigil change an emulated one)`);
    return lines;
  }
  await account.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: account.groupId, IpPermissions: [{ IpProtocol: "tcp", FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: "0.0.0.0/0" }] }] }));
  const seen = runtime.bus.accepted.length;
  runtime.bus.inject("default", openSshEvent(account.groupId));
  await runtime.settle();
  const auto = remediationEvents(runtime, seen);
  const rules = (await account.ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: "group-id", Values: [account.groupId] }] }))).SecurityGroupRules ?? [];
  const open = rules.filter((r) => !r.IsEgress && r.CidrIpv4 === "0.0.0.0/0").map((r) => `${r.FromPort}/${r.IpProtocol}`);
  const policy = auto[0]?.detail.remediation.policy ?? "no policy matched";
  lines.push(line("auto", `${policy}: ${story(auto)}: ${account.groupId} (moto_server, ${account.moto.endpoint}) open to 0.0.0.0/0 now: ${open.join(", ") || "nothing"}`));
  return lines;
}
