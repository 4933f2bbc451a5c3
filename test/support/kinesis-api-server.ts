import { createServer } from "node:http";
import { AwsApiError } from "../../local/eventbridge/api";
import { listenOnLoopback } from "../../local/listen";

type Api = (operation: string, input: Record<string, unknown>) => Promise<unknown>;

/**
 * Serves a JSON-protocol API on loopback as local/gateway.ts's serveJson does: the operation
 * from X-Amz-Target, the JSON body in, the result or `{ __type, message }` out.
 */
export async function serveJsonApi(api: Api): Promise<{ endpoint: string; close(): Promise<void> }> {
  const server = createServer(async (req, res) => {
    const operation = String(req.headers["x-amz-target"] ?? "").split(".")[1] ?? "";
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let status = 200;
    let body: unknown;
    try {
      const text = Buffer.concat(chunks).toString("utf8");
      body = await api(operation, text ? JSON.parse(text) : {});
    } catch (error) {
      const apiError = error instanceof AwsApiError ? error : new AwsApiError("InternalException", String(error), 500);
      status = apiError.status;
      body = { __type: apiError.type, message: apiError.message };
    }
    res.writeHead(status, { "content-type": "application/x-amz-json-1.1" });
    res.end(JSON.stringify(body));
  });
  return listenOnLoopback(server);
}
