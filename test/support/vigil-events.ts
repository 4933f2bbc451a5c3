import { randomUUID } from "node:crypto";

/** A valid `Incident Opened` detail; override any field. */
export function incidentOpenedDetail(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const incidentId = (overrides.id as string | undefined) ?? `inc-${randomUUID().slice(0, 8)}`;
  return {
    schemaVersion: "1",
    id: incidentId,
    eventId: randomUUID(),
    severity: "critical",
    summary: "orders-db: Multi-AZ failover, 4 alarms",
    dedupKey: incidentId,
    occurredAt: "2025-11-03T14:42:00.000Z",
    links: [{ href: "https://console.aws.amazon.com/rds/home#database:id=orders-db", text: "orders-db" }],
    incident: {
      incidentId,
      status: "open",
      title: "orders-db failover",
      priority: "P1",
      service: "orders",
      alertCount: 4,
      firstSeen: "2025-11-03T14:42:00.000Z",
      lastSeen: "2025-11-03T14:44:00.000Z",
    },
    ...overrides,
  };
}
