import { describe, expect, it } from "vitest";
import { type Alert, buildTopology, normaliseEvent, type NormaliseResult } from "../../../core/grouping";
import { isSpendSignal, thresholdSide } from "../../../core/grouping/spend";
import { incidentOpenedDetail } from "../../support/vigil-events";
import { envelope } from "./events";

const topology = buildTopology({
  regions: [{ name: "us-east-1", availabilityZones: [{ name: "us-east-1b", zoneId: "use1-az6" }] }],
  services: [{ name: "checkout" }, { name: "shipping-rates" }, { name: "api" }],
});

function only(result: NormaliseResult): Alert {
  if ("ignored" in result) throw new Error(`ignored (${result.code}): ${result.ignored}`);
  expect(result.alerts).toHaveLength(1);
  return result.alerts[0];
}

function alarm(name: string, state: string, previous: string, dimensions: Record<string, string> = {}) {
  const side = (value: string) => ({ value, reason: `went ${value}`, timestamp: "2025-05-26T11:13:29.226+0000" });
  return envelope("aws.cloudwatch", "CloudWatch Alarm State Change", {
    alarmName: name,
    state: side(state),
    previousState: side(previous),
    configuration: { metrics: [{ id: "m1", metricStat: { metric: { namespace: "AWS/EC2", name: "CPUUtilization", dimensions }, period: 60, stat: "Average" } }] },
  }, { resources: [`arn:aws:cloudwatch:us-east-1:123456789012:alarm:${name}`] });
}

function guardDuty(tags: { key: string; value: string }[]) {
  return envelope("aws.guardduty", "GuardDuty Finding", {
    schemaVersion: "2.0", accountId: "123456789012", region: "us-east-1", partition: "aws", id: "f1",
    arn: "arn:aws:guardduty:us-east-1:123456789012:detector/d/finding/f1", type: "Recon:EC2/PortProbeUnprotectedPort",
    resource: { resourceType: "Instance", instanceDetails: { instanceId: "i-0abc1234", availabilityZone: "us-east-1b", tags } },
    service: { count: 1 }, severity: 8, createdAt: "2025-05-26T11:00:00Z", updatedAt: "2025-05-26T11:00:00Z", title: "probe", description: "probe",
  });
}

describe("alarm status and severity", () => {
  it("ALARM fires, OK resolves, both on the alarm ARN; the event time is the state timestamp", () => {
    const fire = only(normaliseEvent(alarm("prod-api-cpu", "ALARM", "OK"), topology));
    const clear = only(normaliseEvent(alarm("prod-api-cpu", "OK", "ALARM"), topology));
    expect([fire.status, clear.status]).toEqual(["firing", "resolved"]);
    expect(clear.fingerprint).toBe(fire.fingerprint);
    expect(fire.eventTime).toBe(Date.parse("2025-05-26T11:13:29.226Z"));
  });

  it("INSUFFICIENT_DATA resolves when it leaves ALARM and fires at info otherwise", () => {
    expect(only(normaliseEvent(alarm("a", "INSUFFICIENT_DATA", "ALARM"), topology)).status).toBe("resolved");
    expect(only(normaliseEvent(alarm("a", "INSUFFICIENT_DATA", "OK"), topology))).toMatchObject({ status: "firing", severity: "info" });
  });

  it("takes the AZ from a dimension and the instance from InstanceId", () => {
    const a = only(normaliseEvent(alarm("x", "ALARM", "OK", { InstanceId: "i-0abc1234", AvailabilityZone: "us-east-1b" }), topology));
    expect(a.az).toBe("us-east-1b");
    expect(a.labels.zoneId).toBe("use1-az6");
    expect(a.resources).toContain("arn:aws:ec2:us-east-1:123456789012:instance/i-0abc1234");
  });

  it("takes no AZ from the monitored instance of an alarm on a service-wide metric", () => {
    const instance = "arn:aws:ec2:us-east-1:123456789012:instance/i-0abc1234";
    const placed = buildTopology({
      regions: [{ name: "us-east-1", availabilityZones: [{ name: "us-east-1b", zoneId: "use1-az6" }] }],
      services: [{ name: "api" }],
      resources: [{ id: "i-0abc1234", arn: instance, service: "api", az: "us-east-1b" }],
      alarms: [
        { name: "api-errors", arn: "arn:aws:cloudwatch:us-east-1:123456789012:alarm:api-errors", service: "api", monitoredResource: instance },
        { name: "api-cpu", arn: "arn:aws:cloudwatch:us-east-1:123456789012:alarm:api-cpu", service: "api", monitoredResource: instance },
      ],
    });
    const serviceWide = only(normaliseEvent(alarm("api-errors", "ALARM", "OK", { Service: "api", Environment: "prod" }), placed));
    const onInstance = only(normaliseEvent(alarm("api-cpu", "ALARM", "OK", { InstanceId: "i-0abc1234" }), placed));
    expect(serviceWide.az).toBeUndefined();
    expect(serviceWide.resources).toContain(instance);
    expect(onInstance.az).toBe("us-east-1b");
  });
});

