import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { defaultConfig, parseConfig, withTopology, type VigilConfig } from "../core/config";
import { createStore } from "../core/store/service";
import { verifyStoredChain } from "../core/audit/append";
import { startRuntime, type Runtime } from "./runtime";
import { VirtualClock } from "./clock";
import { REPLAY_STREAM_WINDOW_MINUTES, replay } from "./replay";
import { readAssignments, readHeldBack, readIncidentAlerts } from "./assignments";
import { groupingWrites } from "../core/store/write-counter";
import { formatHeldBack, formatIncidents, formatProblem, formatSummary, progressBar } from "./cli-output";
import { runDemo } from "./demo";
import { resolveReplayInputs } from "./replay-paths";
import { startSchedules } from "./direct-invoke";
import { scoreFile } from "./score";
import { drStatusRows, formatDrTable } from "./dr-status";

const USAGE = `vigil: run Vigil's pipeline on your laptop

  vigil replay <file | storm dir>... [--config F] [--topology F] [--data DIR] [--emitted F] [--until ISO]
               [--assignments F] [--incidents] [--held] [--stream-window MIN]
      Feed EventBridge events (JSON lines or a JSON array) and CloudWatch Metric Streams
      JSON records through the real handlers, in event-time order on a virtual clock. A storm
      directory (alertsim's layout) replays its events.jsonl with its topology.json.
      --assignments writes one JSON line per input event, in input order:
      {"eventId": "...", "incidentId": "..." | null} (null: it opened or joined no incident).
      --incidents prints every incident with its alerts and why each is in it ("same service",
      "calls orders, failing in it", "same resource", "in impaired zone us-east-1a", ...).
      --held prints the alerts held back from every incident (never paged) and why: transient,
      flapping, lone or informational.
      --stream-window: minutes of alerts the grouper reads per batch (default 60); any window decides
      the same, longer ones write less.
  vigil incidents [--data DIR | --table NAME [--region R] [--scan]] [--open] [--held] [--since T] [--json] [--config F]
      The incidents a store holds, each with its alerts and why each is in it; --held adds the
      alerts held back from paging and why; --since keeps those with an alert since T (ISO, or 2h);
      --json prints {"incidents": [{incident, alerts}], "held": [{reason, alerts}]} for jq.
      --data reads what a replay or \`vigil local\` kept (default .vigil); --table reads a
      deployed Vigil's table (sst deploy's "table" output) with your AWS credentials, by Query
      (--scan: every scope, a Scan of the table).
  vigil local [--port N] [--data DIR] [--config F]
      Keep the runtime up on loopback (default port 4566) for the AWS CLI, SDKs and your code.
  vigil verify-audit [--data DIR] [--config F]
      Verify the audit hash chain stored in DIR (default .vigil).
  vigil dr status [--config F] [--data DIR] [--at ISO] [--json]
      Every protected resource in DIR (default .vigil): its observed RPO against its target, its
      status (ok | breached | stale | unknown) and its last signal, evaluated at --at (default now).
  vigil score <file.csv> [--out F] [--config F]
      Score a CSV with header timestamp,value (NAB's format) with the same detector as the
      Lambda; writes timestamp,anomaly_score, one row per input row in the same order.
  vigil remediation rollback <remediationId> [--config F] [--data DIR]
      Undo an executed remediation stored in DIR (default .vigil) on the account the AWS
      chain points at (AWS_ENDPOINT_URL for moto_server); audited, published with operation rollback.
  vigil demo
      Replay the demo storm shipped in demo/ and show what Vigil did (npm start).
`;

export class UsageError extends Error {
  override readonly name = "UsageError";
  readonly code = "cli.usage";
}

function loadConfig(path: string | undefined, topology: string | undefined): VigilConfig {
  const config = path ? parseConfig(readFileSync(path, "utf8"), path) : defaultConfig();
  return topology ? withTopology(config, readFileSync(topology, "utf8"), topology) : config;
}

function parseTime(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new UsageError(`${flag} must be an ISO-8601 time, got "${value}"`);
  return ms;
}

