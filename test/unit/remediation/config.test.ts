import { describe, expect, it } from "vitest";
import { z } from "zod";
import { InvalidRemediationConfigError, parseRemediationConfig, RemediationConfigSchema } from "../../../core/remediation";

const ok = { name: "block-public-buckets", on: { source: ["aws.s3"] }, action: "s3.block-public-access" };

function errorOf(section: unknown): InvalidRemediationConfigError {
  try {
    parseRemediationConfig(section);
  } catch (error) {
    if (error instanceof InvalidRemediationConfigError) return error;
    throw error;
  }
  throw new Error("expected the section to be refused");
}

describe("remediation config", () => {
  it("parses the issue's example, keeping its mode and defaulting its guardrails", () => {
    const config = parseRemediationConfig({
      policies: [
        {
          name: "block-public-buckets",
          on: { source: ["aws.s3"], "detail-type": ["AWS API Call via CloudTrail"], detail: { eventName: ["PutBucketAcl", "PutBucketPolicy"] } },
          action: "s3.block-public-access",
          mode: "auto",
        },
      ],
    });
    const [policy] = config.policies;
    expect(policy?.mode).toBe("auto");
    expect(policy?.guardrails.protectedTags).toEqual({ "vigil:protect": "true" });
    expect(policy?.guardrails.changeWindows).toEqual([]);
  });

  it("defaults mode to dry-run and fills each playbook's params", () => {
    const config = parseRemediationConfig({
      policies: [
        { name: "snaps", on: { source: ["aws.ec2"] }, action: "ec2.delete-orphaned-snapshot" },
        { name: "iso", on: { source: ["aws.guardduty"] }, action: "ec2.isolate-instance", params: { quarantineSecurityGroupName: "jail" } },
      ],
    });
    expect(config.policies.map((p) => p.mode)).toEqual(["dry-run", "dry-run"]);
    expect(config.policies[0]?.params).toEqual({ olderThanDays: 30 });
    expect(config.policies[1]?.params).toEqual({ quarantineSecurityGroupName: "jail", snapshotVolumes: true });
  });

  it("accepts an empty section", () => {
    expect(parseRemediationConfig(undefined)).toEqual({ policies: [] });
  });

  it.each([
    ["an invalid pattern, with the matcher's reason", { ...ok, on: { source: "aws.s3" } }, "remediation.policies.1.on", /must be an object or an array/],
    ["an unknown action", { ...ok, action: "s3.delete-bucket" }, "remediation.policies.1.action", /unknown action; expected one of .*s3\.block-public-access/],
    ["a bad mode", { ...ok, mode: "yolo" }, "remediation.policies.1.mode", /./],
    ["a misspelt param", { ...ok, action: "ec2.delete-orphaned-snapshot", params: { olderThan: 3 } }, "remediation.policies.1.params", /olderThan/],
    ["a param of the wrong type", { ...ok, action: "ec2.delete-orphaned-snapshot", params: { olderThanDays: -1 } }, "remediation.policies.1.params.olderThanDays", /./],
    ["ssm without documentName", { ...ok, action: "ssm.start-automation", params: {} }, "remediation.policies.1.params.documentName", /./],
    ["an unknown key", { ...ok, trigger: "x" }, "remediation.policies.1", /trigger/],
    ["a blast radius without a limit", { ...ok, guardrails: { blastRadius: { windowMinutes: 60 } } }, "remediation.policies.1.guardrails.blastRadius", /maxResources or maxPercent/],
    ["a bad time zone", { ...ok, guardrails: { changeWindows: [{ days: ["mon"], start: "09:00", end: "17:00", timezone: "Mars/Olympus" }] } }, "remediation.policies.1.guardrails.changeWindows.0.timezone", /IANA/],
    ["a bad hour", { ...ok, guardrails: { changeWindows: [{ days: ["mon"], start: "25:00", end: "17:00" }] } }, "remediation.policies.1.guardrails.changeWindows.0.start", /HH:MM/],
    ["a bad rate limit", { ...ok, guardrails: { rateLimit: { perAccount: { max: 0, windowMinutes: 5 } } } }, "remediation.policies.1.guardrails.rateLimit.perAccount.max", /./],
  ])("refuses the whole file for %s, naming the path", (_what, bad, path, reason) => {
    const error = errorOf({ policies: [{ ...ok, name: "first" }, { ...bad, name: "second" }] });
    expect(error.code).toBe("remediation.invalid_config");
    expect(error.path).toBe(path);
    expect(error.reason).toMatch(reason);
  });

  it("refuses duplicate policy names at the second one", () => {
    const error = errorOf({ policies: [ok, { ...ok, action: "ec2.revoke-open-ingress" }] });
    expect(error.path).toBe("remediation.policies.1.name");
    expect(error.reason).toContain('duplicate policy name "block-public-buckets"');
  });

  it("reports the same path when wired into a config file schema", () => {
    const file = z.strictObject({ remediation: RemediationConfigSchema });
    const result = file.safeParse({ remediation: { policies: [{ ...ok, on: { detail: { port: [{ numeric: [">", "x"] }] } } }] } });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path.join(".")).toBe("remediation.policies.0.on");
  });
});
