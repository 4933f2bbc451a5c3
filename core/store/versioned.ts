import type { CreateEntityItem, UpdateEntityItem } from "electrodb";
import type { AlertEntity } from "./alert";
import { ConcurrencyConflictError, isConditionalCheckFailure } from "./errors";
import type { IncidentEntity } from "./incident";
import type { RemediationEntity } from "./remediation";
import type { ReplicationTargetEntity } from "./replication-target";
import type { Alert, Incident, Remediation, ReplicationTarget, Store } from "./service";

// Optimistic concurrency: every versioned item is created with `version: 1` under
// attribute_not_exists, and every update is conditional on the version the writer read
// and bumps it by one. Single-item conditional writes, never TransactWriteItems.

type Unversioned<T> = Omit<T, "version">;
type Changes<T> = Omit<T, "version" | "updatedAt"> & { updatedAt: string };

/** Runs a conditional write and turns a failed condition into a ConcurrencyConflictError. */
async function guardVersion<T>(
  entity: string,
  id: string,
  expectedVersion: number,
  write: () => Promise<T>,
): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (isConditionalCheckFailure(err)) {
      throw new ConcurrencyConflictError(entity, id, expectedVersion, { cause: err });
    }
    throw err;
  }
}

/** Stores a new alert; fails with ConcurrencyConflictError if the alert id exists. */
export async function createAlert(store: Store, item: CreateEntityItem<typeof AlertEntity>): Promise<Alert> {
  return guardVersion("alert", item.alertId, 0, async () => (await store.entities.alert.create(item).go()).data);
}

/** Creates an incident at version 1; fails with ConcurrencyConflictError if it exists. */
export async function createIncident(
  store: Store,
  item: Unversioned<CreateEntityItem<typeof IncidentEntity>>,
): Promise<Incident> {
  return guardVersion("incident", item.incidentId, 0, async () =>
    (await store.entities.incident.create({ ...item, version: 1 }).go()).data,
  );
}

/** Applies `changes` if the incident is still at `expectedVersion`; returns the new item. */
export async function updateIncident(
  store: Store,
  incidentId: string,
  expectedVersion: number,
  changes: Changes<UpdateEntityItem<typeof IncidentEntity>>,
): Promise<Incident> {
  return guardVersion("incident", incidentId, expectedVersion, async () => {
    const result = await store.entities.incident
      .patch({ incidentId })
      .set({ ...changes, version: expectedVersion + 1 })
      .where(({ version }, { eq }) => eq(version, expectedVersion))
      .go({ response: "all_new" });
    return result.data as Incident;
  });
}

/** Creates a remediation at version 1; fails with ConcurrencyConflictError if it exists. */
export async function createRemediation(
  store: Store,
  item: Unversioned<CreateEntityItem<typeof RemediationEntity>>,
): Promise<Remediation> {
  return guardVersion("remediation", item.remediationId, 0, async () =>
    (await store.entities.remediation.create({ ...item, version: 1 }).go()).data,
  );
}

/** Applies `changes` if the remediation is still at `expectedVersion`; returns the new item. */
export async function updateRemediation(
  store: Store,
  remediationId: string,
  expectedVersion: number,
  changes: Changes<UpdateEntityItem<typeof RemediationEntity>>,
): Promise<Remediation> {
  return guardVersion("remediation", remediationId, expectedVersion, async () => {
    const result = await store.entities.remediation
      .patch({ remediationId })
      .set({ ...changes, version: expectedVersion + 1 })
      .where(({ version }, { eq }) => eq(version, expectedVersion))
      .go({ response: "all_new" });
    return result.data as Remediation;
  });
}

/** Creates a replication target at version 1; fails with ConcurrencyConflictError if it exists. */
export async function createReplicationTarget(
  store: Store,
  item: Unversioned<CreateEntityItem<typeof ReplicationTargetEntity>>,
): Promise<ReplicationTarget> {
  return guardVersion("replicationTarget", item.targetId, 0, async () =>
    (await store.entities.replicationTarget.create({ ...item, version: 1 }).go()).data,
  );
}

/** Applies `changes` if the target is still at `expectedVersion`; returns the new item. */
export async function updateReplicationTarget(
  store: Store,
  targetId: string,
  expectedVersion: number,
  changes: Changes<UpdateEntityItem<typeof ReplicationTargetEntity>>,
): Promise<ReplicationTarget> {
  return guardVersion("replicationTarget", targetId, expectedVersion, async () => {
    const result = await store.entities.replicationTarget
      .patch({ targetId })
      .set({ ...changes, version: expectedVersion + 1 })
      .where(({ version }, { eq }) => eq(version, expectedVersion))
      .go({ response: "all_new" });
    return result.data as ReplicationTarget;
  });
}
