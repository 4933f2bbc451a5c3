import type { PutEventsRequestEntry } from "@aws-sdk/client-eventbridge";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTopology, parseGroupingConfig, type AlertRecord, type TopologyInput } from "../../../core/grouping";
import { listDueGroupingScopes, loadGroupingScopes } from "../../../core/store/grouping-batch";
import { createStore, type Store } from "../../../core/store/service";
import { groupAlerts, tickDueScopes, type GroupingDeps } from "../../../functions/lib/grouping-run";
import { startDynalite, type DynaliteHandle } from "../../support/dynalite";
import { alertFactory, MIN, T0 } from "../../unit/grouping/alert-factory";

/** Orders (account A) calls payments (account B). */
const A = "111111111111";
const B = "222222222222";
const services = (linked: boolean): TopologyInput => ({
  services: [
    { name: "orders", account: A, dependsOn: linked ? ["payments"] : [] },
    { name: "payments", account: B },
  ],
});
// What an earlier version kept (one scope per account, as when the topology links nothing), and the linked topology now.
const before = { topology: buildTopology(services(false)), config: parseGroupingConfig({}) };
const now = { topology: buildTopology(services(true)), config: parseGroupingConfig({}) };

let db: DynaliteHandle;
let store: Store;
let deps: GroupingDeps;
const published: PutEventsRequestEntry[] = [];

beforeAll(async () => {
  db = await startDynalite();
  store = createStore({ client: db.client, table: db.table });
  deps = { store, publish: async (entries) => void published.push(...entries) };
});
afterAll(async () => db?.stop());

const payments = alertFactory({ service: "payments", prefix: "p" });
const orders = alertFactory({ service: "orders", prefix: "o" });

describe("a correlation scope replacing per-account scopes", () => {
  it("takes over an account's stored open incident, so the other account's symptom joins it, and retires the old scope", async () => {
    await groupAlerts(
      deps,
      [
        payments({ fingerprint: `alarm:arn:aws:cloudwatch:us-east-1:${B}:alarm:payments-5xx`, eventTime: T0, severity: "error", account: B }),
        payments({ fingerprint: `alarm:arn:aws:cloudwatch:us-east-1:${B}:alarm:payments-latency`, eventTime: T0 + MIN, severity: "error", account: B }),
      ],
      before,
    );
    const old = (await loadGroupingScopes(store, [`acct#${B}`])).get(`acct#${B}`);
    const incidentId = (JSON.parse(old?.pageBuffer ?? "{}") as { alerts: AlertRecord[] }).alerts[0]!.groupId;
    expect(incidentId).toBeTruthy();

    const report = await groupAlerts(deps, [orders({ fingerprint: `alarm:arn:aws:cloudwatch:us-east-1:${A}:alarm:orders-5xx`, eventTime: T0 + 2 * MIN, severity: "error", account: A })], now);
    expect(report.adopted).toBe(1);

    const scopes = await loadGroupingScopes(store, [`group#${A}`, `acct#${B}`]);
    const buffered = (JSON.parse(scopes.get(`group#${A}`)?.pageBuffer ?? "{}") as { alerts: AlertRecord[] }).alerts;
    expect(buffered.map((a) => [a.eventId, a.groupId])).toEqual([
      ["p-1", incidentId],
      ["p-2", incidentId],
      ["o-1", incidentId],
    ]);
    const retired = scopes.get(`acct#${B}`);
    expect(JSON.parse(retired?.state ?? "{}")).toMatchObject({ groups: {} });
    expect(await listDueGroupingScopes(store, T0 + 600 * MIN)).toEqual([`group#${A}`]);

    await tickDueScopes(deps, T0 + 10 * MIN, now);
    expect(published.map((e) => [e.DetailType, (JSON.parse(e.Detail ?? "{}") as { incident: { incidentId: string } }).incident.incidentId])).toEqual([["Incident Opened", incidentId]]);
  });
});
