import { createServer } from "node:http";
import { serveJson } from "../../local/gateway";
import { listenOnLoopback } from "../../local/listen";

type Api = (operation: string, input: Record<string, unknown>) => Promise<unknown>;

/** Serves one JSON-protocol API on loopback as the runtime's gateway does (the operation from X-Amz-Target). */
export async function serveJsonApi(api: Api): Promise<{ endpoint: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const operation = String(req.headers["x-amz-target"] ?? "").split(".")[1] ?? "";
    void serveJson(req, res, (input) => api(operation, input));
  });
  return listenOnLoopback(server);
}
