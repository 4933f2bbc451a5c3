import type { CreateEntityItem } from "electrodb";
import type { AlertEntity } from "../../../core/store/alert";
import type { IncidentEntity } from "../../../core/store/incident";
import type { RemediationEntity } from "../../../core/store/remediation";

let counter = 0;
const nextId = (prefix: string) => `${prefix}-${++counter}`;

/** A firing alert; override any field. */
export function alertRecord(overrides: Partial<CreateEntityItem<typeof AlertEntity>> = {}): CreateEntityItem<typeof AlertEntity> {
  return {
    alertId: nextId("alert"),
    fingerprint: "fp-cpu-high",
    status: "firing",
    severity: "error",
    source: "aws.cloudwatch",
    summary: "CPUUtilization above 90% on i-0abc",
    resources: ["arn:aws:ec2:us-east-1:123456789012:instance/i-0abc"],
    service: "checkout",
    account: "123456789012",
    region: "us-east-1",
    eventTime: "2024-05-01T10:00:00.000Z",
    receivedAt: "2024-05-01T10:00:02.000Z",
    eventId: nextId("event"),
    ...overrides,
  };
}

/** An open incident without its version (the store sets it). */
export function incidentRecord(
  overrides: Partial<Omit<CreateEntityItem<typeof IncidentEntity>, "version">> = {},
): Omit<CreateEntityItem<typeof IncidentEntity>, "version"> {
  return {
    incidentId: nextId("inc"),
    status: "open",
    title: "checkout: CPU saturation",
    priority: "P2",
    service: "checkout",
    severity: "error",
    fingerprints: ["fp-cpu-high"],
    alertCount: 1,
    openedAt: "2024-05-01T10:00:02.000Z",
    updatedAt: "2024-05-01T10:00:02.000Z",
    ...overrides,
  };
}

/** A planned dry-run remediation without its version. */
export function remediationRecord(
  overrides: Partial<Omit<CreateEntityItem<typeof RemediationEntity>, "version">> = {},
): Omit<CreateEntityItem<typeof RemediationEntity>, "version"> {
  return {
    remediationId: nextId("rem"),
    policy: "restart-unhealthy",
    action: "ec2:RebootInstances",
    mode: "dry-run",
    resource: "arn:aws:ec2:us-east-1:123456789012:instance/i-0abc",
    status: "planned",
    before: { state: "running", tags: { team: "payments" } },
    createdAt: "2024-05-01T10:00:03.000Z",
    updatedAt: "2024-05-01T10:00:03.000Z",
    ...overrides,
  };
}
