import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import type { Context, KinesisStreamEvent } from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { defaultConfig, type VigilConfig } from "../../../core/config";
import { validateConfig } from "../../../core/config/validate";
import { normaliseEvent } from "../../../core/grouping";
import { createStore } from "../../../core/store/service";
import { tableDefinition } from "../../../core/store/table";
import { createLambdaContext } from "../../../local/kinesis/lambda-context";
import { cmdIncidents, parseSince } from "../../../local/incidents-command";
import { albAlarm, alertStreamRecord } from "../../support/alarm-events";
import { handlerEnv, startDynalite, type DynaliteHandle } from "../../support/dynalite";

const ACCOUNT = "123456789012";
const T0 = Date.parse("2025-06-02T09:00:00Z");
const MIN = 60_000;
const TOPOLOGY = { services: [{ name: "checkout", resources: ["arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/checkout/1"] }] };

const eventbridge = mockClient(EventBridgeClient);
let db: DynaliteHandle;
let grouper: (event: KinesisStreamEvent, context: Context) => Promise<unknown>;
const context = createLambdaContext({ functionName: "alert-grouper", region: "us-east-1", accountId: ACCOUNT, timeoutMs: 30_000 });

beforeAll(async () => {
  db = await startDynalite();
  Object.assign(process.env, handlerEnv(db, { topology: TOPOLOGY }));
  eventbridge.on(PutEventsCommand).callsFake((input: { Entries: unknown[] }) => ({ FailedEntryCount: 0, Entries: input.Entries.map((_, i) => ({ EventId: `e${i}` })) }));
  grouper = (await import("../../../functions/alert-grouper")).handler as never;
  // Two alarms of checkout a minute apart open an incident; an hour later a lone blip clears within a minute.
  const alarm = (id: string, name: string, metric: string, value: "ALARM" | "OK", at: number) => albAlarm({ id, account: ACCOUNT, name, metric, value, at });
  const events = [
    alarm("e-5xx", "checkout-5xx", "HTTPCode_Target_5XX_Count", "ALARM", T0),
    alarm("e-latency", "checkout-latency", "TargetResponseTime", "ALARM", T0 + MIN),
    alarm("blip", "checkout-rejected", "RejectedConnectionCount", "ALARM", T0 + 60 * MIN),
    alarm("blip-ok", "checkout-rejected", "RejectedConnectionCount", "OK", T0 + 61 * MIN),
    alarm("late", "checkout-late", "HTTPCode_ELB_5XX_Count", "ALARM", T0 + 3 * 60 * MIN),
  ];
  const Records = events.map((e) => alertStreamRecord(e, ACCOUNT));
  await grouper({ Records } as KinesisStreamEvent, context);
});
afterAll(async () => db?.stop());

/** What `vigil incidents` printed. */
async function run(args: string[], loadConfig: () => VigilConfig = defaultConfig): Promise<string> {
  const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
  try {
    expect(await cmdIncidents(args, loadConfig)).toBe(0);
    return log.mock.calls.map((c) => c.join(" ")).join("\n");
  } finally {
    log.mockRestore();
  }
}

