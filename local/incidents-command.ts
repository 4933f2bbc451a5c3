import { existsSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { VigilConfig } from "../core/config";
import { DurationSchema } from "../core/grouping/config";
import { namedScopes } from "../core/grouping/correlation-scopes";
import { indexTopology } from "../core/grouping/topology-index";
import { createStore, type Store } from "../core/store/service";
import { type HeldBack, type IncidentAlerts, readDecided, type ReadOptions } from "./assignments";
import { formatHeldBack, formatIncidents } from "./cli-output";
import { startRuntime } from "./runtime";

/** Bad usage of `vigil incidents`; the CLI prints it with the usage text. */
export class IncidentsUsageError extends Error {
  override readonly name = "IncidentsUsageError";
  readonly code = "cli.usage";
}

/** A store `vigil incidents` cannot read (no data, no region, no table); the CLI prints the message alone. */
export class IncidentsInputError extends Error {
  override readonly name = "IncidentsInputError";
  readonly code = "incidents.input";
}

/** What `vigil incidents` reads and how it narrows it: open incidents only, and only what had an alert since `since` (ms). */
export interface IncidentsOptions extends ReadOptions {
  open?: boolean;
  held?: boolean;
  since?: number | undefined;
}

/** The incidents (and with `held` the held-back alerts) a store holds, narrowed by `options`: what `--json` prints. */
export async function incidentsData(store: Store, { open = false, held = false, since, scan, scopes }: IncidentsOptions = {}): Promise<{ incidents: IncidentAlerts[]; held?: HeldBack[] }> {
  const recent = (alerts: readonly { eventTime: string }[]) => since === undefined || alerts.some((a) => Date.parse(a.eventTime) >= since);
  const read = await readDecided(store, { scan, scopes });
  const incidents = read.incidents.filter((i) => (!open || i.incident.status === "open") && recent(i.alerts));
  return held ? { incidents, held: read.held.filter((h) => recent(h.alerts)) } : { incidents };
}

/** What `vigil incidents` prints for a store (see `incidentsData`): each incident with its alerts and why, then what never paged. */
export async function incidentsReport(store: Store, config: VigilConfig, options: IncidentsOptions = {}): Promise<string> {
  const { incidents, held } = await incidentsData(store, options);
  const openCount = incidents.filter((i) => i.incident.status === "open").length;
  const lines = [`${incidents.length} ${options.open ? "open " : ""}incident(s)${options.open ? "" : `, ${openCount} open`}, and why each alert is in one:`];
  if (incidents.length > 0) lines.push(formatIncidents(incidents));
  if (held !== undefined) lines.push("Held back, never paged:", formatHeldBack(held, config.grouping));
  return lines.join("\n");
}

/** `--since`: an ISO time, or a duration back from `now` (30m, 2h, 1d). */
export function parseSince(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const back = DurationSchema.safeParse(value);
  if (back.success && typeof back.data === "number" && /^\d+[a-z]+$/.test(value)) return now - back.data;
  const at = Date.parse(value);
  if (Number.isNaN(at)) throw new IncidentsUsageError(`--since must be an ISO time or a duration such as 30m, 2h or 1d, got "${value}"`);
  return at;
}

/**
 * `vigil incidents [--data DIR | --table NAME [--region R] [--scan]] [--open] [--held] [--since T] [--json] [--config F]`: the
 * incidents a Vigil store holds, each with its alerts and why each is in it, and with `--held` the alerts held back from
 * paging and why (`--json`: one JSON object, `incidentsData`). `--data` reads what a replay or `vigil local` kept in DIR
 * (default .vigil); `--table` reads a deployed Vigil's table (the `table` output of `sst deploy`) with the standard AWS
 * credential chain.
 *
 * @param loadConfig - how the CLI reads `--config` (the default config when absent); its grouping settings explain verdicts
 */
export async function cmdIncidents(args: string[], loadConfig: (path: string | undefined) => VigilConfig): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      data: { type: "string" },
      table: { type: "string" },
      region: { type: "string" },
      config: { type: "string" },
      open: { type: "boolean", default: false },
      held: { type: "boolean", default: false },
      since: { type: "string" },
      json: { type: "boolean", default: false },
      scan: { type: "boolean", default: false },
    },
  });
  if (values.data !== undefined && values.table !== undefined) throw new IncidentsUsageError("incidents reads --data DIR or --table NAME, not both");
  const config = loadConfig(values.config);
  // A local store is read whole; a deployed table by Query (with the scope of every account the topology names) unless
  // --scan asks for every scope.
  const scopes = namedScopes(config.topology, indexTopology(config.topology).scopes);
  const options = { open: values.open, held: values.held, since: parseSince(values.since, Date.now()), scan: values.table === undefined || values.scan, scopes };
  const render = async (store: Store) => (values.json ? JSON.stringify(await incidentsData(store, options), null, 2) : incidentsReport(store, config, options));
  if (values.table !== undefined) {
    const client = new DynamoDBClient({ ...(values.region === undefined ? {} : { region: values.region }), ...loopbackDefaults() });
    try {
      console.log(await render(createStore({ client, table: values.table })));
    } catch (error) {
      throw explainAwsError(error, values.table);
    } finally {
      client.destroy();
    }
    return 0;
  }
  const data = values.data ?? ".vigil";
  if (!existsSync(join(data, "dynamodb"))) throw new IncidentsInputError(`no Vigil data in "${data}": run \`vigil replay --data ${data} …\` first, or read a deployed table with --table NAME`);
  const runtime = await startRuntime({ config, dataDir: data });
  try {
    console.log(await render(createStore({ client: runtime.dynamodb, table: runtime.names.table })));
    return 0;
  } finally {
    await runtime.close();
  }
}

/**
 * A table served on loopback (a running `vigil local`, dynalite, DynamoDB Local) checks no credentials: when the
 * DynamoDB endpoint is loopback and the environment names no credentials or region, placeholders stand in.
 */
function loopbackDefaults(): { region?: string; credentials?: { accessKeyId: string; secretAccessKey: string } } {
  const endpoint = process.env.AWS_ENDPOINT_URL_DYNAMODB ?? process.env.AWS_ENDPOINT_URL;
  if (endpoint === undefined || !/^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:|\/|$)/.test(endpoint)) return {};
  return {
    ...(process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ? {} : { region: "us-east-1" }),
    ...(process.env.AWS_ACCESS_KEY_ID || process.env.AWS_PROFILE ? {} : { credentials: { accessKeyId: "local", secretAccessKey: "local" } }),
  };
}

/** The AWS errors a person can fix (no region, no table, no credentials or access, no network), as one line naming the fix. */
function explainAwsError(error: unknown, table: string): unknown {
  // ElectroDB wraps the client's error.
  const e = ((error as Error).cause ?? error) as Error & { code?: unknown };
  if (/Region is missing/.test(e.message)) return new IncidentsInputError("no AWS region: set AWS_REGION (or a profile's region), or pass --region");
  if (e.name === "ResourceNotFoundException") return new IncidentsInputError(`table "${table}" not found in this account and region (sst deploy prints it as the "table" output)`);
  if (e.name === "CredentialsProviderError") return new IncidentsInputError(`no AWS credentials: ${e.message}`);
  if (/AccessDenied|UnrecognizedClient|ExpiredToken|InvalidSignature/.test(e.name)) return new IncidentsInputError(`AWS refused to read "${table}" (${e.name}): ${e.message}`);
  if (e.code === "ENOTFOUND" || e.code === "ECONNREFUSED" || e.code === "ETIMEDOUT") return new IncidentsInputError(`cannot reach DynamoDB: ${e.message}`);
  return error;
}
