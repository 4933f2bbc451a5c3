import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../core/config/parse";
import { subscribedFamilies } from "../../core/remediation/subscription";
import { matchesPattern } from "../../core/eventbridge/pattern";
import { serviceFromName } from "../../core/grouping/service-names";
import { INDEX_NAMES, KEY_FIELDS, TTL_ATTRIBUTE } from "../../core/store/table";
import { FUNCTION_PATTERNS, alertGrouperRoutes, forwardedFromDefaultBus } from "../../events/patterns";
import { PAGERDUTY_EVENTS_ENDPOINT, PAGERDUTY_ROUTING_KEY_FIELD, PAGERDUTY_SUBSCRIPTIONS, SLACK_SUBSCRIPTIONS } from "../../events/subscribers";
import { TABLE_ACTIONS } from "../../infra/access";
import { lambdaNodejs } from "../../infra/bundle";
import { remediationStatements } from "../../infra/playbook-permissions";
import { ALERT_STREAM_MAPPING, ALERT_STREAM_SHARDS, STREAM_MAPPING } from "../../infra/stream-settings";
import {
  type BuildRequest,
  type RegisteredResource,
  cronOf,
  hasSstPlatform,
  lambdaOf,
  mockArn,
  mockFunctionUrl,
  only,
  roleStatements,
  roleTrust,
  runInfra,
  subscriptionOf,
  unsecret,
} from "./sst-harness";

const RULE = "aws:cloudwatch/eventRule:EventRule";
const TARGET = "aws:cloudwatch/eventTarget:EventTarget";
const LAMBDA = "aws:lambda/function:Function";
const QUEUE = "aws:sqs/queue:Queue";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const ROLE = "aws:iam/role:Role";

const CONFIG = "test/infra/fixtures/vigil.config.yaml";
const SLACK_WEBHOOK = "https://hooks.slack.com/services/T000/B000/xyz";
const ROUTING_KEY = "pd-routing-key";
const APPROVAL_KEY = "approval-key";

const arn = {
  table: mockArn("aws:dynamodb/table:Table", "VigilTableTable"),
  bus: mockArn("aws:cloudwatch/eventBus:EventBus", "OpsBusBus"),
  metrics: mockArn("aws:kinesis/stream:Stream", "MetricsStreamStream"),
  alerts: mockArn("aws:kinesis/stream:Stream", "AlertStreamStream"),
  deadLetters: mockArn(QUEUE, "EventDeadLetters"),
  failures: mockArn(QUEUE, "StreamFailures"),
  auditQueue: mockArn(QUEUE, "AuditQueue"),
  auditDeadLetters: mockArn(QUEUE, "AuditDeadLetters"),
  fn: (name: string) => mockArn(LAMBDA, `${name}Function`),
};
const SCOPE = { partition: "aws", region: "us-east-1", account: "123456789012" };
const FUNCTION_NAMES = ["AuditWriter", "AnomalyScorer", "AlertGrouper", "IncidentTimer", "Approve", "Remediator", "ReplicationMonitor", "ReplicationCanary", "MetricsForwarder"];
const HANDLERS = ["audit-writer", "anomaly-scorer", "alert-grouper", "incident-timer", "approve", "remediator", "replication-monitor", "replication-canary", "metrics-forwarder"];