async function verifyAudit(runtime: Runtime, config: VigilConfig): Promise<boolean> {
  const store = createStore({ client: runtime.dynamodb, table: runtime.names.table });
  const report = await verifyStoredChain(store, config.audit.chainId);
  if (report.ok) console.log(`Audit chain "${config.audit.chainId}": ${report.count} entries, intact (head ${report.headHash.slice(0, 16)}…).`);
  else console.log(`Audit chain "${config.audit.chainId}": BROKEN at seq ${report.at}: ${report.problem}. ${report.detail}`);
  return report.ok;
}

async function cmdReplay(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      config: { type: "string" },
      topology: { type: "string" },
      data: { type: "string" },
      emitted: { type: "string" },
      until: { type: "string" },
      assignments: { type: "string" },
      incidents: { type: "boolean", default: false },
      held: { type: "boolean", default: false },
      "stream-window": { type: "string" },
    },
  });
  if (positionals.length === 0) throw new UsageError("replay needs at least one file or storm directory");
  const inputs = resolveReplayInputs(positionals, values.topology);
  const windowMinutes = Number(values["stream-window"] ?? REPLAY_STREAM_WINDOW_MINUTES);
  if (!Number.isInteger(windowMinutes) || windowMinutes < 1) throw new UsageError(`--stream-window must be a whole number of minutes, got "${values["stream-window"]}"`);
  const config = loadConfig(values.config, inputs.topology);
  const until = parseTime(values.until, "--until");
  if (inputs.topology !== undefined && inputs.topology !== values.topology) console.log(`Topology: ${inputs.topology}`);
  const runtime = await startRuntime({ config, dataDir: values.data, clock: new VirtualClock(0), streamWindowMs: windowMinutes * 60_000 });
  try {
    const bar = progressBar();
    const summary = await replay(runtime, {
      files: inputs.files,
      until,
      onProgress: bar.update,
      onProblem: (p) => {
        bar.done();
        console.error(formatProblem(p));
      },
    });
    bar.done();
    if (values.emitted) writeFileSync(values.emitted, summary.emitted.map((e) => JSON.stringify(e) + "\n").join(""));
    if (values.assignments) {
      const { assignments, alerts } = await readAssignments(createStore({ client: runtime.dynamodb, table: runtime.names.table }), summary.eventIds);
      writeFileSync(values.assignments, assignments.map((a) => JSON.stringify(a) + "\n").join(""));
      const perAlert = alerts === 0 ? 0 : groupingWrites.count / alerts;
      console.log(`Grouping: ${alerts} alert(s) stored with ${groupingWrites.count} DynamoDB item write(s), ${perAlert.toFixed(3)} per alert.`);
    }
    console.log(formatSummary(summary));
    if (values.incidents) {
      console.log("Incidents, and why each alert is in one:");
      console.log(formatIncidents(await readIncidentAlerts(createStore({ client: runtime.dynamodb, table: runtime.names.table }))));
    }
    if (values.held) {
      console.log("Held back, never paged:");
      console.log(formatHeldBack(await readHeldBack(createStore({ client: runtime.dynamodb, table: runtime.names.table })), config.grouping));
    }
    await verifyAudit(runtime, config);
    return 0;
  } finally {
    await runtime.close();
  }
}

async function cmdLocal(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { port: { type: "string", default: "4566" }, data: { type: "string" }, config: { type: "string" } } });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a port number, got "${values.port}"`);
  const clock = new VirtualClock(Date.now());
  const runtime = await startRuntime({ config: loadConfig(values.config, undefined), port, dataDir: values.data, clock });
  runtime.startPolling();
  startSchedules(runtime);
  // Outside a replay the virtual clock follows the wall clock, so timers fire in real time.
  const tick = setInterval(() => void clock.advanceTo(Date.now()), 1000);
  console.log(`Vigil local runtime on ${runtime.endpoint} (DynamoDB, Kinesis, EventBridge). Point your tools at it:\n`);
  for (const [name, value] of Object.entries(runtime.endpoints)) console.log(`export ${name}=${value}`);
  console.log(`export AWS_REGION=${process.env.AWS_REGION}`);
  console.log(`\nTable ${runtime.names.table}, ops bus ${runtime.names.bus} (AWS events go to "default"), stream ${runtime.names.stream}. Ctrl-C stops.`);
  await new Promise<void>((done) => process.once("SIGINT", done).once("SIGTERM", done));
  clearInterval(tick);
  await runtime.close();
  return 0;
}

async function cmdVerifyAudit(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { data: { type: "string", default: ".vigil" }, config: { type: "string" } } });
  if (!existsSync(join(values.data, "dynamodb"))) {
    throw new UsageError(`no Vigil data in "${values.data}": run \`vigil replay --data ${values.data} …\` or \`vigil local --data ${values.data}\` first`);
  }
  const runtime = await startRuntime({ config: loadConfig(values.config, undefined), dataDir: values.data });
  try {
    return (await verifyAudit(runtime, loadConfig(values.config, undefined))) ? 0 : 1;
  } finally {
    await runtime.close();
  }
}

