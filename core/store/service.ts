import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { Entity, Service, type EntityItem } from "electrodb";
import { alertSchema, AlertEntity } from "./alert";
import { alertPageSchema, AlertPageEntity } from "./alert-page";
import { auditEntrySchema, AuditEntryEntity } from "./audit-entry";
import { auditHeadSchema, AuditHeadEntity } from "./audit-head";
import { auditIntentSchema, AuditIntentEntity } from "./audit-intent";
import { groupingScopeSchema, GroupingScopeEntity } from "./grouping-scope";
import { groupingScopePartSchema } from "./grouping-scope-part";
import { incidentSchema, IncidentEntity } from "./incident";
import { remediationSchema, RemediationEntity } from "./remediation";
import { replicationTargetSchema, ReplicationTargetEntity } from "./replication-target";
import { seriesSchema, SeriesEntity } from "./series";

export type Series = EntityItem<typeof SeriesEntity>;
export type Alert = EntityItem<typeof AlertEntity>;
export type Incident = EntityItem<typeof IncidentEntity>;
export type Remediation = EntityItem<typeof RemediationEntity>;
export type ReplicationTarget = EntityItem<typeof ReplicationTargetEntity>;
export type AuditEntry = EntityItem<typeof AuditEntryEntity>;
export type AuditIntent = EntityItem<typeof AuditIntentEntity>;
export type AuditHead = EntityItem<typeof AuditHeadEntity>;
export type GroupingScope = EntityItem<typeof GroupingScopeEntity>;
export type AlertPage = EntityItem<typeof AlertPageEntity>;

/** Where the store lives: any DynamoDB client (plain or document) and the table name. */
export interface StoreOptions {
  client: DynamoDBClient | DynamoDBDocumentClient;
  table: string;
}

/**
 * Binds Vigil's entities to one table and client as one ElectroDB `Service`.
 * Each call builds fresh entities, because a Service mutates the entities it joins.
 */
export function createStore(opts: StoreOptions) {
  const client =
    opts.client instanceof DynamoDBDocumentClient
      ? opts.client
      : DynamoDBDocumentClient.from(opts.client, {
          marshallOptions: { removeUndefinedValues: true },
        });
  const service = new Service(
    {
      series: new Entity(seriesSchema),
      alert: new Entity(alertSchema),
      incident: new Entity(incidentSchema),
      remediation: new Entity(remediationSchema),
      replicationTarget: new Entity(replicationTargetSchema),
      auditEntry: new Entity(auditEntrySchema),
      auditIntent: new Entity(auditIntentSchema),
      auditHead: new Entity(auditHeadSchema),
      groupingScope: new Entity(groupingScopeSchema),
      groupingScopePart: new Entity(groupingScopePartSchema),
      alertPage: new Entity(alertPageSchema),
    },
    { client, table: opts.table },
  );
  return {
    table: opts.table,
    client,
    service,
    entities: service.entities,
    collections: service.collections,
  };
}

/** The bound service and entities returned by {@link createStore}. */
export type Store = ReturnType<typeof createStore>;
