import type { Server } from "node:http";
import type { AddressInfo } from "node:net";

/** A server listening on loopback: its endpoint URL, port, and a close that drops open connections. */
export async function listenOnLoopback(
  server: Server,
  options: { port?: number; host?: string } = {},
): Promise<{ endpoint: string; port: number; close(): Promise<void> }> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const { port, address } = server.address() as AddressInfo;
  return {
    endpoint: `http://${address}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
