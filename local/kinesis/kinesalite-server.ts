import type { Server } from "node:http";
import { createRequire } from "node:module";
import { listenOnLoopback } from "../listen";

/** Options kinesalite understands; the delays are what make stream changes instantaneous. */
export interface KinesaliteOptions {
  /** Folder to persist streams in; in memory when absent. */
  path?: string;
  createStreamMs?: number;
  deleteStreamMs?: number;
  updateStreamMs?: number;
  shardLimit?: number;
}

type KinesaliteFactory = (options: KinesaliteOptions) => Server;

// kinesalite is CommonJS without type declarations; its export is a factory of http servers.
const kinesalite = createRequire(import.meta.url)("kinesalite") as KinesaliteFactory;

/**
 * Creates (without listening) a kinesalite server whose stream operations take effect at once,
 * so tests and replays never wait for a stream to become ACTIVE.
 */
export function createKinesalite(options: Pick<KinesaliteOptions, "path"> = {}): Server {
  return kinesalite({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, shardLimit: 100, ...options });
}

/** Starts kinesalite listening on loopback (an ephemeral port unless `port` is given). */
export async function startKinesalite(
  options: { path?: string; host?: string; port?: number } = {},
): Promise<{ endpoint: string; port: number; close(): Promise<void> }> {
  const server = createKinesalite(options.path === undefined ? {} : { path: options.path });
  return listenOnLoopback(server, options);
}
