import { describe, expect, it } from "vitest";
import type { CreateTableCommandInput } from "@aws-sdk/client-dynamodb";
import { KEY_FIELDS, INDEX_NAMES, tableDefinition } from "../../core/store/table";
import { TableLayoutError, dynamoLayout } from "../../infra/table-layout";

describe("dynamoLayout", () => {
  const definition = tableDefinition("VigilTable");
  const layout = dynamoLayout(definition);

  it("declares every key attribute of the store's table as a field, with its type", () => {
    expect(layout.fields).toEqual(Object.fromEntries(Object.values(KEY_FIELDS).map((field) => [field, "string"])));
  });

  it("takes the primary index from the key schema", () => {
    expect(layout.primaryIndex).toEqual({ hashKey: KEY_FIELDS.pk, rangeKey: KEY_FIELDS.sk });
  });

  it("declares each global secondary index under its name with the same keys", () => {
    expect(layout.globalIndexes).toEqual({
      [INDEX_NAMES.byIncident]: { hashKey: KEY_FIELDS.gsi1pk, rangeKey: KEY_FIELDS.gsi1sk, projection: "all" },
      [INDEX_NAMES.byLookup]: { hashKey: KEY_FIELDS.gsi2pk, rangeKey: KEY_FIELDS.gsi2sk, projection: "all" },
    });
  });

  it("translates number and binary attributes, hash-only keys and narrower projections", () => {
    const custom: CreateTableCommandInput = {
      TableName: "T",
      AttributeDefinitions: [
        { AttributeName: "id", AttributeType: "N" },
        { AttributeName: "blob", AttributeType: "B" },
      ],
      KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
      GlobalSecondaryIndexes: [
        { IndexName: "keys", KeySchema: [{ AttributeName: "blob", KeyType: "HASH" }], Projection: { ProjectionType: "KEYS_ONLY" } },
        {
          IndexName: "some",
          KeySchema: [{ AttributeName: "blob", KeyType: "HASH" }],
          Projection: { ProjectionType: "INCLUDE", NonKeyAttributes: ["a", "b"] },
        },
      ],
    };
    expect(dynamoLayout(custom)).toEqual({
      fields: { id: "number", blob: "binary" },
      primaryIndex: { hashKey: "id" },
      globalIndexes: {
        keys: { hashKey: "blob", projection: "keys-only" },
        some: { hashKey: "blob", projection: ["a", "b"] },
      },
    });
  });

  it("rejects a key schema without a HASH key, naming the table", () => {
    const broken: CreateTableCommandInput = { ...definition, KeySchema: [{ AttributeName: "sk", KeyType: "RANGE" }] };
    expect(() => dynamoLayout(broken)).toThrow(TableLayoutError);
    expect(() => dynamoLayout(broken)).toThrow(/VigilTable: key schema has no HASH key/);
  });

  it("rejects an INCLUDE projection without attributes, naming the index", () => {
    const broken: CreateTableCommandInput = {
      ...definition,
      GlobalSecondaryIndexes: [{ IndexName: "gsiX", KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }], Projection: { ProjectionType: "INCLUDE" } }],
    };
    expect(() => dynamoLayout(broken)).toThrow(/VigilTable\.gsiX: INCLUDE projection/);
  });
});