describe("vigil incidents --table", () => {
  it("reads a deployed table: each incident with its alerts and why, and with --held what never paged and why", async () => {
    const out = await run(["--table", db.table, "--held"]);
    expect(out).toMatch(/^1 incident\(s\), \d open, and why each alert is in one:/);
    expect(out).toMatch(/P\d checkout: 2 alerts/);
    expect(out).toMatch(/09:00 {2}firing +checkout +checkout-5xx .* began the group/);
    expect(out).toMatch(/10:00 {2}transient +checkout +checkout-rejected .* 2 alerts to 10:01/);
    expect(out).toMatch(/12:00 {2}pending +checkout +checkout-late/);
    expect(out).toContain("transient: cleared within the transient pause (5m)");
  });

  it("keeps only what had an alert since --since, an ISO time or a duration back from now", async () => {
    const out = await run(["--table", db.table, "--held", "--since", "2025-06-02T11:00:00Z"]);
    expect(out).toMatch(/^0 incident\(s\), 0 open/);
    expect(out).toContain("1 alert(s) in 1 group(s): 1 pending");
    expect(parseSince("2h", T0)).toBe(T0 - 2 * 60 * MIN);
    expect(() => parseSince("yesterday", T0)).toThrow(/--since must be an ISO time or a duration such as 30m, 2h or 1d, got "yesterday"/);
  });

  it("reads a deployed table by Query and BatchGet (the scopes its incidents name), never a Scan unless asked", async () => {
    // ElectroDB sends through a document client; both it and DynamoDBClient inherit the base client's send.
    const send = vi.spyOn(Object.getPrototypeOf(DynamoDBClient.prototype) as DynamoDBClient, "send");
    try {
      const byQuery = await run(["--table", db.table, "--held", "--json"]);
      const commands = send.mock.calls.map(([command]) => command.constructor.name);
      expect(commands).toContain("QueryCommand");
      expect(commands).not.toContain("ScanCommand");
      send.mockClear();
      expect(await run(["--table", db.table, "--held", "--json", "--scan"])).toBe(byQuery);
      expect(send.mock.calls.map(([command]) => command.constructor.name)).toContain("ScanCommand");
    } finally {
      send.mockRestore();
    }
  });

  it("prints one JSON object with --json, for jq", async () => {
    const read = JSON.parse(await run(["--table", db.table, "--held", "--json"])) as { incidents: { incident: { alertCount: number }; alerts: { eventId: string; link?: string }[] }[]; held: { reason: string }[] };
    expect(read.incidents.map((i) => i.alerts.map((a) => [a.eventId, a.link]))).toEqual([[["e-5xx", "new"], ["e-latency", "service"]]]);
    expect(read.held.map((h) => h.reason)).toEqual(["transient", "pending"]);
  });

  it("reads a table served on loopback (a running `vigil local`) with no AWS credentials or region set", async () => {
    const saved = { AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY, AWS_REGION: process.env.AWS_REGION };
    for (const name of Object.keys(saved)) delete process.env[name];
    try {
      expect(await run(["--table", db.table, "--open"])).toMatch(/^1 open incident\(s\)/);
    } finally {
      Object.assign(process.env, saved);
    }
  });

  it("says which table is missing, and refuses --data with --table", async () => {
    await expect(cmdIncidents(["--table", "no-such-table"], () => defaultConfig())).rejects.toThrow(/table "no-such-table" not found/);
    await expect(cmdIncidents(["--table", db.table, "--data", ".vigil"], () => defaultConfig())).rejects.toThrow(/not both/);
  });
});

describe("vigil incidents --table, an account that only ever held back noise", () => {
  const QUIET = "210987654321";
  const quietTable = "vigil-quiet";
  let readsQuiet: (config: VigilConfig) => Promise<string>;

  beforeAll(async () => {
    await db.client.send(new CreateTableCommand(tableDefinition(quietTable)));
    const store = createStore({ client: db.client, table: quietTable });
    const { groupAlerts, tickDueScopes } = await import("../../../functions/lib/grouping-run");
    const { groupingContext } = await import("../../../functions/lib/grouping-context");
    const ctx = groupingContext();
    const deps = { store, publish: async () => undefined };
    const blip = [albAlarm({ id: "q-1", account: QUIET, name: "quiet-rejected", at: T0, metric: "RejectedConnectionCount" }), albAlarm({ id: "q-1-ok", account: QUIET, name: "quiet-rejected", at: T0 + MIN, metric: "RejectedConnectionCount", value: "OK" })];
    await groupAlerts(deps, blip.flatMap((e) => { const r = normaliseEvent(e, ctx.topology); return "alerts" in r ? r.alerts : []; }), ctx);
    // The verdict is in and nothing is due: no incident and no deadline names the scope.
    await tickDueScopes(deps, T0 + 60 * MIN, ctx);
    readsQuiet = (config) => run(["--table", quietTable, "--held"], () => config);
  });

  it("is read without a Scan when the config's topology names the account", async () => {
    const named = validateConfig({ topology: { accounts: [{ id: QUIET, alias: "sandbox" }] } });
    expect(await readsQuiet(named)).toMatch(/09:00 {2}transient +\S+ +quiet-rejected/);
  });

  it("is missed without a Scan when no topology names the account: --scan reads it", async () => {
    expect(await readsQuiet(defaultConfig())).not.toContain("quiet-rejected");
    expect(await run(["--table", quietTable, "--held", "--scan"])).toContain("quiet-rejected");
  });
});
