import { existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";

/** A replay path that names nothing replayable: the CLI prints the message alone (no stack trace). */
export class ReplayPathError extends Error {
  override readonly name = "ReplayPathError";
  readonly code = "replay.path";
}

/** What `vigil replay` reads: the files to replay and the topology file, when one comes with them. */
export interface ReplayInputs {
  files: string[];
  topology?: string | undefined;
}

/**
 * Resolves `vigil replay`'s positionals. A file is replayed as given. A directory is a recorded storm
 * (alertsim's layout, ../shared/scenarios/*): its `events.jsonl` is replayed and its `topology.json`
 * is the topology unless `--topology` names one. Two storms with topologies of their own cannot share
 * one replay without `--topology`: Vigil would not know whose services to group by.
 */
export function resolveReplayInputs(paths: readonly string[], topologyFlag?: string): ReplayInputs {
  const files: string[] = [];
  const topologies: string[] = [];
  for (const given of paths) {
    const path = resolve(given);
    if (!existsSync(path)) throw new ReplayPathError(`${given}: no such file or directory`);
    if (!statSync(path).isDirectory()) {
      files.push(path);
      continue;
    }
    const events = join(path, "events.jsonl");
    if (!existsSync(events)) throw new ReplayPathError(`${given} is a directory without events.jsonl: replay takes event files, or a storm directory holding events.jsonl (and topology.json)`);
    files.push(events);
    const topology = join(path, "topology.json");
    if (existsSync(topology)) topologies.push(topology);
  }
  if (topologyFlag !== undefined) return { files, topology: topologyFlag };
  if (topologies.length > 1) throw new ReplayPathError(`${topologies.join(" and ")} are two topologies; name the one to group by with --topology`);
  return { files, topology: topologies[0] };
}
