import { Resource } from "sst/resource";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";

/**
 * AWS clients shared by every invocation of a function instance, built at load. Endpoints come
 * from the standard AWS_ENDPOINT_URL_<SERVICE> variables, which is how the local runtime points
 * the very same code at loopback.
 */
// Pure: a function that never uses a client (audit-writer publishes nothing) drops it and its SDK package.
export const dynamodb = /* @__PURE__ */ new DynamoDBClient({});
export const eventbridge = /* @__PURE__ */ new EventBridgeClient({});

/** Linked resource names (sst.config.ts links them; the local runtime sets the same names). */
export const resources = {
  table: () => Resource.VigilTable.name,
  bus: () => Resource.OpsBus.name,
};
