import { describe, expect, it } from "vitest";
import {
  compilePolicies,
  executedDetail,
  remediationEventId,
  failedDetail,
  guardrailSkippedDetail,
  parseRemediationConfig,
  planRemediation,
  plannedDetail,
  policiesFor,
  remediationIdOf,
  skippedDetail,
  approvedDetail,
  targetsFrom,
  TargetMismatchError,
} from "../../../core/remediation";
import { cloudTrail, fixturesPresent, MISSING_FIXTURES } from "./fixtures";

const now = new Date("2025-06-02T10:00:00Z");
const config = parseRemediationConfig({
  policies: [
    {
      name: "block-public-buckets",
      on: { source: ["aws.s3"], "detail-type": ["AWS API Call via CloudTrail"], detail: { eventName: ["PutBucketAcl", "PutBucketPolicy"] } },
      action: "s3.block-public-access",
      mode: "auto",
    },
    { name: "jit", on: { source: ["aws.iam"] }, action: "iam.expire-jit-access", mode: "approve", params: { maxDurationMinutes: 30 } },
    { name: "runbook", on: { source: ["aws.s3"] }, action: "ssm.start-automation", params: { documentName: "AWS-DisableS3BucketPublicReadWrite", parameters: { S3BucketName: ["{{resourceId}}"] } } },
  ],
});
const [blockPolicy, jitPolicy, runbookPolicy] = config.policies as [(typeof config.policies)[0], (typeof config.policies)[0], (typeof config.policies)[0]];
const POLICY_FILE = "cloudtrail-record/cloudtrail-record-PutBucketPolicy-public-panther.json";

describe("remediationIdOf", () => {
  it("is stable for the same policy, resource and event, and differs when any of them does", () => {
    const id = remediationIdOf("p", "arn:aws:s3:::b", "evt-1");
    expect(remediationIdOf("p", "arn:aws:s3:::b", "evt-1")).toBe(id);
    expect(id).toMatch(/^rem-[0-9a-f]{32}$/);
    const others = [remediationIdOf("q", "arn:aws:s3:::b", "evt-1"), remediationIdOf("p", "arn:aws:s3:::c", "evt-1"), remediationIdOf("p", "arn:aws:s3:::b", "evt-2")];
    expect(new Set([id, ...others]).size).toBe(4);
  });

  it("does not confuse fields that concatenate alike", () => {
    expect(remediationIdOf("ab", "c", "e")).not.toBe(remediationIdOf("a", "bc", "e"));
  });
});