describe.skipIf(!hasSstPlatform)("infra wiring (needs .sst/platform: run `npm run sst:types`)", () => {
  let resources: RegisteredResource[] = [];
  let builds: BuildRequest[] = [];
  const ofType = (type: string) => resources.filter((r) => r.type === type);

  beforeAll(async () => {
    ({ resources, builds } = await runInfra({
      secrets: { VigilApprovalKey: APPROVAL_KEY, PagerDutyRoutingKey: ROUTING_KEY, SlackWebhookUrl: SLACK_WEBHOOK },
      env: { VIGIL_CONFIG_SOURCE: CONFIG },
    }));
  }, 180_000);

  describe("functions", () => {
    it("builds every function from its handler path on Node.js 20, with infra/bundle.ts's options and the validated config copied in", () => {
      expect(builds.map((b) => b.handler).sort()).toEqual(HANDLERS.map((h) => `functions/${h}.handler`).sort());
      for (const build of builds) {
        expect(build.runtime).toBe("nodejs20.x");
        expect(build.properties).toMatchObject(lambdaNodejs);
        expect(build.copyFiles).toEqual([{ from: expect.stringMatching(/\.sst\/vigil\/vigil\.config\.json$/), to: "vigil.config.json", isDir: false }]);
      }
      for (const name of FUNCTION_NAMES) {
        const fn = lambdaOf(resources, name).inputs;
        expect(fn.runtime).toBe("nodejs20.x");
        expect((unsecret(fn.environment) as { variables: Record<string, string> }).variables.VIGIL_CONFIG_FILE).toBe("vigil.config.json");
      }
    });

    it("links the table's and the bus's names (Resource.VigilTable / Resource.OpsBus) into every function, and the metrics stream's into the forwarder", () => {
      for (const build of builds) {
        const extra = build.handler === "functions/metrics-forwarder.handler" ? ["MetricsStream"] : [];
        expect(Object.keys(build.links).sort()).toEqual([...extra, "OpsBus", "VigilTable"]);
        expect(build.links.VigilTable).toMatchObject({ type: "sst:aws:Dynamo" });
      }
    });

    it("lets only Lambda assume each function's role", () => {
      for (const name of FUNCTION_NAMES) {
        expect(roleTrust(resources, name)).toEqual({
          Version: "2012-10-17",
          Statement: [{ Sid: "AllowAssumeRole", Effect: "Allow", Action: "sts:AssumeRole", Principal: { Service: "lambda.amazonaws.com" } }],
        });
      }
    });

    it("signs and links approvals: the key secret in the remediator and approve, the approve URL (no AWS auth) as the link base", () => {
      const env = (name: string) => (unsecret(lambdaOf(resources, name).inputs.environment) as { variables: Record<string, string> }).variables;
      expect(env("Remediator")).toMatchObject({ VIGIL_APPROVAL_KEY: APPROVAL_KEY, VIGIL_APPROVAL_URL: mockFunctionUrl("ApproveUrl") });
      expect(env("Approve")).toMatchObject({ VIGIL_APPROVAL_KEY: APPROVAL_KEY });
      expect(only(resources, "aws:lambda/functionUrl:FunctionUrl", "ApproveUrl").inputs).toMatchObject({ authorizationType: "NONE" });
      expect(ofType("aws:lambda/functionUrl:FunctionUrl")).toHaveLength(1);
    });
  });

  describe("subscriptions", () => {
    const busSubscribed = { remediator: "Remediator", replicationMonitor: "ReplicationMonitor" } as const;

    it("wires every function's patterns in events/patterns, and only those", () => {
      expect(Object.keys(FUNCTION_PATTERNS).sort()).toEqual([...Object.keys(busSubscribed), "alertGrouper", "auditWriter"].sort());
    });

    it("puts every event Vigil emits on the audit FIFO queue in one message group, writable only by those rules, read in batches by the audit writer", () => {
      FUNCTION_PATTERNS.auditWriter.forEach((pattern, index) => {
        const rule = only(resources, RULE, `AuditWriterRule${index + 1}`);
        expect(JSON.parse(String(rule.inputs.eventPattern))).toEqual(pattern);
        expect(only(resources, TARGET, `AuditWriterRule${index + 1}Target`).inputs).toMatchObject({ arn: arn.auditQueue, sqsTarget: { messageGroupId: "audit" } });
      });
      const queue = only(resources, QUEUE, "AuditQueue").inputs;
      expect(queue).toMatchObject({ fifoQueue: true, contentBasedDeduplication: true, visibilityTimeoutSeconds: 360 });
      expect(JSON.parse(String(queue.redrivePolicy))).toEqual({ deadLetterTargetArn: arn.auditDeadLetters, maxReceiveCount: 5 });
      expect(only(resources, QUEUE, "AuditDeadLetters").inputs).toMatchObject({ fifoQueue: true });
      const policy = JSON.parse(String(unsecret(only(resources, "aws:sqs/queuePolicy:QueuePolicy", "AuditQueuePolicy").inputs.policy)));
      expect(policy.statements).toEqual([
        {
          principals: [{ type: "Service", identifiers: ["events.amazonaws.com"] }],
          actions: ["sqs:SendMessage"],
          resources: [arn.auditQueue],
          conditions: [{ test: "ArnEquals", variable: "aws:SourceArn", values: FUNCTION_PATTERNS.auditWriter.map((_, i) => mockArn(RULE, `AuditWriterRule${i + 1}`)) }],
        },
      ]);
      expect(only(resources, "aws:lambda/eventSourceMapping:EventSourceMapping", "AuditWriterQueue").inputs).toEqual({
        eventSourceArn: arn.auditQueue,
        functionName: lambdaOf(resources, "AuditWriter").inputs.name,
        batchSize: 10,
      });
      expect(lambdaOf(resources, "AuditWriter").inputs.timeout).toBe(60);
    });

    it.each(Object.entries(busSubscribed))("subscribes %s on the ops bus with exactly its patterns, one rule per pattern", (key, name) => {
      const patterns = FUNCTION_PATTERNS[key as keyof typeof busSubscribed];
      // The remediator takes only the families the config's policies can match; the fixture's leave incidents out.
      const subscribed = key === "remediator" ? subscribedFamilies(patterns, parseConfig(readFileSync(CONFIG, "utf8"), CONFIG).remediation.policies) : patterns.map(() => true);
      if (key === "remediator") expect(subscribed).toEqual([false, true, true, true]);
      patterns.forEach((pattern, index) => {
        if (!subscribed[index]) {
          expect(ofType(RULE).some((r) => r.name === `OpsBusSubscriber${name}Rule${index + 1}Rule`)).toBe(false);
          return;
        }
        const { rule, target } = subscriptionOf(resources, "OpsBus", `${name}Rule${index + 1}`);
        expect(JSON.parse(String(rule.inputs.eventPattern))).toEqual(pattern);
        expect(rule.inputs.eventBusName).toBe(only(resources, "aws:cloudwatch/eventBus:EventBus", "OpsBusBus").inputs.name);
        expect(target.inputs.arn).toBe(arn.fn(name));
      });
      expect(ofType(RULE).filter((r) => r.name.startsWith(`OpsBusSubscriber${name}Rule`))).toHaveLength(subscribed.filter(Boolean).length);
    });

    it("routes the alert-grouper's patterns to the alert stream, partitioned by each route's account path, written by a role that can only PutRecord there", () => {
      alertGrouperRoutes.forEach(({ pattern, partitionKeyPath }, index) => {
        const rule = only(resources, RULE, `AlertGrouperRule${index + 1}`);
        expect(JSON.parse(String(rule.inputs.eventPattern))).toEqual(pattern);
        expect(only(resources, TARGET, `AlertGrouperRule${index + 1}Target`).inputs).toMatchObject({
          arn: arn.alerts,
          kinesisTarget: { partitionKeyPath },
          roleArn: mockArn(ROLE, "AlertStreamWriterRole"),
        });
      });
      expect(ofType(RULE).filter((r) => r.name.startsWith("AlertGrouperRule"))).toHaveLength(alertGrouperRoutes.length);
      const policy = JSON.parse(String(unsecret((only(resources, ROLE, "AlertStreamWriterRole").inputs.inlinePolicies as { policy: string }[])[0]!.policy)));
      expect(policy.statements).toEqual([{ actions: ["kinesis:PutRecord"], resources: [arn.alerts] }]);
    });

    it("provisions the alert stream with one shard, read one batch at a time, so a scope spanning accounts keeps one order", () => {
      expect(ALERT_STREAM_SHARDS).toBe(1);
      expect(only(resources, "aws:kinesis/stream:Stream", "AlertStreamStream").inputs).toMatchObject({ streamModeDetails: { streamMode: "PROVISIONED" }, shardCount: 1 });
      expect(only(resources, "aws:kinesis/stream:Stream", "MetricsStreamStream").inputs).toMatchObject({ streamModeDetails: { streamMode: "ON_DEMAND" } });
      expect(only(resources, "aws:lambda/eventSourceMapping:EventSourceMapping", "AlertGrouperAlerts").inputs).toMatchObject({ parallelizationFactor: 1 });
    });

    it("maps each Kinesis stream with the mapping settings and the on-failure queue", () => {
      const mappings = ofType("aws:lambda/eventSourceMapping:EventSourceMapping").filter((m) => m.name !== "AuditWriterQueue");
      const expected = [
        { name: "AnomalyScorerMetrics", stream: arn.metrics, fn: "AnomalyScorer", settings: STREAM_MAPPING },
        { name: "ReplicationMonitorMetrics", stream: arn.metrics, fn: "ReplicationMonitor", settings: STREAM_MAPPING },
        { name: "AlertGrouperAlerts", stream: arn.alerts, fn: "AlertGrouper", settings: ALERT_STREAM_MAPPING },
      ];
      expect(mappings.map((m) => m.name).sort()).toEqual(expected.map((e) => e.name).sort());
      for (const { name, stream, fn, settings } of expected) {
        expect(only(resources, "aws:lambda/eventSourceMapping:EventSourceMapping", name).inputs).toEqual({
          ...settings,
          functionResponseTypes: ["ReportBatchItemFailures"],
          eventSourceArn: stream,
          functionName: lambdaOf(resources, fn).inputs.name,
          destinationConfig: { onFailure: { destinationArn: arn.failures } },
        });
      }
    });

    it("runs the timers and probes every minute and hands them the Scheduled Event itself, not SST's constant input", () => {
      for (const [cron, fn] of [["IncidentTimerSchedule", "IncidentTimer"], ["ReplicationMonitorSchedule", "ReplicationMonitor"], ["ReplicationCanarySchedule", "ReplicationCanary"], ["RemediatorSchedule", "Remediator"]] as const) {
        const { rule, target } = cronOf(resources, cron);
        expect(rule.inputs.scheduleExpression).toBe("rate(1 minute)");
        expect(target.inputs.arn).toBe(arn.fn(fn));
        expect(target.inputs).not.toHaveProperty("input");
      }
    });
  });

  describe("failures are kept", () => {
    it("gives every EventBridge target in the app the dead-letter queue and a retry policy", () => {
      const targets = ofType(TARGET);
      expect(targets.length).toBeGreaterThanOrEqual(ofType(RULE).length);
      for (const target of targets) {
        expect({ name: target.name, dlq: target.inputs.deadLetterConfig, retry: target.inputs.retryPolicy }).toEqual({
          name: target.name,
          dlq: { arn: arn.deadLetters },
          retry: { maximumRetryAttempts: 24, maximumEventAgeInSeconds: 3600 },
        });
      }
    });

    it("lets exactly the app's rules write to the dead-letter queue", () => {
      const policy = JSON.parse(String(unsecret(only(resources, "aws:sqs/queuePolicy:QueuePolicy", "EventDeadLettersPolicy").inputs.policy)));
      const [statement] = policy.statements;
      expect(statement).toMatchObject({ actions: ["sqs:SendMessage"], resources: [arn.deadLetters], principals: [{ type: "Service", identifiers: ["events.amazonaws.com"] }] });
      expect([...statement.conditions[0].values].sort()).toEqual(ofType(RULE).map((r) => mockArn(RULE, r.name)).sort());
    });

    it("sends failed asynchronous invocations of bus- and schedule-invoked functions to the dead-letter queue", () => {
      const configs = ofType("aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig");
      expect(configs.map((c) => c.inputs.functionName).sort()).toEqual(
        ["Remediator", "ReplicationMonitor", "IncidentTimer", "ReplicationCanary"].map((n) => lambdaOf(resources, n).inputs.name).sort(),
      );
      for (const c of configs) expect(c.inputs).toMatchObject({ maximumRetryAttempts: 2, destinationConfig: { onFailure: { destination: arn.deadLetters } } });
    });

    it("archives the ops bus for replay", () => {
      expect(only(resources, "aws:cloudwatch/eventArchive:EventArchive", "OpsBusArchive").inputs).toMatchObject({ eventSourceArn: arn.bus, retentionDays: 7 });
    });
  });

  describe("least privilege", () => {
    const onTable = (actions: readonly string[]) => ({
      effect: "Allow",
      actions: [...actions],
      resources: actions.includes("dynamodb:Query") ? [arn.table, `${arn.table}/index/*`] : [arn.table],
    });
    const allow = (actions: string[], resources: string[]) => ({ effect: "Allow", actions, resources });
    const putEvents = allow(["events:PutEvents"], [arn.bus]);
    const read = (stream: string) =>
      allow(["kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:ListShards"], [stream]);
    const send = (...queues: string[]) => allow(["sqs:SendMessage"], queues);
    const fixturePolicies = () => parseConfig(readFileSync(CONFIG, "utf8"), CONFIG).remediation.policies;
    const playbooks = () => remediationStatements(fixturePolicies(), SCOPE).map((s) => ({ effect: "Allow", ...s }));

    it.each([
      ["AuditWriter", () => [onTable(TABLE_ACTIONS.auditWriter), allow(["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"], [arn.auditQueue])]],
      ["AnomalyScorer", () => [onTable(TABLE_ACTIONS.anomalyScorer), putEvents, read(arn.metrics), send(arn.failures)]],
      ["AlertGrouper", () => [onTable(TABLE_ACTIONS.alertGrouper), putEvents, read(arn.alerts), send(arn.failures)]],
      ["IncidentTimer", () => [onTable(TABLE_ACTIONS.incidentTimer), putEvents, send(arn.deadLetters)]],
      ["ReplicationMonitor", () => [onTable(TABLE_ACTIONS.replicationMonitor), putEvents, read(arn.metrics), send(arn.deadLetters, arn.failures)]],
      ["Approve", () => [onTable(TABLE_ACTIONS.approve), putEvents, ...playbooks()]],
      ["Remediator", () => [onTable(TABLE_ACTIONS.remediator), putEvents, send(arn.deadLetters), ...playbooks()]],
      [
        "ReplicationCanary",
        () => [
          allow(["s3:PutObject"], ["arn:aws:s3:::assets/vigil-canary/*"]),
          { ...allow(["s3:ListBucket"], ["arn:aws:s3:::assets", "arn:aws:s3:::assets-dr"]), conditions: [{ test: "StringLike", variable: "s3:prefix", values: ["vigil-canary/*"] }] },
          allow(["dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:PutItem"], ["arn:aws:dynamodb:us-east-1:123456789012:table/sessions"]),
          allow(["dynamodb:GetItem"], ["arn:aws:dynamodb:us-west-2:123456789012:table/sessions"]),
          putEvents,
          send(arn.deadLetters),
        ],
      ],
    ] as const)("gives %s exactly its statements", (name, expected) => {
      expect(roleStatements(resources, name)).toEqual(expected());
    });

    it("grants the remediator the configured playbooks' writes (approve and auto policies), under protected-tag conditions, and nothing for dry-run ones", () => {
      const statements = roleStatements(resources, "Remediator");
      const actions = statements.flatMap((s) => s.actions);
      expect(actions).toEqual(expect.arrayContaining(["s3:PutBucketPublicAccessBlock", "ec2:ModifyInstanceAttribute", "ssm:StartAutomationExecution"]));
      expect(actions).not.toContain("ec2:DeleteVolume");
      const modify = statements.find((s) => s.actions.includes("ec2:ModifyInstanceAttribute"));
      expect(modify?.conditions).toEqual([
        { test: "StringNotEquals", variable: "aws:ResourceTag/env", values: ["prod"] },
        { test: "StringNotEquals", variable: "aws:ResourceTag/vigil:protect", values: ["true"] },
      ]);
    });

    it("has no wildcard action in any policy of the app", () => {
      const documents = [
        ...ofType(ROLE).flatMap((r) => (unsecret(r.inputs.inlinePolicies) as { policy: unknown }[] | undefined ?? []).map((p) => String(unsecret(p.policy)))),
        String(unsecret(only(resources, "aws:sqs/queuePolicy:QueuePolicy", "EventDeadLettersPolicy").inputs.policy)),
      ];
      expect(documents.length).toBeGreaterThan(FUNCTION_NAMES.length);
      for (const doc of documents) {
        for (const statement of JSON.parse(doc).statements as { actions: string[] }[]) {
          for (const action of statement.actions) expect(action).toMatch(/^[a-z0-9-]+:[A-Za-z]+$/);
        }
      }
    });
  });

  describe("outbound subscribers (secrets set)", () => {
    const targetOf = (service: string, name: string) => only(resources, TARGET, `${service}${name.replace(/(^|-)([a-z0-9])/g, (_m, _d, c: string) => c.toUpperCase())}Target`);

    it.each([
      ["PagerDuty", PAGERDUTY_SUBSCRIPTIONS],
      ["Slack", SLACK_SUBSCRIPTIONS],
    ] as const)("creates %s's rules with the contract's patterns and input transformers, targeting its API destination", (service, subscriptions) => {
      for (const subscription of subscriptions) {
        const target = targetOf(service, subscription.name);
        const rule = resources.find((r) => r.type === RULE && target.inputs.rule === (r.inputs.name ?? r.name));
        expect(JSON.parse(String(rule?.inputs.eventPattern))).toEqual(subscription.pattern);
        expect(target.inputs.arn).toBe(mockArn("aws:cloudwatch/eventApiDestination:EventApiDestination", `${service}Destination`));
        expect(target.inputs.inputTransformer).toEqual({
          inputPaths: subscription.inputTransformer.inputPathsMap,
          inputTemplate: subscription.inputTransformer.inputTemplate,
        });
      }
      expect(ofType(TARGET).filter((t) => t.inputs.arn === mockArn("aws:cloudwatch/eventApiDestination:EventApiDestination", `${service}Destination`))).toHaveLength(subscriptions.length);
    });

    it("posts to PagerDuty's Events API with the routing key as a secret body parameter of the connection", () => {
      expect(only(resources, "aws:cloudwatch/eventApiDestination:EventApiDestination", "PagerDutyDestination").inputs).toMatchObject({
        invocationEndpoint: PAGERDUTY_EVENTS_ENDPOINT,
        httpMethod: "POST",
      });
      const auth = unsecret(only(resources, "aws:cloudwatch/eventConnection:EventConnection", "PagerDutyConnection").inputs.authParameters);
      expect(auth).toMatchObject({ invocationHttpParameters: { bodies: [{ key: PAGERDUTY_ROUTING_KEY_FIELD, value: ROUTING_KEY, isValueSecret: true }] } });
    });

    it("posts to the Slack webhook URL from the secret", () => {
      const destination = only(resources, "aws:cloudwatch/eventApiDestination:EventApiDestination", "SlackDestination").inputs;
      expect(unsecret(destination.invocationEndpoint)).toBe(SLACK_WEBHOOK);
    });

    it("lets EventBridge invoke each API destination and nothing else", () => {
      for (const service of ["PagerDuty", "Slack"]) {
        const role = only(resources, ROLE, `${service}InvokeRole`);
        const policy = JSON.parse(String(unsecret((role.inputs.inlinePolicies as { policy: string }[])[0]!.policy)));
        expect(policy.statements).toEqual([
          { actions: ["events:InvokeApiDestination"], resources: [mockArn("aws:cloudwatch/eventApiDestination:EventApiDestination", `${service}Destination`)] },
        ]);
      }
    });
  });

  describe("self-monitoring", () => {
    const alarm = (name: string) => ofType(ALARM).find((a) => a.inputs.name === name)?.inputs;

    it("alarms on every function's errors and throttles", () => {
      for (const [index, handler] of HANDLERS.entries()) {
        const dimensions = { FunctionName: lambdaOf(resources, FUNCTION_NAMES[index]!).inputs.name };
        expect(alarm(`vigil-test-${handler}-errors`)).toMatchObject({ namespace: "AWS/Lambda", metricName: "Errors", dimensions, threshold: 0 });
        expect(alarm(`vigil-test-${handler}-throttles`)).toMatchObject({ namespace: "AWS/Lambda", metricName: "Throttles", dimensions, threshold: 0 });
      }
    });

    it("alarms on the iterator age of every stream consumer, the depth of every dead-letter queue and grouping history shed", () => {
      for (const [handler, fn] of [["anomaly-scorer", "AnomalyScorer"], ["replication-monitor", "ReplicationMonitor"], ["alert-grouper", "AlertGrouper"]]) {
        expect(alarm(`vigil-test-${handler}-iterator-age`)).toMatchObject({
          metricName: "IteratorAge",
          statistic: "Maximum",
          dimensions: { FunctionName: lambdaOf(resources, fn!).inputs.name },
        });
      }
      for (const [name, queue] of [["event-dead-letters", "EventDeadLetters"], ["stream-failures", "StreamFailures"], ["audit-dead-letters", "AuditDeadLetters"]]) {
        expect(alarm(`vigil-test-${name}-depth`)).toMatchObject({
          namespace: "AWS/SQS",
          metricName: "ApproximateNumberOfMessagesVisible",
          // Mocked queues are named after their logical name.
          dimensions: { QueueName: queue },
          threshold: 0,
        });
      }
      expect(alarm("vigil-test-alert-grouper-history-shed")).toMatchObject({ namespace: "Vigil", metricName: "ScopeHistoryShed", dimensions: { service: "vigil" }, threshold: 0 });
      // Errors and throttles per function, three iterator ages, three queue depths, the forwarder's failed records, grouping history shed.
      expect(ofType(ALARM)).toHaveLength(HANDLERS.length * 2 + 3 + 3 + 2);
    });

    it("brings the alarms' state changes back to the grouper, named so a `vigil` topology service claims them", () => {
      for (const { inputs } of ofType(ALARM)) {
        const event = {
          source: "aws.cloudwatch",
          "detail-type": "CloudWatch Alarm State Change",
          detail: { alarmName: inputs.name, state: { value: "ALARM" } },
        };
        expect(matchesPattern(forwardedFromDefaultBus.cloudwatchAlarms, event)).toBe(true);
        expect(FUNCTION_PATTERNS.alertGrouper.some((p) => matchesPattern(p, event))).toBe(true);
        expect(serviceFromName(String(inputs.name), ["vigil", "storefront"])).toBe("vigil");
      }
    });
  });

  describe("default bus and table", () => {
    it("forwards each forwardedFromDefaultBus pattern verbatim from the default bus to the ops bus", () => {
      const rules = ofType(RULE).filter((r) => r.name.startsWith("Forward"));
      expect(rules.map((r) => JSON.parse(String(r.inputs.eventPattern)))).toEqual(Object.values(forwardedFromDefaultBus));
      expect(new Set(rules.map((r) => r.inputs.eventBusName))).toEqual(new Set(["default"]));
      const targets = ofType(TARGET).filter((r) => r.name.startsWith("Forward"));
      expect(targets).toHaveLength(rules.length);
      for (const target of targets) expect(target.inputs).toMatchObject({ arn: arn.bus, roleArn: mockArn(ROLE, "OpsBusForwardingRole") });
    });

    it("declares the table with the store's keys, indexes and TTL, without PITR or deletion protection outside production", () => {
      const table = only(resources, "aws:dynamodb/table:Table", "VigilTableTable").inputs;
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
  });
});