describe("GuardDuty credential findings", () => {
  it("are about the instance an EC2 role session is named after (stolen instance credentials)", () => {
    const exfiltration = envelope("aws.guardduty", "GuardDuty Finding", {
      schemaVersion: "2.0", accountId: "123456789012", region: "us-east-1", partition: "aws", id: "f2",
      arn: "arn:aws:guardduty:us-east-1:123456789012:detector/d/finding/f2", type: "UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS",
      resource: { resourceType: "AccessKey", accessKeyDetails: { accessKeyId: "ASIAEXAMPLE", principalId: "AROAEXAMPLEROLE:i-0abc1234", userType: "AssumedRole", userName: "api-instance-role" } },
      service: { count: 1 }, severity: 8, createdAt: "2025-05-26T12:00:00Z", updatedAt: "2025-05-26T12:00:00Z", title: "exfiltration", description: "exfiltration",
    });
    const a = only(normaliseEvent(exfiltration, topology));
    // The first resource is what links the finding to the incident that already holds the instance, however late it comes.
    expect(a.resources[0]).toBe("arn:aws:ec2:us-east-1:123456789012:instance/i-0abc1234");
    expect(a.resources).toContain("AROAEXAMPLEROLE");
  });
});

describe("service fallback when the topology is silent", () => {
  it("uses the service tag on the resource", () => {
    const a = only(normaliseEvent(guardDuty([{ key: "Service", value: "checkout" }, { key: "Name", value: "api-1" }]), topology));
    expect(a.service).toBe("checkout");
    expect(a.labels.serviceFrom).toBe("tags");
    expect(a.severity).toBe("error");
    expect(a.az).toBe("us-east-1b");
  });

  it("then a known service named in the Name tag", () => {
    const a = only(normaliseEvent(guardDuty([{ key: "Name", value: "api-prod-1b-3" }]), topology));
    expect(a).toMatchObject({ service: "api", labels: { serviceFrom: "name" } });
  });

  it("then a known service named in the alarm name, in any naming style", () => {
    for (const name of ["ShippingRates-LAMBDA-Errors-High", "prod-shipping-rates-errors", "shipping-rates/prod/lambda/errors"]) {
      expect(only(normaliseEvent(alarm(name, "ALARM", "OK"), topology)).service).toBe("shipping-rates");
    }
  });

  it("and leaves the service unset rather than guess", () => {
    const a = only(normaliseEvent(alarm("DiskQueueDepthHigh", "ALARM", "OK"), topology));
    expect(a.service).toBeUndefined();
    expect(a.labels.serviceFrom).toBeUndefined();
  });
});

describe("which side of its threshold an alarm watches", () => {
  const reasoned = (reason: string) => {
    const event = alarm("prod-analytics-cpu-idle", "ALARM", "OK");
    (event.detail as { state: { reason: string } }).state.reason = reason;
    return only(normaliseEvent(event, topology));
  };

  it("reads it from CloudWatch's state reason, in ALARM and OK alike, and makes a CPU alarm below its threshold a spend signal", () => {
    const idle = reasoned("Threshold Crossed: 4 out of the last 4 datapoints [4.1 (19/02/25 12:15:00)] were less than the threshold (5.0) (minimum 4 datapoints for OK -> ALARM transition).");
    expect(idle.labels.thresholdSide).toBe("below");
    expect(isSpendSignal(idle)).toBe(true);
    expect(thresholdSide("Threshold Crossed: 1 out of the last 4 datapoints [35.3 (19/02/25 13:30:00)] was not less than the threshold (5.0)")).toBe("below");
    expect(thresholdSide("1 datapoint [0.0] was less than or equal to the threshold (1.0).")).toBe("below");
    const busy = reasoned("Threshold Crossed: 1 datapoint [97.2 (26/05/25 11:10:00)] was greater than or equal to the threshold (90.0).");
    expect(busy.labels.thresholdSide).toBe("above");
    expect(isSpendSignal(busy)).toBe(false);
    expect(reasoned("Insufficient Data: 4 datapoints were unknown.").labels.thresholdSide).toBeUndefined();
  });
});

