import type { CreateTableCommandInput } from "@aws-sdk/client-dynamodb";

/** ElectroDB `service` name written into every key. */
export const SERVICE_NAME = "vigil";

/** Model version written into every key; bump it (with a migration) to change a layout. */
export const MODEL_VERSION = "1";

/** Item attribute DynamoDB Time To Live reads (epoch seconds). Infra enables TTL on it. */
export const TTL_ATTRIBUTE = "ttl";

/** Key attribute names of the table and its indexes. */
export const KEY_FIELDS = {
  pk: "pk",
  sk: "sk",
  gsi1pk: "gsi1pk",
  gsi1sk: "gsi1sk",
  gsi2pk: "gsi2pk",
  gsi2sk: "gsi2sk",
} as const;

/**
 * Global secondary index names, each named after the access pattern it serves:
 * `gsi1` groups everything that belongs to one incident (the `incidentDetail` collection),
 * `gsi2` looks items up by a secondary value (alerts by fingerprint; incidents,
 * remediations and replication targets by status).
 */
export const INDEX_NAMES = {
  byIncident: "gsi1",
  byLookup: "gsi2",
} as const;

/**
 * The single table's layout, as a CreateTable request. The local runtime creates the
 * table from it and infra declares the same keys, so this is the one source of truth.
 */
export function tableDefinition(tableName: string): CreateTableCommandInput {
  const stringAttribute = (name: string) => ({ AttributeName: name, AttributeType: "S" as const });
  return {
    TableName: tableName,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: Object.values(KEY_FIELDS).map(stringAttribute),
    KeySchema: [
      { AttributeName: KEY_FIELDS.pk, KeyType: "HASH" },
      { AttributeName: KEY_FIELDS.sk, KeyType: "RANGE" },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: INDEX_NAMES.byIncident,
        KeySchema: [
          { AttributeName: KEY_FIELDS.gsi1pk, KeyType: "HASH" },
          { AttributeName: KEY_FIELDS.gsi1sk, KeyType: "RANGE" },
        ],
        Projection: { ProjectionType: "ALL" },
      },
      {
        IndexName: INDEX_NAMES.byLookup,
        KeySchema: [
          { AttributeName: KEY_FIELDS.gsi2pk, KeyType: "HASH" },
          { AttributeName: KEY_FIELDS.gsi2sk, KeyType: "RANGE" },
        ],
        Projection: { ProjectionType: "ALL" },
      },
    ],
  };
}
