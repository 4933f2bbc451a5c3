import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../core/config/parse";
import { metricStreamIncludeFilters } from "../../core/metrics/stream-filters";
import { type BuildRequest, type RegisteredResource, hasSstPlatform, lambdaOf, mockArn, only, roleStatements, runInfra, unsecret } from "./sst-harness";

const ROLE = "aws:iam/role:Role";
const FIREHOSE = "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream";
const BUCKET = "aws:s3/bucketV2:BucketV2";
const PERMISSION = "aws:lambda/permission:Permission";
const CONFIG = "test/infra/fixtures/vigil.config.yaml";

const arn = {
  metrics: mockArn("aws:kinesis/stream:Stream", "MetricsStreamStream"),
  forwarder: mockArn("aws:lambda/function:Function", "MetricsForwarderFunction"),
  monitor: mockArn("aws:lambda/function:Function", "ReplicationMonitorFunction"),
  delivery: mockArn(FIREHOSE, "MetricDelivery"),
  archive: mockArn(BUCKET, "MetricArchive"),
};

/** The statements of an inline-policy role the app declares itself. */
const statementsOf = (resources: RegisteredResource[], role: string) =>
  (unsecret(only(resources, ROLE, role).inputs.inlinePolicies) as { policy: unknown }[]).flatMap(
    (p) => (JSON.parse(String(unsecret(p.policy))) as { statements: { actions: string[]; resources: string[] }[] }).statements,
  );
const trustOf = (resources: RegisteredResource[], role: string) => {
  const policy = unsecret(only(resources, ROLE, role).inputs.assumeRolePolicy);
  return typeof policy === "string" ? JSON.parse(policy) : policy;
};
const servicePrincipal = (service: string) => ({
  Version: "2012-10-17",
  Statement: [{ Sid: "AllowAssumeRole", Effect: "Allow", Action: "sts:AssumeRole", Principal: { Service: service } }],
});