describe("events that are not alerts, unknown and malformed events", () => {
  it("turns an unknown AWS event type into a generic alert", () => {
    const a = only(normaliseEvent(envelope("aws.trustedadvisor", "Trusted Advisor Check Item Refresh Notification", {
      "check-name": "Low Utilization Amazon EC2 Instances", status: "WARN", resource_id: "arn:aws:ec2:us-east-1:123456789012:instance/i-0abc1234",
      "check-item-detail": { "Instance Name": "checkout-prod-1", "Region/AZ": "us-east-1b" },
    }), topology));
    expect(a).toMatchObject({ kind: "generic", severity: "warning", status: "firing", service: "checkout", az: "us-east-1b" });
    expect(a.fingerprint).toBe("generic:aws.trustedadvisor:Trusted Advisor Check Item Refresh Notification:arn:aws:ec2:us-east-1:123456789012:instance/i-0abc1234");
    expect(a.labels.checkName).toBe("Low Utilization Amazon EC2 Instances");
    expect(isSpendSignal(a)).toBe(true);
  });

  it("ignores what is not an EventBridge event, naming the field", () => {
    expect(normaliseEvent("garbage", topology)).toMatchObject({ code: "grouping.malformed_event" });
    expect(normaliseEvent({ source: "aws.x" }, topology)).toMatchObject({ code: "grouping.malformed_event", ignored: expect.stringMatching(/detail-type|version/) });
  });

  it("ignores a known type whose detail fails its schema, naming event and field", () => {
    const bad = envelope("aws.guardduty", "GuardDuty Finding", { id: "f" });
    expect(normaliseEvent(bad, topology)).toMatchObject({ code: "grouping.malformed_event", ignored: expect.stringMatching(/^aws\.guardduty GuardDuty Finding .*: detail\./) });
  });

  it("one malformed event in a batch never blocks or drops the others", () => {
    const batch = [alarm("a", "ALARM", "OK"), { nonsense: true }, null, alarm("b", "ALARM", "OK")];
    const results = batch.map((e) => normaliseEvent(e, topology));
    expect(results.map((r) => ("ignored" in r ? r.code : "alert"))).toEqual(["alert", "grouping.malformed_event", "grouping.malformed_event", "alert"]);
  });

  it("ignores Vigil's own incident events but ingests its Anomaly Detected", () => {
    const base = { schemaVersion: "1", id: "x", eventId: "e", severity: "error", summary: "cpu high", dedupKey: "k", occurredAt: "2025-05-26T11:00:00.000Z", links: [] };
    const anomaly = envelope("vigil", "Anomaly Detected", {
      ...base,
      anomaly: { seriesId: "s1", namespace: "AWS/EC2", metricName: "CPUUtilization", dimensions: { InstanceId: "i-0abc1234" }, account: "123456789012", region: "us-east-1", timestamp: "2025-05-26T11:00:00.000Z", value: 97, score: 0.9, expected: { low: 10, high: 40 }, reason: "high" },
    });
    expect(only(normaliseEvent(anomaly, topology))).toMatchObject({ fingerprint: "anomaly:s1", severity: "error", kind: "vigil.anomaly-detected" });
    const opened = envelope("vigil", "Incident Opened", incidentOpenedDetail());
    expect(normaliseEvent(opened, topology)).toMatchObject({ code: "grouping.own_event" });
  });

  it("Config INSUFFICIENT_DATA says neither firing nor resolved and is ignored", () => {
    const result = { evaluationResultIdentifier: { evaluationResultQualifier: { configRuleName: "r", resourceType: "AWS::EC2::Volume", resourceId: "vol-1" }, orderingTimestamp: "2025-05-26T11:00:00Z" }, complianceType: "INSUFFICIENT_DATA", resultRecordedTime: "2025-05-26T11:00:00Z", configRuleInvokedTime: "2025-05-26T11:00:00Z" };
    const event = envelope("aws.config", "Config Rules Compliance Change", {
      messageType: "ComplianceChangeNotification", awsAccountId: "123456789012", awsRegion: "us-east-1", configRuleName: "r", configRuleARN: "arn:aws:config:us-east-1:123456789012:config-rule/r",
      resourceType: "AWS::EC2::Volume", resourceId: "vol-1", newEvaluationResult: result, notificationCreationTime: "2025-05-26T11:00:00Z", recordVersion: "1.0",
    });
    expect(normaliseEvent(event, topology)).toMatchObject({ code: "grouping.unknown_state" });
  });

  it("rates a Config rule finding a resource open to the internet an error, others a warning", () => {
    const change = (configRuleName: string, resourceType: string, resourceId: string) => {
      const result = { evaluationResultIdentifier: { evaluationResultQualifier: { configRuleName, resourceType, resourceId }, orderingTimestamp: "2025-05-26T11:00:00Z" }, complianceType: "NON_COMPLIANT", resultRecordedTime: "2025-05-26T11:00:00Z", configRuleInvokedTime: "2025-05-26T11:00:00Z" };
      return only(normaliseEvent(envelope("aws.config", "Config Rules Compliance Change", {
        messageType: "ComplianceChangeNotification", awsAccountId: "123456789012", awsRegion: "us-east-1", configRuleName, configRuleARN: `arn:aws:config:us-east-1:123456789012:config-rule/${configRuleName}`,
        resourceType, resourceId, newEvaluationResult: result, notificationCreationTime: "2025-05-26T11:00:00Z", recordVersion: "1.0",
      }), topology));
    };
    expect(change("restricted-ssh", "AWS::EC2::SecurityGroup", "sg-1").severity).toBe("error");
    expect(change("securityhub-restricted-common-ports-1a2b3c4d", "AWS::EC2::SecurityGroup", "sg-1").severity).toBe("error");
    expect(change("rds-instance-public-access-check", "AWS::RDS::DBInstance", "db-1").severity).toBe("error");
    expect(change("required-tags", "AWS::EC2::Volume", "vol-1").severity).toBe("warning");
    expect(change("encrypted-volumes", "AWS::EC2::Volume", "vol-1").severity).toBe("warning");
  });
});
