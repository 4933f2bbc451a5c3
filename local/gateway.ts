import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { AwsApiError } from "./eventbridge/api";
import { listenOnLoopback } from "./listen";

/** A server whose request listener can be driven without it listening (dynalite). */
type RequestListenerServer = Pick<Server, "emit">;
/** An AWS JSON-protocol API served in process: the operation and its parsed input, to the output. */
type JsonApi = (operation: string, input: Record<string, unknown>) => Promise<unknown>;

export interface GatewayServices {
  dynamodb: RequestListenerServer;
  kinesis: JsonApi;
  events: JsonApi;
}

/**
 * One loopback port for every emulated API. AWS JSON-protocol clients name the operation in
 * the X-Amz-Target header (`DynamoDB_20120810.PutItem`, `Kinesis_20131202.PutRecords`,
 * `AWSEvents.PutEvents`), which is enough to route a request to its emulator.
 */
export async function startGateway(
  services: GatewayServices,
  options: { port?: number; host?: string } = {},
): Promise<{ endpoint: string; port: number; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const target = String(req.headers["x-amz-target"] ?? "");
    const [prefix, operation = ""] = target.split(".");
    if (prefix?.startsWith("DynamoDB_")) services.dynamodb.emit("request", req, res);
    else if (prefix?.startsWith("Kinesis_")) void serveJson(req, res, (input) => services.kinesis(operation, input));
    else if (prefix === "AWSEvents") void serveJson(req, res, (input) => services.events(operation, input));
    else {
      res.writeHead(400, { "content-type": "application/x-amz-json-1.1" });
      res.end(JSON.stringify({ __type: "UnknownOperationException", message: `No local service serves X-Amz-Target "${target}".` }));
    }
  });
  return listenOnLoopback(server, options);
}

/** Answers one AWS JSON-protocol request with `handle`'s output, or `{ __type, message }` for an error. */
export async function serveJson(
  req: IncomingMessage,
  res: ServerResponse,
  handle: (input: Record<string, unknown>) => Promise<unknown>,
): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  let status = 200;
  let body: unknown;
  try {
    const text = Buffer.concat(chunks).toString("utf8");
    body = await handle(text ? JSON.parse(text) : {});
  } catch (error) {
    const apiError =
      error instanceof AwsApiError
        ? error
        : error instanceof SyntaxError
          ? new AwsApiError("SerializationException", "Request body is not valid JSON.")
          : new AwsApiError("InternalException", error instanceof Error ? error.message : String(error), 500);
    status = apiError.status;
    body = { __type: apiError.type, message: apiError.message };
  }
  res.writeHead(status, { "content-type": "application/x-amz-json-1.1" });
  res.end(JSON.stringify(body));
}
