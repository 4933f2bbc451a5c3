import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { matchesPattern } from "../../../core/eventbridge/pattern";
import { mayOverlap, subscribedFamilies } from "../../../core/remediation/subscription";
import { FUNCTION_PATTERNS } from "../../../events/patterns";

const families = FUNCTION_PATTERNS.remediator;
const event = (source: string, detailType: string) => ({
  version: "0", id: "1", source, "detail-type": detailType, account: "123456789012", time: "2025-01-01T00:00:00Z", region: "us-east-1", resources: [], detail: {},
});

describe("subscribedFamilies", () => {
  it("subscribes to nothing without policies", () => {
    expect(subscribedFamilies(families, [])).toEqual(families.map(() => false));
  });

  it("keeps only the families a policy's source and detail-type lists can meet", () => {
    const findings = subscribedFamilies(families, [{ on: { source: ["aws.guardduty"], "detail-type": ["GuardDuty Finding"] } }]);
    expect(families.filter((_, i) => findings[i])).toEqual([families[1]]);
    const incidents = subscribedFamilies(families, [{ on: { source: ["vigil"], "detail-type": ["Incident Opened"] } }]);
    expect(families.filter((_, i) => incidents[i])).toEqual([families[0]]);
    // CloudTrail's family takes any aws.* source by prefix.
    const trail = subscribedFamilies(families, [{ on: { source: ["aws.iam"], "detail-type": ["AWS API Call via CloudTrail"] } }]);
    expect(families.filter((_, i) => trail[i])).toEqual([families[3]]);
  });

  it("keeps every family a policy leaves open or limits with matchers it does not read", () => {
    const all = families.map(() => true);
    expect(subscribedFamilies(families, [{ on: { detail: { severity: [{ numeric: [">", 7] }] } } }])).toEqual(all);
    expect(subscribedFamilies(families, [{ on: { source: [{ prefix: "aws." }, "vigil"] } }])).toEqual(all);
    expect(subscribedFamilies(families, [{ on: { $or: [{ source: ["aws.ec2"] }, { source: ["vigil"] }] } }])).toEqual(all);
  });

  it("never leaves out a family whose events a policy matches (any source and detail-type lists)", () => {
    const sources = ["vigil", "aws.guardduty", "aws.securityhub", "aws.config", "aws.health", "aws.ec2", "aws.iam", "aws.cloudwatch", "custom"];
    const types = ["Incident Opened", "Incident Resolved", "GuardDuty Finding", "Config Rules Compliance Change", "AWS Health Event",
      "EC2 Instance State-change Notification", "AWS API Call via CloudTrail", "CloudWatch Alarm State Change", "Other"];
    const list = (values: string[]) => fc.option(fc.subarray(values, { minLength: 1 }), { nil: undefined });
    fc.assert(
      fc.property(list(sources), list(types), fc.constantFrom(...sources), fc.constantFrom(...types), (source, detailType, s, t) => {
        const on = { ...(source ? { source } : {}), ...(detailType ? { "detail-type": detailType } : {}) };
        fc.pre(Object.keys(on).length > 0); // EventBridge rejects an empty pattern, and so does the config
        const e = event(s, t);
        families.forEach((family, i) => {
          if (matchesPattern(family, e) && matchesPattern(on, e)) expect(subscribedFamilies(families, [{ on }])[i], `${JSON.stringify(on)} on ${s}/${t}`).toBe(true);
        });
        if (!families.some((family) => mayOverlap(family, on))) expect(families.some((family) => matchesPattern(family, e) && matchesPattern(on, e))).toBe(false);
      }),
      { numRuns: 2_000 },
    );
  });
});
