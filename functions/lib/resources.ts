import { Resource } from "sst/resource";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";

/**
 * AWS clients shared by every invocation of a function instance. Endpoints come from the
 * standard AWS_ENDPOINT_URL_<SERVICE> variables, which is how the local runtime points the
 * very same code at loopback.
 */
export const dynamodb = new DynamoDBClient({});
export const eventbridge = new EventBridgeClient({});

/** Linked resource names (sst.config.ts links them; the local runtime sets the same names). */
export const resources = {
  table: () => Resource.VigilTable.name,
  bus: () => Resource.OpsBus.name,
};
