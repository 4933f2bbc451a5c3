import type { Alert } from "../../../core/grouping";

export const T0 = Date.parse("2025-05-26T11:00:00Z");
export const MIN = 60_000;

/**
 * A builder of firing CloudWatch-alarm alerts for the correlation tests: unique event ids under
 * `prefix`, the given default service, any field overridable.
 */
export function alertFactory(defaults: { service: string; prefix: string; resourceOf?: (fingerprint: string) => string }) {
  let ids = 0;
  return (over: Partial<Alert> & { fingerprint: string }): Alert => {
    ids += 1;
    return {
      status: "firing",
      severity: "warning",
      resources: [defaults.resourceOf ? defaults.resourceOf(over.fingerprint) : over.fingerprint],
      service: defaults.service,
      account: "111111111111",
      region: "us-east-1",
      eventTime: T0,
      eventId: `${defaults.prefix}-${ids}`,
      source: "aws.cloudwatch",
      kind: "cloudwatch.alarm-state-change",
      title: over.fingerprint,
      summary: over.fingerprint,
      labels: {},
      ...over,
    };
  };
}
