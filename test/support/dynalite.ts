import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { tableDefinition } from "../../core/store/table";

/** The one factory dynalite exports: an http.Server speaking the DynamoDB API. */
type DynaliteFactory = (options: {
  createTableMs: number;
  deleteTableMs: number;
  updateTableMs: number;
}) => Server;

// dynalite ships no type declarations: load it through require with the shape we use.
const dynalite = createRequire(import.meta.url)("dynalite") as DynaliteFactory;

/** A running in-memory DynamoDB with Vigil's table created in it. */
export interface DynaliteHandle {
  endpoint: string;
  client: DynamoDBClient;
  table: string;
  stop(): Promise<void>;
}

let tableCounter = 0;

/**
 * Starts dynalite in process on 127.0.0.1 (an ephemeral port), creates the table from
 * `tableDefinition`, and returns a client with dummy credentials pointed at it.
 */
export async function startDynalite(): Promise<DynaliteHandle> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  });
  const table = `vigil-test-${process.pid}-${++tableCounter}`;
  await client.send(new CreateTableCommand(tableDefinition(table)));
  return {
    endpoint,
    client,
    table,
    async stop() {
      client.destroy();
      await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}

/**
 * The environment a deployed handler reads, pointed at `db`: its table and an ops bus as SST links them, test credentials,
 * metrics off, the given log level and config. Set it before the handler module loads: handlers build their
 * clients and config once per instance, as in Lambda.
 */
export function handlerEnv(db: DynaliteHandle, config: unknown, logLevel = "ERROR"): Record<string, string> {
  return {
    AWS_ENDPOINT_URL_DYNAMODB: db.endpoint,
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    POWERTOOLS_METRICS_DISABLED: "true",
    POWERTOOLS_LOG_LEVEL: logLevel,
    SST_RESOURCE_App: JSON.stringify({ name: "vigil", stage: "test" }),
    SST_RESOURCE_VigilTable: JSON.stringify({ name: db.table, type: "sst.aws.Dynamo" }),
    SST_RESOURCE_OpsBus: JSON.stringify({ name: "ops", arn: "arn:aws:events:us-east-1:123456789012:event-bus/ops", type: "sst.aws.Bus" }),
    VIGIL_CONFIG: JSON.stringify(config),
  };
}
