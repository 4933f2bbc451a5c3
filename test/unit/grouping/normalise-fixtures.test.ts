import { describe, expect, it } from "vitest";
import { type Alert, buildTopology, normaliseEvent, type NormaliseResult } from "../../../core/grouping";
import { envelope } from "./events";
import { fixture, fixtureFiles, fixturesPresent, MISSING_FIXTURES } from "./shared-data";

const empty = buildTopology({});

function alertsOf(result: NormaliseResult): Alert[] {
  if ("ignored" in result) throw new Error(`expected alerts, got ignored (${result.code}): ${result.ignored}`);
  return result.alerts;
}
function only(result: NormaliseResult): Alert {
  const alerts = alertsOf(result);
  expect(alerts).toHaveLength(1);
  return alerts[0] as Alert;
}
function json(family: string, file: string): Record<string, unknown> {
  return fixture(family, file) as Record<string, unknown>;
}
/** AWS docs samples carry a `yyyy-mm-ddThh:mm:ssZ` placeholder for `time`; a real delivery has a timestamp. */
function realTime(event: Record<string, unknown>): Record<string, unknown> {
  return { ...event, time: "2025-05-26T11:00:00Z" };
}

describe.skipIf(!fixturesPresent)("normaliseEvent on real AWS samples (../shared/fixtures)", () => {
  if (!fixturesPresent) it.skip(MISSING_FIXTURES, () => {});

  it("never throws on any sample of any family, and names a code whenever it yields no alert", () => {
    const families = ["aws-health", "autoscaling", "cloudtrail-api-call", "cloudwatch-alarm-state-change", "config-rules-compliance-change", "cost-anomaly-detection", "devops-guru", "ebs-events", "ec2-instance-state-change", "ec2-other", "guardduty-finding", "rds-events", "s3-eventbridge", "securityhub-asff-finding", "securityhub-findings"];
    let seen = 0;
    for (const family of families) {
      for (const file of fixtureFiles(family)) {
        const result = normaliseEvent(fixture(family, file), empty);
        seen++;
        if ("ignored" in result) expect(result.code).toMatch(/^grouping\.[a-z_]+$/);
        else for (const a of result.alerts) expect(a.summary).not.toMatch(/[\r\n]/);
      }
    }
    expect(seen).toBeGreaterThan(50);
  });

  describe("CloudWatch alarm state changes", () => {
    for (const file of fixtureFiles("cloudwatch-alarm-state-change")) {
      it(`${file}: fingerprint is the alarm ARN, time the state timestamp`, () => {
        const event = json("cloudwatch-alarm-state-change", file);
        const detail = event.detail as { alarmName: string; state: { value: string; timestamp: string } };
        const a = only(normaliseEvent(event, empty));
        expect(a.fingerprint).toBe(`alarm:${(event.resources as string[])[0]}`);
        expect(a.title).toBe(detail.alarmName);
        expect(a.status).toBe(detail.state.value === "ALARM" ? "firing" : "resolved");
        expect(a.eventTime).toBe(Date.parse(detail.state.timestamp));
      });
    }

    it("a composite alarm fires at error and names the child that triggered it", () => {
      const a = only(normaliseEvent(json("cloudwatch-alarm-state-change", "composite-alarm-with-suppressor-ALARM-awsdocs.json"), empty));
      expect(a.severity).toBe("error");
      expect(a.labels.alarmKind).toBe("composite");
      expect(a.labels.triggeringAlarms).toMatch(/^arn:aws:cloudwatch:/);
    });

    it("a metric alarm fires at warning, or at the configured severity", () => {
      const event = json("cloudwatch-alarm-state-change", "single-metric-alarm-OK-to-ALARM-awsdocs.json");
      expect(only(normaliseEvent(event, empty)).severity).toBe("warning");
      expect(only(normaliseEvent(event, empty, { alarmSeverity: "critical" })).severity).toBe("critical");
    });
  });

  describe("GuardDuty findings", () => {
    it("envelope samples: fingerprint is the finding ARN, severity 5 is warning, the instance is a resource", () => {
      const event = json("guardduty-finding", "guardduty-ec2-dns-cc-custodian.json");
      const detail = event.detail as { arn: string; resource: { instanceDetails: { instanceId: string } } };
      const a = only(normaliseEvent(event, empty));
      expect(a.fingerprint).toBe(`finding:${detail.arn}`);
      expect(a.severity).toBe("warning");
      expect(a.resources.some((r) => r.endsWith(`instance/${detail.resource.instanceDetails.instanceId}`))).toBe(true);
    });

    for (const file of fixtureFiles("guardduty-finding").filter((f) => f.includes("bare-finding"))) {
      it(`${file} (bare finding in its envelope): archived findings resolve`, () => {
        const detail = json("guardduty-finding", file) as { service?: { archived?: boolean }; arn: string };
        const a = only(normaliseEvent(envelope("aws.guardduty", "GuardDuty Finding", detail), empty));
        expect(a.fingerprint).toBe(`finding:${detail.arn}`);
        expect(a.status).toBe(detail.service?.archived === true ? "resolved" : "firing");
      });
    }
  });

  describe("Security Hub findings", () => {
    for (const file of fixtureFiles("securityhub-findings").filter((f) => f.includes("imported"))) {
      it(`${file}: one alert per finding, severity from the label`, () => {
        const event = json("securityhub-findings", file);
        const findings = (event.detail as { findings: { Id: string; Severity: { Label: string } }[] }).findings;
        const alerts = alertsOf(normaliseEvent(event, empty));
        expect(alerts.map((a) => a.fingerprint)).toEqual(findings.map((f) => `finding:${f.Id}`));
        const expected: Record<string, string> = { CRITICAL: "critical", HIGH: "error", MEDIUM: "warning", LOW: "info", INFORMATIONAL: "info" };
        expect(alerts.map((a) => a.severity)).toEqual(findings.map((f) => expected[f.Severity.Label]));
      });
    }

    it("a bare ASFF control finding fires while FAILED and resolves once PASSED, with one fingerprint", () => {
      const finding = json("securityhub-asff-finding", "asff-control-finding-0-awsdocs.json") as { Compliance: { Status: string } };
      const failed = only(normaliseEvent(envelope("aws.securityhub", "Security Hub Findings - Imported", { findings: [finding] }), empty));
      const passed = only(
        normaliseEvent(envelope("aws.securityhub", "Security Hub Findings - Imported", { findings: [{ ...finding, Compliance: { ...finding.Compliance, Status: "PASSED" } }] }), empty),
      );
      expect(failed.status).toBe("firing");
      expect(passed.status).toBe("resolved");
      expect(passed.fingerprint).toBe(failed.fingerprint);
    });
  });

  describe("Config compliance changes", () => {
    it("the SNS body in its envelope: COMPLIANT resolves what NON_COMPLIANT fired, same fingerprint", () => {
      const body = (json("config-rules-compliance-change", "sns-compliance-change-notification-COMPLIANT-awsdocs.json") as { Message: Record<string, unknown> }).Message;
      const compliant = only(normaliseEvent(envelope("aws.config", "Config Rules Compliance Change", body), empty));
      const newResult = body.newEvaluationResult as Record<string, unknown>;
      const broken = { ...body, newEvaluationResult: { ...newResult, complianceType: "NON_COMPLIANT" } };
      const nonCompliant = only(normaliseEvent(envelope("aws.config", "Config Rules Compliance Change", broken), empty));
      expect(compliant.status).toBe("resolved");
      expect(nonCompliant.status).toBe("firing");
      expect(nonCompliant.severity).toBe("warning");
      expect(nonCompliant.fingerprint).toBe(compliant.fingerprint);
      expect(compliant.labels.configRule).toBe(body.configRuleName);
    });
  });

  describe("Health events", () => {
    for (const file of fixtureFiles("aws-health").filter((f) => !f.includes("putevents"))) {
      it(`${file}: fingerprint is the eventArn and account, severity from the category`, () => {
        const event = json("aws-health", file);
        const detail = event.detail as { eventArn: string; eventTypeCategory: string; statusCode?: string };
        const a = only(normaliseEvent(event, empty));
        expect(a.fingerprint).toBe(`health:${detail.eventArn}:${a.account}`);
        const expected = detail.eventTypeCategory === "issue" ? "error" : detail.eventTypeCategory === "scheduledChange" && detail.statusCode === "open" ? "warning" : "info";
        expect(a.severity).toBe(expected);
      });
    }

    it("closing an event resolves it", () => {
      const event = json("aws-health", "health-ec2-instance-store-drive-degraded-aws-health-tools.json");
      const closed = { ...event, detail: { ...(event.detail as object), statusCode: "closed" } };
      const [open, done] = [only(normaliseEvent(event, empty)), only(normaliseEvent(closed, empty))];
      expect([open.status, done.status]).toEqual(["firing", "resolved"]);
      expect(done.fingerprint).toBe(open.fingerprint);
      expect(open.resources[0]).toMatch(/instance\/i-abcd1111$/);
    });
  });

  describe("EC2, EBS and RDS events", () => {
    it("terminated fires and pending resolves, on the instance's fingerprint", () => {
      const terminated = only(normaliseEvent(json("ec2-instance-state-change", "ec2-state-change-eb-events-awsdocs.json"), empty));
      expect(terminated.status).toBe("firing");
      expect(terminated.severity).toBe("info");
      const pending = only(normaliseEvent(json("ec2-instance-state-change", "ec2-state-change-content-filtering-awsdocs.json"), empty));
      expect(pending.status).toBe("resolved");
      expect(pending.fingerprint).toMatch(/^ec2-state:arn:aws:ec2:.*instance\/i-/);
    });

    it("a malformed known event is ignored with the bad field named", () => {
      const result = normaliseEvent(json("ec2-instance-state-change", "ec2-state-change-terminated-powertools-python.json"), empty);
      expect(result).toMatchObject({ code: "grouping.malformed_event" });
      expect("ignored" in result && result.ignored).toMatch(/detail\.instance-id/);
    });

    for (const file of fixtureFiles("ebs-events")) {
      it(`${file}: failures fire at error, other results are not alerts`, () => {
        const event = realTime(json("ebs-events", file));
        const result = normaliseEvent(event, empty);
        if ((event.detail as { result: string }).result === "failed") expect(only(result)).toMatchObject({ status: "firing", severity: "error" });
        else expect(result).toMatchObject({ code: "grouping.not_an_alert" });
      });
    }

    it("RDS: a completed failover resolves at error; a snapshot deletion is not an alert", () => {
      const failover = only(normaliseEvent(json("rds-events", "rds-db-instance-event-awsdocs.json"), empty));
      expect(failover).toMatchObject({ status: "resolved", severity: "error" });
      expect(failover.fingerprint).toMatch(/:failover$/);
      expect(normaliseEvent(json("rds-events", "rds-db-snapshot-event-awsdocs.json"), empty)).toMatchObject({ code: "grouping.not_an_alert" });
    });
  });

  describe("Cost anomalies", () => {
    for (const file of fixtureFiles("cost-anomaly-detection")) {
      it(`${file} (SNS body in its envelope): fingerprint is the anomaly id`, () => {
        const body = json("cost-anomaly-detection", file) as { anomalyId: string; impact: { totalImpactPercentage?: number } };
        const a = only(normaliseEvent(envelope("aws.ce", "Anomaly Detected", body), empty));
        expect(a.fingerprint).toBe(`cost:${body.anomalyId}`);
        expect(a.severity).toBe((body.impact.totalImpactPercentage ?? 0) >= 100 ? "error" : "warning");
      });
    }
  });

  describe("event types Vigil has no schema for", () => {
    it("become generic alerts carrying their resources", () => {
      const event = json("devops-guru", "devops-guru-new-insight-open-awsdocs.json");
      const a = only(normaliseEvent(event, empty));
      expect(a.kind).toBe("generic");
      expect(a.fingerprint).toMatch(/^generic:aws\.devops-guru:DevOps Guru New Insight Open:/);
    });

    it("keep a stable fingerprint across two deliveries of the same subject", () => {
      const event = realTime(json("autoscaling", "asg-launch-unsuccessful-event-reference-awsdocs.json"));
      const again = { ...event, id: "another-delivery", time: "2025-05-26T11:05:00Z" };
      expect(only(normaliseEvent(again, empty)).fingerprint).toBe(only(normaliseEvent(event, empty)).fingerprint);
    });
  });
});
