import { beforeAll, describe, expect, it } from "vitest";
import { TABLE_ACTIONS } from "../../infra/access";
import { type BuildRequest, type RegisteredResource, appSettings, hasSstPlatform, lambdaOf, only, roleStatements, runInfra, unsecret } from "./sst-harness";

// A separate file, so the program runs again in a fresh module graph: production stage, no config file, no outbound secrets.
describe.skipIf(!hasSstPlatform)("infra wiring on a production stage with the defaults (needs .sst/platform: run `npm run sst:types`)", () => {
  let resources: RegisteredResource[] = [];
  let builds: BuildRequest[] = [];

  beforeAll(async () => {
    ({ resources, builds } = await runInfra({
      stage: "prod",
      secrets: { VigilApprovalKey: "approval-key" },
      env: { VIGIL_CONFIG_SOURCE: "test/infra/fixtures/no-such-config.yaml" },
    }));
  }, 180_000);

  it("retains and protects production stages (prod and production), and removes others", async () => {
    for (const stage of ["prod", "production"]) expect(await appSettings(stage)).toMatchObject({ removal: "retain", protect: true });
    expect(await appSettings("alice")).toMatchObject({ removal: "remove", protect: false });
  });

  it("keeps the table's point-in-time recovery and deletion protection, and archives 90 days", () => {
    expect(only(resources, "aws:dynamodb/table:Table", "VigilTableTable").inputs).toMatchObject({
      pointInTimeRecovery: { enabled: true },
      deletionProtectionEnabled: true,
    });
    expect(only(resources, "aws:cloudwatch/eventArchive:EventArchive", "OpsBusArchive").inputs).toMatchObject({ retentionDays: 90 });
  });

  it("creates no outbound subscriber while its secret is empty", () => {
    const outbound = resources.filter((r) => r.type.startsWith("aws:") && /^(PagerDuty|Slack)/.test(r.name));
    expect(outbound).toEqual([]);
    expect(resources.filter((r) => /eventConnection|eventApiDestination/.test(r.type))).toEqual([]);
    expect(resources.filter((r) => r.type === "sst:sst:Secret").map((r) => r.name).sort()).toEqual(["PagerDutyRoutingKey", "SlackWebhookUrl", "VigilApprovalKey"]);
  });

  it("grants no playbook and no canary access without a config, and still ships the defaults as the config file", () => {
    const table = "arn:aws:mock:us-east-1:123456789012:aws:dynamodb/table:Table/VigilTableTable";
    expect(roleStatements(resources, "Remediator").map((s) => s.actions)).toEqual([[...TABLE_ACTIONS.remediator], ["events:PutEvents"], ["sqs:SendMessage"]]);
    expect(roleStatements(resources, "Approve").map((s) => s.resources[0])).toEqual([table, "arn:aws:mock:us-east-1:123456789012:aws:cloudwatch/eventBus:EventBus/OpsBusBus"]);
    expect(roleStatements(resources, "ReplicationCanary").map((s) => s.actions)).toEqual([["events:PutEvents"], ["sqs:SendMessage"]]);
    // Validated defaults, so no deployed function builds the config schemas at cold start.
    for (const build of builds) expect(build.copyFiles).toEqual([{ from: expect.stringMatching(/\.sst\/vigil\/vigil\.config\.json$/), to: "vigil.config.json", isDir: false }]);
    const env = unsecret(lambdaOf(resources, "AuditWriter").inputs.environment) as { variables: Record<string, string> };
    expect(env.variables.VIGIL_CONFIG_FILE).toBe("vigil.config.json");
  });
});
