import type { ConfigRulesComplianceChangeEvent } from "../../events/inbound";
import { ignore, type AlertStatus, type NormaliseResult } from "./alert";
import { buildAlert, eventTimeOf } from "./draft";
import { resolveContext } from "./resolve";
import type { Topology } from "./topology";

/**
 * Normalises a `Config Rules Compliance Change`. Fingerprint: account, region, rule, resource type and id, so
 * NON_COMPLIANT and the later COMPLIANT of one rule on one resource share it. NON_COMPLIANT → firing `warning`;
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
          severity: "warning",
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
