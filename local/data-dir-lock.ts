import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

/** A data directory another Vigil process has open; the CLI prints the message alone. */
export class DataDirInUseError extends Error {
  override readonly name = "DataDirInUseError";
  readonly code = "data.in_use";
}

/** What a runtime with a data directory tells other processes about itself (`runtime.json` in the directory). */
interface RuntimeNote {
  pid: number;
  endpoint: string;
  table: string;
}

const NOTE = "runtime.json";

// dynalite's own LevelDB package, so the probe opens the store exactly as dynalite does.
const { Level } = createRequire(createRequire(import.meta.url).resolve("dynalite"))("level") as {
  Level: new (path: string) => { open(): Promise<void>; close(): Promise<void> };
};

/**
 * Throws when another process holds `dataDir`'s store (LevelDB allows one): a `vigil local` still running, say.
 * Without this check dynalite fails later, inside a request, with "Database is closed" and a stack trace. The
 * message says how to read through the running runtime instead, when it left its endpoint in the directory.
 */
export async function assertDataDirFree(dataDir: string): Promise<void> {
  const path = join(dataDir, "dynamodb");
  if (!existsSync(path)) return;
  const db = new Level(path);
  try {
    await db.open();
  } catch (error) {
    const e = error as Error & { cause?: { code?: string } };
    if (e.cause?.code !== "LEVEL_LOCKED") throw error;
    const note = readNote(dataDir);
    const through = note === undefined ? "" : `; read it through that runtime (pid ${note.pid}): AWS_ENDPOINT_URL_DYNAMODB=${note.endpoint} npx vigil incidents --table ${note.table}`;
    throw new DataDirInUseError(`"${dataDir}" is open in another Vigil process (a running \`vigil local\`?): stop it first${through}`);
  } finally {
    await db.close();
  }
}

function readNote(dataDir: string): RuntimeNote | undefined {
  try {
    return JSON.parse(readFileSync(join(dataDir, NOTE), "utf8")) as RuntimeNote;
  } catch {
    return undefined;
  }
}

/** Leaves this runtime's endpoint in `dataDir` for `assertDataDirFree`'s message; returns what removes it. */
export function noteRuntime(dataDir: string, endpoint: string, table: string): () => void {
  const file = join(dataDir, NOTE);
  writeFileSync(file, JSON.stringify({ pid: process.pid, endpoint, table } satisfies RuntimeNote));
  return () => rmSync(file, { force: true });
}
