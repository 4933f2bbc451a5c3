import { beforeAll, describe, expect, it } from "vitest";
import { INDEX_NAMES, KEY_FIELDS, TTL_ATTRIBUTE } from "../../core/store/table";
import { auditWriter, forwardedFromDefaultBus } from "../../events/patterns";
import { type RegisteredResource, hasSstPlatform, mockArn, runInfra } from "./sst-harness";

const RULE = "aws:cloudwatch/eventRule:EventRule";
const TARGET = "aws:cloudwatch/eventTarget:EventTarget";
const LAMBDA = "aws:lambda/function:Function";

describe.skipIf(!hasSstPlatform)("infra wiring (needs .sst/platform: run `bash scripts/sst-types.sh`)", () => {
  let resources: RegisteredResource[] = [];
  const named = (type: string, name: string) => {
    const found = resources.find((r) => r.type === type && r.name === name);
    if (!found) throw new Error(`no ${type} named ${name}; registered: ${resources.map((r) => r.name).join(", ")}`);
    return found;
  };

  beforeAll(async () => {
    resources = await runInfra();
  }, 120_000);

  it("subscribes audit-writer on the ops bus with exactly patterns.auditWriter, one rule per pattern", () => {
    const opsBusName = named("aws:cloudwatch/eventBus:EventBus", "OpsBusBus").inputs.name;
    const rules = resources.filter((r) => r.type === RULE && r.name.includes("AuditWriter"));
    expect(rules.map((r) => r.inputs.eventBusName)).toEqual(auditWriter.map(() => opsBusName));
    expect(rules.map((r) => JSON.parse(String(r.inputs.eventPattern)))).toEqual(auditWriter);
  });

  it("targets the audit-writer function from its rules", () => {
    const fn = mockArn(LAMBDA, "AuditWriterFunction");
    const targets = resources.filter((r) => r.type === TARGET && r.name.includes("AuditWriter"));
    expect(targets.map((t) => t.inputs.arn)).toEqual(auditWriter.map(() => fn));
  });

  it("runs audit-writer on nodejs22.x", () => {
    expect(named(LAMBDA, "AuditWriterFunction").inputs.runtime).toBe("nodejs22.x");
  });

  it("forwards each forwardedFromDefaultBus pattern verbatim from the default bus to the ops bus", () => {
    const rules = resources.filter((r) => r.type === RULE && r.name.startsWith("Forward"));
    expect(rules.map((r) => JSON.parse(String(r.inputs.eventPattern)))).toEqual(Object.values(forwardedFromDefaultBus));
    expect(new Set(rules.map((r) => r.inputs.eventBusName))).toEqual(new Set(["default"]));

    const targets = resources.filter((r) => r.type === TARGET && r.name.startsWith("Forward"));
    expect(targets).toHaveLength(rules.length);
    for (const target of targets) {
      expect(target.inputs.arn).toBe(mockArn("aws:cloudwatch/eventBus:EventBus", "OpsBusBus"));
      expect(target.inputs.roleArn).toBe(mockArn("aws:iam/role:Role", "OpsBusForwardingRole"));
    }
  });

  it("declares the table with the store's keys, indexes and TTL, without PITR outside production", () => {
    const table = named("aws:dynamodb/table:Table", "VigilTableTable").inputs;
    expect(table).toMatchObject({
      hashKey: KEY_FIELDS.pk,
      rangeKey: KEY_FIELDS.sk,
      ttl: { attributeName: TTL_ATTRIBUTE, enabled: true },
      pointInTimeRecovery: { enabled: false },
      deletionProtectionEnabled: false,
    });
    const indexes = table.globalSecondaryIndexes as { name: string; hashKey: string; rangeKey: string }[];
    expect(indexes.map(({ name, hashKey, rangeKey }) => ({ name, hashKey, rangeKey }))).toEqual([
      { name: INDEX_NAMES.byIncident, hashKey: KEY_FIELDS.gsi1pk, rangeKey: KEY_FIELDS.gsi1sk },
      { name: INDEX_NAMES.byLookup, hashKey: KEY_FIELDS.gsi2pk, rangeKey: KEY_FIELDS.gsi2sk },
    ]);
  });

  it("declares the metrics stream", () => {
    expect(resources.some((r) => r.type === "aws:kinesis/stream:Stream" && r.name.startsWith("MetricsStream"))).toBe(true);
  });

  it("feeds the metrics stream to anomaly-scorer with partial batch failures, bisection and bounded retries", () => {
    const mapping = resources.find((r) => r.type === "aws:lambda/eventSourceMapping:EventSourceMapping" && r.name.startsWith("MetricsStream"));
    expect(mapping?.inputs).toMatchObject({
      functionResponseTypes: ["ReportBatchItemFailures"],
      bisectBatchOnFunctionError: true,
      batchSize: 100,
      maximumRetryAttempts: 10,
      startingPosition: "TRIM_HORIZON",
    });
    expect(named(LAMBDA, "AnomalyScorerFunction").inputs.runtime).toBe("nodejs22.x");
  });
});
