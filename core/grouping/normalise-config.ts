import type { ConfigRulesComplianceChangeEvent } from "../../events/inbound";
import { ignore, type AlertStatus, type NormaliseResult } from "./alert";
import { buildAlert, eventTimeOf } from "./draft";
import { resolveContext } from "./resolve";
import type { Topology } from "./topology";

/**
 * Managed rules (and Security Hub's `securityhub-<rule>-<hash>` copies) that find a resource open to the internet: SSH or
 * high-risk ports to 0.0.0.0/0, a public bucket or database. Security Hub rates their controls (EC2.13, EC2.18, EC2.19,
 * S3.2, S3.3, S3.8, RDS.2) high or critical, so a violation is an `error` that opens alone after `loneSustain`; other
 * rules (a missing tag, an unencrypted volume) stay `warning`.
 */
const EXPOSURE_RULE = /(^|-)(restricted-ssh|restricted-common-ports|vpc-sg-open-only-to-authorized-ports|s3-bucket-public-(read|write)-prohibited|s3-bucket-level-public-access-prohibited|rds-instance-public-access-check)(-|$)/;

/**
 * Normalises a `Config Rules Compliance Change`. Fingerprint: account, region, rule, resource type and id, so
 * NON_COMPLIANT and the later COMPLIANT of one rule on one resource share it. NON_COMPLIANT → firing `warning`
 * (`error` for a rule finding the resource exposed, `EXPOSURE_RULE`);
 * COMPLIANT and NOT_APPLICABLE (the rule no longer applies, e.g. the resource is gone) → resolved;
 * INSUFFICIENT_DATA → ignored (`grouping.unknown_state`): it says neither.
 *
 * @param event - a parsed compliance change
 * @param topology - the indexed topology
 */
export function normaliseComplianceChange(event: ConfigRulesComplianceChangeEvent, topology: Topology): NormaliseResult {
  const { detail } = event;
  const compliance = detail.newEvaluationResult.complianceType;
  const resource = `${detail.resourceType} ${detail.resourceId}`;
  if (compliance === "INSUFFICIENT_DATA") {
    return ignore("grouping.unknown_state", `Config rule ${detail.configRuleName} has insufficient data on ${resource}`);
  }
  const status: AlertStatus = compliance === "NON_COMPLIANT" ? "firing" : "resolved";
  const ctx = resolveContext(topology, {
    account: detail.awsAccountId,
    region: detail.awsRegion,
    refs: [detail.resourceId],
  });
  const annotation = detail.newEvaluationResult.annotation ?? undefined;
  return {
    alerts: [
      buildAlert(
        event,
        {
          fingerprint: `config:${detail.awsAccountId}:${detail.awsRegion}:${detail.configRuleName}:${detail.resourceType}:${detail.resourceId}`,
          status,
          severity: status === "firing" && EXPOSURE_RULE.test(detail.configRuleName) ? "error" : "warning",
          kind: "config.compliance-change",
          title: detail.configRuleName,
          summary: `Config rule ${detail.configRuleName}: ${resource} is ${compliance}${annotation ? ` (${annotation})` : ""}`,
          eventTime: eventTimeOf(event, detail.newEvaluationResult.resultRecordedTime, detail.notificationCreationTime),
          account: detail.awsAccountId,
          region: detail.awsRegion,
          labels: {
            configRule: detail.configRuleName,
            resourceType: detail.resourceType,
            compliance,
            previousCompliance: detail.oldEvaluationResult?.complianceType,
          },
        },
        ctx,
      ),
    ],
  };
}
