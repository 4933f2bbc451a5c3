import type { Alert, AuditEntry, Incident, Remediation, ReplicationTarget, Store } from "./service";

/** An incident with everything attached to it, read in one collection query. */
export interface IncidentDetail {
  incident: Incident | undefined;
  alerts: Alert[];
  remediations: Remediation[];
  auditEntries: AuditEntry[];
}

/**
 * Reads the `incidentDetail` collection: the incident, its alerts, remediations and audit
 * entries with one Query on gsi1, following the cursor through every page.
 */
export async function getIncidentDetail(store: Store, incidentId: string): Promise<IncidentDetail> {
  const { data } = await store.collections.incidentDetail({ incidentId }).go({ pages: "all" });
  return {
    incident: data.incident[0],
    alerts: data.alert,
    remediations: data.remediation,
    auditEntries: data.auditEntry,
  };
}

/** Every alert that carried `fingerprint`, oldest event first (all pages). */
export async function listAlertsByFingerprint(store: Store, fingerprint: string): Promise<Alert[]> {
  return (await store.entities.alert.query.byFingerprint({ fingerprint }).go({ pages: "all" })).data;
}

/** Every incident with the given status (all pages). */
export async function listIncidentsByStatus(store: Store, status: Incident["status"]): Promise<Incident[]> {
  return (await store.entities.incident.query.byStatus({ status }).go({ pages: "all" })).data;
}

/** Every remediation with the given status (all pages). */
export async function listRemediationsByStatus(
  store: Store,
  status: Remediation["status"],
): Promise<Remediation[]> {
  return (await store.entities.remediation.query.byStatus({ status }).go({ pages: "all" })).data;
}

/** Every replication target with the given status (all pages). */
export async function listReplicationTargetsByStatus(
  store: Store,
  status: ReplicationTarget["status"],
): Promise<ReplicationTarget[]> {
  return (await store.entities.replicationTarget.query.byStatus({ status }).go({ pages: "all" })).data;
}