describe.skipIf(!hasSstPlatform)("metric stream and S3 replication notifications (needs .sst/platform: run `npm run sst:types`)", () => {
  let resources: RegisteredResource[] = [];
  let builds: BuildRequest[] = [];

  beforeAll(async () => {
    ({ resources, builds } = await runInfra({ secrets: { VigilApprovalKey: "k" }, env: { VIGIL_CONFIG_SOURCE: CONFIG } }));
  }, 180_000);

  describe("Metric Stream → Firehose → forwarder → metrics stream", () => {
    it("streams the configured metrics as JSON to the delivery stream, with replication metrics always included", () => {
      const stream = only(resources, "aws:cloudwatch/metricStream:MetricStream", "MetricStream").inputs;
      const include = parseConfig(readFileSync(CONFIG, "utf8"), CONFIG).metricStream.include;
      expect(stream).toMatchObject({ outputFormat: "json", firehoseArn: arn.delivery, roleArn: mockArn(ROLE, "MetricStreamRole") });
      expect(stream.includeFilters).toEqual(metricStreamIncludeFilters(include));
      const filters = stream.includeFilters as { namespace: string; metricNames?: string[] }[];
      const streams = (namespace: string, metric: string) =>
        filters.some((f) => f.namespace === namespace && (f.metricNames === undefined || f.metricNames.includes(metric)));
      expect(streams("AWS/S3", "ReplicationLatency") && streams("AWS/S3", "OperationsPendingReplication") && streams("AWS/DynamoDB", "ReplicationLatency")).toBe(true);
    });

    it("lets the Metric Stream only put records on its one delivery stream", () => {
      expect(trustOf(resources, "MetricStreamRole")).toEqual(servicePrincipal("streams.metrics.cloudwatch.amazonaws.com"));
      expect(statementsOf(resources, "MetricStreamRole")).toEqual([{ actions: ["firehose:PutRecord", "firehose:PutRecordBatch"], resources: [arn.delivery] }]);
    });

    it("runs the forwarder as Firehose's Lambda processor and delivers to the archive bucket", () => {
      const delivery = only(resources, FIREHOSE, "MetricDelivery").inputs as {
        destination: string;
        extendedS3Configuration: { roleArn: string; bucketArn: string; errorOutputPrefix: string; processingConfiguration: { enabled: boolean; processors: { type: string; parameters: { parameterName: string; parameterValue: string }[] }[] } };
      };
      expect(delivery.destination).toBe("extended_s3");
      const s3 = delivery.extendedS3Configuration;
      expect(s3).toMatchObject({ roleArn: mockArn(ROLE, "MetricDeliveryRole"), bucketArn: arn.archive, errorOutputPrefix: expect.stringMatching(/^failed\//) });
      expect(s3.processingConfiguration.enabled).toBe(true);
      expect(s3.processingConfiguration.processors).toHaveLength(1);
      const [processor] = s3.processingConfiguration.processors;
      expect(processor?.type).toBe("Lambda");
      expect(processor?.parameters.find((p) => p.parameterName === "LambdaArn")?.parameterValue).toBe(`${arn.forwarder}:$LATEST`);
      expect(builds.find((b) => b.functionID === "MetricsForwarder")?.handler).toBe("functions/metrics-forwarder.handler");
    });

    it("lets Firehose invoke only the forwarder and write only the archive", () => {
      expect(trustOf(resources, "MetricDeliveryRole")).toEqual(servicePrincipal("firehose.amazonaws.com"));
      expect(statementsOf(resources, "MetricDeliveryRole")).toEqual([
        { actions: ["lambda:InvokeFunction", "lambda:GetFunctionConfiguration"], resources: [arn.forwarder, `${arn.forwarder}:*`] },
        {
          actions: ["s3:AbortMultipartUpload", "s3:GetBucketLocation", "s3:GetObject", "s3:ListBucket", "s3:ListBucketMultipartUploads", "s3:PutObject"],
          resources: [arn.archive, `${arn.archive}/*`],
        },
      ]);
    });

    it("gives the forwarder exactly PutRecords on the metrics stream, and its name by link", () => {
      expect(roleStatements(resources, "MetricsForwarder")).toEqual([{ effect: "Allow", actions: ["kinesis:PutRecords"], resources: [arn.metrics] }]);
      expect(builds.find((b) => b.functionID === "MetricsForwarder")?.links.MetricsStream).toMatchObject({ type: "sst:aws:KinesisStream" });
    });

    it("has no wildcard action in the chain's policies", () => {
      const actions = [...statementsOf(resources, "MetricStreamRole"), ...statementsOf(resources, "MetricDeliveryRole"), ...roleStatements(resources, "MetricsForwarder")].flatMap((s) => s.actions);
      for (const action of actions) expect(action).toMatch(/^[a-z0-9-]+:[A-Za-z]+$/);
    });

    it("keeps the archive private and expires it after 7 days", () => {
      expect(only(resources, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "MetricArchivePublicAccessBlock").inputs).toMatchObject({
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      });
      const lifecycle = only(resources, "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2", "MetricArchiveLifecycle").inputs;
      expect(lifecycle.rules).toEqual([expect.objectContaining({ status: "Enabled", expiration: { days: 7 } })]);
    });

    it("alarms when the forwarder fails records", () => {
      const alarm = resources.find((r) => r.type === "aws:cloudwatch/metricAlarm:MetricAlarm" && r.inputs.name === "vigil-test-metrics-forwarder-failed-records");
      expect(alarm?.inputs).toMatchObject({ namespace: "Vigil", metricName: "MetricRecordsFailed", threshold: 0, comparisonOperator: "GreaterThanThreshold" });
    });
  });

  describe("S3 replication notifications", () => {
    it("lets S3 invoke the replication monitor from each protected bucket in this account, and from nothing else", () => {
      const permissions = resources.filter((r) => r.type === PERMISSION && r.inputs.principal === "s3.amazonaws.com");
      expect(permissions.map((p) => p.inputs)).toEqual([
        {
          action: "lambda:InvokeFunction",
          function: lambdaOf(resources, "ReplicationMonitor").inputs.name,
          principal: "s3.amazonaws.com",
          sourceArn: "arn:aws:s3:::assets",
          sourceAccount: "123456789012",
        },
      ]);
      expect(resources.filter((r) => r.type === "aws:s3/bucketNotification:BucketNotification")).toEqual([]);
    });

    it("outputs, per protected bucket, the command that sends its replication events to the monitor", async () => {
      // A computed path keeps the main tsconfig from type-checking infra/ (it needs SST's globals; typecheck covers it).
      const notifications = path.resolve(import.meta.dirname, "../../infra/replication-notifications.ts");
      const { s3NotificationCommands } = (await import(notifications)) as { s3NotificationCommands: { apply(f: (v: Record<string, string>) => void): void } };
      const commands = await new Promise<Record<string, string>>((resolve) => s3NotificationCommands.apply(resolve));
      expect(Object.keys(commands)).toEqual(["assets"]);
      const match = /^aws s3api put-bucket-notification-configuration --bucket assets --notification-configuration '(.+)'$/.exec(commands.assets!);
      expect(JSON.parse(match![1]!)).toEqual({
        LambdaFunctionConfigurations: [{ Id: "vigil-replication-monitor", LambdaFunctionArn: arn.monitor, Events: ["s3:Replication:*"] }],
      });
    });
  });
});
