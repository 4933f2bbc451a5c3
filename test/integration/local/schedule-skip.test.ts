import { CreateTableCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultConfig, parseConfig, type VigilConfig } from "../../../core/config";
import { commitGroupingScope, groupingDeadlineListeners, listGroupingDeadlines } from "../../../core/store/grouping-batch";
import { createStore, type Store } from "../../../core/store/service";
import { tableDefinition } from "../../../core/store/table";
import { scheduleSkips } from "../../../local/schedule-skip";
import { startDynalite, type DynaliteHandle } from "../../support/dynalite";

const T = Date.parse("2025-05-26T12:00:00Z");
const MIN = 60_000;

let db: DynaliteHandle;
let tableRun = 0;
beforeAll(async () => {
  db = await startDynalite();
});
afterAll(async () => db?.stop());

/** A store on a fresh table, so deadlines of earlier tests are not in the index. */
async function freshStore(): Promise<Store> {
  const table = `${db.table}-skip-${++tableRun}`;
  await db.client.send(new CreateTableCommand(tableDefinition(table)));
  return createStore({ client: db.client, table });
}

async function commit(store: Store, scopeId: string, dueAt: number | undefined, expectedVersion: number): Promise<void> {
  await commitGroupingScope(store, { scopeId, state: "{}", outbox: "", pageBuffer: "", dueAt, expectedVersion });
}

describe("scheduled ticks skipped when they would do nothing", () => {
  it("incident-timer: idle until the earliest stored or committed deadline, then again once it moved on", async () => {
    const store = await freshStore();
    // Stored before the runtime started (a previous run's data): found by the one Query.
    await commit(store, "acct#1", T + 10 * MIN, 0);
    const skips = scheduleSkips(store, defaultConfig());
    const idle = skips.probes.get("incident-timer")!;
    try {
      expect(await idle(T + 9 * MIN)).toBe(true);
      expect(await idle(T + 10 * MIN)).toBe(false);
      // A commit made in this process: an earlier deadline on another scope.
      await commit(store, "acct#2", T + 3 * MIN, 0);
      expect(await idle(T + 2 * MIN)).toBe(true);
      expect(await idle(T + 3 * MIN)).toBe(false);
      // Both ticked: their deadlines move later (or go away), so the minutes between are idle.
      await commit(store, "acct#1", T + 30 * MIN, 1);
      await commit(store, "acct#2", undefined, 1);
      expect(await idle(T + 29 * MIN)).toBe(true);
      expect(await idle(T + 30 * MIN)).toBe(false);
      // What the probe believes is what the index holds.
      expect(await listGroupingDeadlines(store)).toEqual(new Map([["acct#1", T + 30 * MIN]]));
    } finally {
      skips.close();
    }
  });

  it("incident-timer: idle at any time when no scope has a deadline", async () => {
    const store = await freshStore();
    await commit(store, "acct#3", undefined, 0);
    const skips = scheduleSkips(store, defaultConfig());
    try {
      expect(await skips.probes.get("incident-timer")!(T + 1000 * MIN)).toBe(true);
    } finally {
      skips.close();
    }
  });

  it("close() stops listening to commits", async () => {
    const store = await freshStore();
    const before = groupingDeadlineListeners.size;
    const skips = scheduleSkips(store, defaultConfig());
    expect(groupingDeadlineListeners.size).toBe(before + 1);
    skips.close();
    expect(groupingDeadlineListeners.size).toBe(before);
  });

  it("replication schedules: the monitor idle only when nothing is protected, the canary when nothing has a canary", async () => {
    const store = await freshStore();
    const protecting = (resource: unknown) => parseConfig(JSON.stringify({ replication: { protected: [resource] } }), "test.json");
    const bucket = { kind: "s3", id: "orders", resource: "arn:aws:s3:::orders", replica: "arn:aws:s3:::orders-dr" };
    const rds = { kind: "rds", id: "ledger", resource: "arn:aws:rds:us-east-1:111111111111:db:ledger", replicaRegions: ["eu-west-1"] };
    const cases: [VigilConfig, boolean, boolean][] = [
      [defaultConfig(), true, true],
      [protecting(bucket), false, false],
      [protecting(rds), false, true],
    ];
    for (const [config, monitorIdle, canaryIdle] of cases) {
      const skips = scheduleSkips(store, config);
      try {
        expect([await skips.probes.get("replication-monitor")!(T), await skips.probes.get("replication-canary")!(T)]).toEqual([monitorIdle, canaryIdle]);
      } finally {
        skips.close();
      }
    }
  });
});
