import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateBucketCommand, GetPublicAccessBlockCommand, PutBucketAclCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { remediationIdOf } from "../../core/remediation";
import { MOTO_MISSING, motoAvailable, startMoto, type MotoHandle } from "../support/moto";

const vigil = join(process.cwd(), "bin", "vigil.mjs");

function run(args: string[], env: Record<string, string> = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [vigil, ...args], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.once("exit", (status) => resolve({ status, stdout, stderr }));
  });
}

describe("vigil remediation rollback: usage", () => {
  it("refuses a missing id or data folder with exit code 2 and says what was wrong", async () => {
    const usage = await run(["remediation", "undo"]);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain("remediation has one subcommand: rollback <remediationId>");
    const nothing = await run(["remediation", "rollback", "rem-1", "--data", join(tmpdir(), "vigil-no-data-here")]);
    expect(nothing.status).toBe(2);
    expect(nothing.stderr).toMatch(/no Vigil data in/);
  }, 120_000);
});

describe.skipIf(!motoAvailable)(`vigil replay then vigil remediation rollback against moto_server (${motoAvailable ? "moto_server found" : MOTO_MISSING})`, () => {
  let moto: MotoHandle;
  let s3: S3Client;
  const dir = mkdtempSync(join(tmpdir(), "vigil-rollback-"));
  const eventId = "6f1c7a52-0d1e-4b8a-9c3f-2a4b5c6d7e8f";
  const rid = remediationIdOf("block-public-buckets", "arn:aws:s3:::cli-public", eventId);

  beforeAll(async () => {
    moto = (await startMoto())!;
    s3 = new S3Client({ endpoint: moto.endpoint, region: "us-east-1", forcePathStyle: true, credentials: { accessKeyId: "testing", secretAccessKey: "testing" } });
    await s3.send(new CreateBucketCommand({ Bucket: "cli-public" }));
    await s3.send(new PutBucketAclCommand({ Bucket: "cli-public", ACL: "public-read" }));
    writeFileSync(
      join(dir, "vigil.config.yaml"),
      [
        "remediation:",
        "  policies:",
        "    - name: block-public-buckets",
        "      on: { source: [aws.s3], detail-type: [AWS API Call via CloudTrail], detail: { eventName: [PutBucketAcl] } }",
        "      action: s3.block-public-access",
        "      mode: auto",
      ].join("\n"),
    );
    const event = {
      version: "0", id: eventId, "detail-type": "AWS API Call via CloudTrail", source: "aws.s3", account: "123456789012", time: "2025-11-03T14:00:00Z", region: "us-east-1", resources: [],
      detail: {
        eventVersion: "1.09", eventID: "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", eventTime: "2025-11-03T14:00:00Z", eventSource: "s3.amazonaws.com", eventName: "PutBucketAcl",
        awsRegion: "us-east-1", eventType: "AwsApiCall", userIdentity: { type: "IAMUser", accountId: "123456789012" }, recipientAccountId: "123456789012",
        requestParameters: { bucketName: "cli-public", "x-amz-acl": ["public-read"] },
      },
    };
    writeFileSync(join(dir, "events.jsonl"), JSON.stringify(event) + "\n");
  }, 120_000);
  afterAll(async () => {
    s3?.destroy();
    await moto?.stop();
  });

  const block = () => s3.send(new GetPublicAccessBlockCommand({ Bucket: "cli-public" })).then((r) => r.PublicAccessBlockConfiguration, (e: Error) => e.name);

  it("a replay changes the emulated account as the policy says; the rollback undoes it, once", async () => {
    const env = { AWS_ENDPOINT_URL: moto.endpoint, AWS_ACCESS_KEY_ID: "testing", AWS_SECRET_ACCESS_KEY: "testing", AWS_REGION: "us-east-1" };
    const config = join(dir, "vigil.config.yaml");
    const data = join(dir, "data");
    const replayed = await run(["replay", join(dir, "events.jsonl"), "--config", config, "--data", data], env);
    expect(replayed.status, replayed.stderr).toBe(0);
    expect(await block(), replayed.stdout + replayed.stderr).toEqual({ BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true });

    const rolled = await run(["remediation", "rollback", rid, "--config", config, "--data", data], env);
    expect(rolled.status, rolled.stderr).toBe(0);
    expect(rolled.stdout).toContain(`${rid} rolled back`);
    expect(await block()).toBe("NoSuchPublicAccessBlockConfiguration");

    const again = await run(["remediation", "rollback", rid, "--config", config, "--data", data], env);
    expect(again.status).toBe(0);
    expect(again.stdout).toContain(`${rid} was already rolled back`);
    const verified = await run(["verify-audit", "--config", config, "--data", data]);
    expect(verified.stdout).toContain("intact");
  }, 300_000);
});
