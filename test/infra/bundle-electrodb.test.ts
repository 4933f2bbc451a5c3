import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { Entity } from "electrodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundleFunction } from "../../bench/lib/bundle";
import { alertSchema } from "../../core/store/alert";
import { createStore } from "../../core/store/service";
import { incidentSchema } from "../../core/store/incident";
import { Validator } from "../../functions/lib/electrodb-model-check";
import { startDynalite, type DynaliteHandle } from "../support/dynalite";

// The store as a Lambda bundle builds it (jsonschema and lib-dynamodb swapped by infra/lambda-plugins.mjs),
// driven through the operations Vigil's code uses, next to the store built from the sources.
const STORE_EXERCISE = `
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { createStore } from ${JSON.stringify(resolve(process.cwd(), "core/store/service"))};
export const handler = async () => "unused";

export async function exercise(endpoint, table) {
  const client = new DynamoDBClient({ endpoint, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
  const { entities, collections } = createStore({ client, table });
  return run(entities, collections);
}

export async function run(entities, collections) {
  const out = {};
  const alert = (id, incidentId) => ({ alertId: id, fingerprint: "fp-1", incidentId, status: "firing", severity: "error", source: "aws.cloudwatch",
    summary: "CPU high", resources: ["arn:aws:ec2:us-east-1:1:instance/i-1"], account: "1", region: "us-east-1",
    eventTime: "2024-05-01T10:00:00.000Z", receivedAt: "2024-05-01T10:00:01.000Z", eventId: "e-" + id });
  out.put = (await entities.alert.put(alert("a-1", "inc-1")).go()).data;
  out.create = (await entities.alert.create(alert("a-2", "inc-1")).go()).data;
  out.get = (await entities.alert.get({ alertId: "a-1" }).go()).data;
  out.patch = (await entities.alert.patch({ alertId: "a-1" }).set({ status: "resolved" }).go({ response: "all_new" })).data;
  out.query = (await entities.alert.query.byFingerprint({ fingerprint: "fp-1" }).go()).data;
  out.collection = (await collections.incidentDetail({ incidentId: "inc-1" }).go()).data;
  out.batchPut = (await entities.alert.put([alert("a-3"), alert("a-4")]).go()).unprocessed;
  // BatchGetItem answers in any order.
  out.batchGet = (await entities.alert.get([{ alertId: "a-3" }, { alertId: "a-4" }]).go()).data.sort((a, b) => a.alertId.localeCompare(b.alertId));
  out.scan = (await entities.alert.scan.go()).data.length;
  out.remove = (await entities.alert.delete({ alertId: "a-4" }).go({ response: "all_old" })).data;
  return out;
}
`;

let dir: string;
let db: DynaliteHandle;

beforeAll(async () => {
  // Inside the project, so the entry's bare imports resolve from its node_modules.
  mkdirSync(resolve(process.cwd(), "node_modules/.cache"), { recursive: true });
  dir = mkdtempSync(resolve(process.cwd(), "node_modules/.cache/vigil-bundle-electrodb-"));
  db = await startDynalite();
});
afterAll(async () => {
  await db.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("ElectroDB in a Lambda bundle", () => {
  it("reads and writes the table as the store built from the sources does, without jsonschema or every DynamoDB command", async () => {
    const entry = join(dir, "store-exercise.ts");
    writeFileSync(entry, STORE_EXERCISE);
    const { file, metafile } = await bundleFunction(entry, join(dir, "out"));
    // What the output files hold, not every file esbuild read before tree-shaking.
    const inputs = Object.values(metafile.outputs).flatMap((o) => Object.entries(o.inputs).filter(([, i]) => i.bytesInOutput > 0).map(([path]) => path));
    expect(inputs.filter((p) => p.includes("node_modules/jsonschema/"))).toEqual([]);
    const commands = inputs.filter((p) => /client-dynamodb\/dist-es\/commands\//.test(p)).map((p) => p.replace(/.*\/commands\//, ""));
    // ElectroDB's ten, and DescribeEndpoints, which the DynamoDB client's endpoint discovery sends.
    expect(commands.sort()).toEqual(
      ["BatchGetItem", "BatchWriteItem", "DeleteItem", "DescribeEndpoints", "GetItem", "PutItem", "Query", "Scan", "TransactGetItems", "TransactWriteItems", "UpdateItem"].map(
        (c) => `${c}Command.js`,
      ),
    );

    const bundled = (await import(pathToFileURL(file).href)) as {
      exercise: (endpoint: string, table: string) => Promise<Record<string, unknown>>;
      run: (entities: unknown, collections: unknown) => Promise<Record<string, unknown>>;
    };
    const fromBundle = await bundled.exercise(db.endpoint, db.table);
    // The same operations on a store built from the sources (real jsonschema and lib-dynamodb), in a fresh table.
    const other = await startDynalite();
    try {
      const { entities, collections } = createStore({ client: other.client, table: other.table });
      expect(fromBundle).toEqual(await bundled.run(entities, collections));
    } finally {
      await other.stop();
    }
    expect(fromBundle).toMatchObject({ scan: 4, get: { alertId: "a-1", incidentId: "inc-1" }, batchPut: [] });
    expect((fromBundle.collection as { alert: { alertId: string }[] }).alert.map((a) => a.alertId).sort()).toEqual(["a-1", "a-2"]);
  });
});

describe("functions/lib/electrodb-model-check.ts", () => {
  it("accepts models and reports ElectroDB instances, as ElectroDB's own check tells them apart", () => {
    const check = new Validator();
    expect(check.validate(alertSchema).errors).toEqual([]);
    expect(check.validate(incidentSchema).errors).toEqual([]);
    expect(check.validate(new Entity(alertSchema)).errors).toHaveLength(1);
  });

  it("stands in for models ElectroDB's real jsonschema check accepts: the store's, built from the sources", () => {
    // createStore builds every entity with the real check, which throws on an invalid model.
    expect(() => createStore({ client: db.client, table: db.table })).not.toThrow();
    expect(() => new Entity({ ...alertSchema, indexes: { byAlert: { pk: { field: "pk", composite: 7 } } } } as never)).toThrow(/composite/);
    expect(new Validator().validate({ ...alertSchema, indexes: 7 }).errors).toEqual([]);
  });
});
