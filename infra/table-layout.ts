import type { CreateTableCommandInput } from "@aws-sdk/client-dynamodb";

/** Field types `sst.aws.Dynamo` accepts, keyed by DynamoDB attribute type. */
const FIELD_TYPES = { S: "string", N: "number", B: "binary" } as const;

type FieldType = (typeof FIELD_TYPES)[keyof typeof FIELD_TYPES];
type KeyPair = { hashKey: string; rangeKey?: string };
type Projection = "all" | "keys-only" | string[];

/** The `sst.aws.Dynamo` arguments that describe a table's keys and indexes. */
export interface DynamoLayout {
  fields: Record<string, FieldType>;
  primaryIndex: KeyPair;
  globalIndexes: Record<string, KeyPair & { projection: Projection }>;
}

/** A CreateTable request that `sst.aws.Dynamo` cannot express. */
export class TableLayoutError extends Error {
  override readonly name = "TableLayoutError";
  readonly code = "infra.invalid_table_layout";
}

/**
 * Translates a CreateTable request (the store's single source of truth for the layout) into
 * `sst.aws.Dynamo`'s `fields`, `primaryIndex` and `globalIndexes`, so infra never retypes a key name.
 *
 * @throws TableLayoutError when an attribute type, key schema or projection has no SST equivalent.
 */
export function dynamoLayout(definition: CreateTableCommandInput): DynamoLayout {
  const where = definition.TableName ?? "table";
  const fields: Record<string, FieldType> = {};
  for (const { AttributeName, AttributeType } of definition.AttributeDefinitions ?? []) {
    if (!AttributeName || !AttributeType) throw new TableLayoutError(`${where}: attribute definition without a name or type`);
    fields[AttributeName] = FIELD_TYPES[AttributeType];
  }

  const globalIndexes: DynamoLayout["globalIndexes"] = {};
  for (const index of definition.GlobalSecondaryIndexes ?? []) {
    if (!index.IndexName) throw new TableLayoutError(`${where}: global secondary index without a name`);
    globalIndexes[index.IndexName] = {
      ...keyPair(index.KeySchema, `${where}.${index.IndexName}`),
      projection: projection(index.Projection, `${where}.${index.IndexName}`),
    };
  }

  return { fields, primaryIndex: keyPair(definition.KeySchema, where), globalIndexes };
}

function keyPair(schema: CreateTableCommandInput["KeySchema"], where: string): KeyPair {
  const hashKey = schema?.find((key) => key.KeyType === "HASH")?.AttributeName;
  const rangeKey = schema?.find((key) => key.KeyType === "RANGE")?.AttributeName;
  if (!hashKey) throw new TableLayoutError(`${where}: key schema has no HASH key`);
  return rangeKey ? { hashKey, rangeKey } : { hashKey };
}

type IndexProjection = NonNullable<CreateTableCommandInput["GlobalSecondaryIndexes"]>[number]["Projection"];

function projection(value: IndexProjection, where: string): Projection {
  const { ProjectionType, NonKeyAttributes } = value ?? {};
  switch (ProjectionType) {
    case undefined:
    case "ALL":
      return "all";
    case "KEYS_ONLY":
      return "keys-only";
    case "INCLUDE":
      if (!NonKeyAttributes?.length) throw new TableLayoutError(`${where}: INCLUDE projection without NonKeyAttributes`);
      return NonKeyAttributes;
    default:
      throw new TableLayoutError(`${where}: unknown projection type ${String(ProjectionType)}`);
  }
}