async function cmdDr(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { data: { type: "string", default: ".vigil" }, config: { type: "string" }, at: { type: "string" }, json: { type: "boolean", default: false } },
  });
  if (positionals.length !== 1 || positionals[0] !== "status") throw new UsageError(`dr has one subcommand, "status"`);
  if (!existsSync(join(values.data, "dynamodb"))) {
    throw new UsageError(`no Vigil data in "${values.data}": run \`vigil replay --data ${values.data} …\` or \`vigil local --data ${values.data}\` first`);
  }
  const config = loadConfig(values.config, undefined);
  const at = parseTime(values.at, "--at") ?? Date.now();
  const runtime = await startRuntime({ config, dataDir: values.data });
  try {
    const rows = await drStatusRows(createStore({ client: runtime.dynamodb, table: runtime.names.table }), config.replication, at);
    console.log(values.json ? JSON.stringify(rows, null, 2) : formatDrTable(rows, at));
    return 0;
  } finally {
    await runtime.close();
  }
}

async function cmdScore(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { out: { type: "string" }, config: { type: "string" } } });
  if (positionals.length !== 1) throw new UsageError("score needs exactly one CSV file");
  const file = positionals[0]!;
  const result = scoreFile(file, values.out, loadConfig(values.config, undefined).anomaly);
  for (const p of result.problems) console.error(`${file}:${p.line}: ${p.reason} (scored 0, row kept)`);
  if (!values.out) process.stdout.write(result.csv);
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  // The SDK versions are pinned in the lockfile and Lambda runs Node 22; on a laptop's Node 20
  // the SDK's end-of-support notice is noise in every command's output.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "replay":
        return await cmdReplay(rest);
      case "local":
        return await cmdLocal(rest);
      case "verify-audit":
        return await cmdVerifyAudit(rest);
      case "dr":
        return await cmdDr(rest);
      case "score":
        return await cmdScore(rest);
      case "incidents":
        return await (await import("./incidents-command")).cmdIncidents(rest, (path) => loadConfig(path, undefined));
      case "remediation":
        // Loaded on demand: it pulls in every playbook's AWS SDK client.
        return await (await import("./remediation-command")).cmdRemediation(rest, (path) => loadConfig(path, undefined));
      case "demo":
        return await runDemo(rest);
      case undefined:
      case "help":
      case "--help":
      case "-h":
        console.log(USAGE);
        return 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    const e = error as Error & { code?: unknown };
    if (e instanceof UsageError || e.code === "cli.usage" || (typeof e.code === "string" && e.code.startsWith("ERR_PARSE_ARGS"))) {
      console.error(`vigil: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    // Bad input the user can fix: say what, without a stack trace.
    if (e.code === "config.invalid" || e.code === "score.invalid_header" || e.code === "replay.path" || e.code === "incidents.input" || e.code === "data.in_use" || e.code === "ENOENT") {
      console.error(`vigil: ${e.message}`);
      return 2;
    }
    if (e.code === "EADDRINUSE") {
      const { port } = e as { port?: number };
      console.error(`vigil: port ${port ?? ""} is already in use (another \`vigil local\`?); pick a free one with --port N, or --port 0 for any`);
      return 2;
    }
    throw error;
  }
}

// Run as a script (`tsx local/cli.ts`, `npm start`); bin/vigil.mjs calls `main` itself, and tests import it.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) process.exitCode = await main(process.argv.slice(2));