describe.skipIf(!fixturesPresent)(`planRemediation (${fixturesPresent ? "fixtures present" : MISSING_FIXTURES})`, () => {
  // Read only when present: a skipped describe still runs its body to collect the tests.
  const event = fixturesPresent ? cloudTrail(POLICY_FILE) : ({} as ReturnType<typeof cloudTrail>);
  const [target] = fixturesPresent ? targetsFrom("s3.block-public-access", event) : [];

  it("matches the issue's policy against the triggering event", () => {
    expect(policiesFor(compilePolicies(config), event).map((p) => p.name)).toEqual(["block-public-buckets", "runbook"]);
    expect(policiesFor(compilePolicies(config), cloudTrail(POLICY_FILE, (r) => (r.eventName = "GetBucketAcl"))).map((p) => p.name)).toEqual(["runbook"]);
  });

  it("plans the same remediation for a redelivered event, whenever it is planned", () => {
    const first = planRemediation(blockPolicy, event, target!, { now });
    const again = planRemediation(blockPolicy, structuredClone(event), target!, { now: new Date(now.getTime() + 60_000) });
    expect(again.remediationId).toBe(first.remediationId);
    expect(first.remediationId).toBe(remediationIdOf("block-public-buckets", "arn:aws:s3:::example-bucket", event.id));
    expect(planRemediation(blockPolicy, { ...event, id: "another" }, target!, { now }).remediationId).not.toBe(first.remediationId);
  });

  it("records the previous state to capture and how to roll back", () => {
    const plan = planRemediation(blockPolicy, event, target!, { now });
    expect(plan).toMatchObject({ mode: "auto", action: "s3.block-public-access", trigger: { eventId: event.id, source: "aws.s3", detailType: "AWS API Call via CloudTrail" } });
    expect(plan.capture.map((s) => s.operation)).toEqual(["GetPublicAccessBlock"]);
    expect(plan.steps).toEqual([
      expect.objectContaining({ operation: "PutPublicAccessBlock", input: { Bucket: "example-bucket", PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true } } }),
    ]);
    expect(plan.rollback).toMatchObject({ supported: true, steps: [{ input: { PublicAccessBlockConfiguration: { $before: "PublicAccessBlockConfiguration" } } }] });
  });

  it("fills an automation's parameters with the resource id", () => {
    const plan = planRemediation(runbookPolicy, event, targetsFrom("ssm.start-automation", { ...event, resources: ["arn:aws:s3:::example-bucket"] })[0]!, { now });
    expect(plan.steps[0]?.input).toEqual({ DocumentName: "AWS-DisableS3BucketPublicReadWrite", Parameters: { S3BucketName: ["arn:aws:s3:::example-bucket"] } });
  });

  it("refuses a target the playbook does not act on", () => {
    expect(() => planRemediation(jitPolicy, event, target!, { now })).toThrow(TargetMismatchError);
  });

  it("builds every outbound detail against the events/ schemas", () => {
    const plan = planRemediation(blockPolicy, event, target!, { now });
    const planned = plannedDetail(plan, { now });
    expect(planned).toMatchObject({ id: plan.remediationId, severity: "info", dedupKey: `remediation:${plan.remediationId}`, remediation: { status: "planned", mode: "auto" } });
    expect(approvedDetail(plan, { now, by: "alice" }).remediation.status).toBe("approved");
    const before = { PublicAccessBlockConfiguration: { BlockPublicPolicy: false } };
    expect(executedDetail(plan, { now, before }).remediation).toMatchObject({ status: "executed", before });
    expect(failedDetail(plan, { now, reason: "AccessDenied on PutPublicAccessBlock" })).toMatchObject({ severity: "error", remediation: { status: "failed" } });
    expect(skippedDetail(plan, { now, skip: "resource_not_found", detail: "NoSuchBucket" }).remediation.reason).toBe("resource_not_found: NoSuchBucket");
    const blocked = guardrailSkippedDetail(plan, { allowed: false, code: "remediation.guardrail_blocked", guardrail: "protected_tag", reason: "tagged vigil:protect=true" }, now);
    expect(blocked.remediation.reason).toBe("guardrail_blocked: protected_tag: tagged vigil:protect=true");
    const ids = [planned, executedDetail(plan, { now }), skippedDetail(plan, { now, skip: "dry_run" })].map((d) => d.eventId);
    expect(new Set(ids).size).toBe(3);
    expect(plannedDetail(plan, { now: new Date(now.getTime() + 1000) }).eventId).toBe(planned.eventId);
  });

  it("gives a rollback its own event id and says so in the payload and summary", () => {
    const plan = planRemediation(blockPolicy, event, target!, { now });
    const action = executedDetail(plan, { now });
    const rollback = executedDetail(plan, { now, operation: "rollback" });
    expect(action.eventId).toBe(remediationEventId("Remediation Executed", plan.remediationId));
    expect(rollback.eventId).toBe(remediationEventId("Remediation Executed", plan.remediationId, "rollback"));
    expect(rollback.eventId).not.toBe(action.eventId);
    expect(rollback.remediation.operation).toBe("rollback");
    expect(action.remediation).not.toHaveProperty("operation");
    expect(rollback.summary).toContain("rollback of s3.block-public-access");
    expect(failedDetail(plan, { now, reason: "x", operation: "rollback" }).eventId).not.toBe(failedDetail(plan, { now, reason: "x" }).eventId);
  });

  it("marks an approve-mode plan pending approval, with its link and expiry", () => {
    const grant = cloudTrail(POLICY_FILE, (r) => {
      r.eventSource = "iam.amazonaws.com";
      r.eventName = "AttachUserPolicy";
      r.requestParameters = { userName: "alice", policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" };
    });
    const [jitTarget] = targetsFrom("iam.expire-jit-access", grant);
    const plan = planRemediation(jitPolicy, grant, jitTarget!, { now });
    expect(plan.notBefore).toBe("2025-06-02T10:30:00.000Z");
    expect(plan.steps[0]).toMatchObject({ operation: "DetachUserPolicy", input: { UserName: "alice", PolicyArn: "arn:aws:iam::aws:policy/AdministratorAccess" } });
    const detail = plannedDetail(plan, { now, approvalUrl: "https://vigil.example.com/approve/x", expiresAt: new Date("2025-06-02T11:00:00Z") });
    expect(detail).toMatchObject({ severity: "warning", remediation: { status: "pending-approval", approvalUrl: "https://vigil.example.com/approve/x", expiresAt: "2025-06-02T11:00:00.000Z" } });
  });
});
