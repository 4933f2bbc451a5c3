/**
 * The least a Vigil function that stores and publishes can load, for `npm run bench:cold`'s floor row:
 * the packages the project's shape fixes (ElectroDB over the DynamoDB client, the EventBridge client,
 * Powertools' logger and metrics, middy) doing one put and one PutEvents, with none of Vigil's own code.
 * Bundled and timed exactly as the functions are, it shows what no change to Vigil's code can go below.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { lambda } from "../../functions/lib/powertools";
import { Entity } from "electrodb";

const table = process.env.VIGIL_TABLE ?? "vigil";
const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const entity = new Entity(
  {
    model: { entity: "floor", version: "1", service: "vigil" },
    attributes: { id: { type: "string", required: true } },
    indexes: { primary: { pk: { field: "pk", composite: ["id"] }, sk: { field: "sk", composite: [] } } },
  },
  { client, table },
);
const events = new EventBridgeClient({});

export const handler = lambda(async (event: { id: string }) => {
  await entity.put({ id: event.id }).go();
  await events.send(new PutEventsCommand({ Entries: [{ Source: "vigil", DetailType: "Floor", Detail: "{}" }] }));
});
