/**
 * `npm run bench:grouping-outage [-- --services N]`: how fast the alert grouper absorbs a region-wide outage, the case
 * where a scope's state outgrows one DynamoDB item and is stored over several (core/store/scope-parts.ts). N services
 * (default 6,000) each fire two load balancer alarms (5xx, then latency a minute later) within five minutes, every
 * service its own incident; a topology names them all. The alerts go through the grouper's own code
 * (`groupAlerts`, functions/lib/grouping-run.ts) in batches of the alert stream mapping's size (100, as in AWS) against
 * dynalite on loopback, one batch after another as one shard delivers them, then once more for N/10 services (a state
 * that fits one item) as the baseline, in the same process.
 *
 * Prints, for each: alerts, the milliseconds the handler's normaliser took for them (against a topology of N services),
 * seconds in the grouper, alerts/s, per-batch p50/p90/max milliseconds, batches stored over several items,
 * the most parts written, and the ratio of the outage's time per alert to the baseline's (the engine visits every
 * live group for each alert, and each batch stores the whole state, so the cost per alert grows with the outage).
 */
import { createRequire } from "node:module";
import type { Server } from "node:http";
import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { buildTopology, normaliseEvent, parseGroupingConfig, type Alert } from "../core/grouping";
import { createStore } from "../core/store/service";
import { tableDefinition } from "../core/store/table";
import { groupAlerts } from "../functions/lib/grouping-run";
import { ALERT_STREAM_MAPPING } from "../infra/stream-settings";
import { listenOnLoopback } from "../local/listen";

const args = process.argv.slice(2);
const at = args.indexOf("--services");
const services = at < 0 ? 6_000 : Number(args[at + 1]);
if (!Number.isInteger(services) || services < 10) {
  console.error(`--services must be a whole number of at least 10, got ${args[at + 1] ?? "nothing"}`);
  process.exit(2);
}

const ACCOUNT = "111122223333";
const START = Date.parse("2026-01-01T00:00:00Z");
const MIN = 60_000;
const loadBalancer = (i: number) => `app/svc-${i}/${(i * 7919).toString(16)}`;

/** The outage's alerts, in event-time order, and the engine context whose topology names every service. */
function outage(n: number, run: string): { alerts: Alert[]; ctx: Parameters<typeof groupAlerts>[2]; normaliseMs: number } {
  const topology = buildTopology({ services: Array.from({ length: n }, (_, i) => ({ name: `svc-${i}`, resources: [`arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:loadbalancer/${loadBalancer(i)}`] })) });
  const events = Array.from({ length: n }, (_, i) =>
    (["HTTPCode_Target_5XX_Count", "TargetResponseTime"] as const).map((metric, k) => {
      const time = new Date(START + Math.floor((i / n) * 5 * MIN) + k * MIN).toISOString();
      const name = `svc-${i}-${metric}`;
      return {
        version: "0",
        id: `${run}-${i}-${k}`,
        "detail-type": "CloudWatch Alarm State Change",
        source: "aws.cloudwatch",
        account: ACCOUNT,
        time,
        region: "us-east-1",
        resources: [`arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:${run}-${name}`],
        detail: {
          alarmName: `${run}-${name}`,
          state: { value: "ALARM", reason: "Threshold Crossed", timestamp: time },
          previousState: { value: "OK", reason: "-", timestamp: time },
          configuration: { metrics: [{ id: "m1", metricStat: { metric: { namespace: "AWS/ApplicationELB", name: metric, dimensions: { LoadBalancer: loadBalancer(i) } }, period: 60, stat: "Sum" }, returnData: true }] },
        },
      };
    }),
  ).flat();
  const start = performance.now();
  const alerts = events.flatMap((event) => {
    const result = normaliseEvent(event, topology);
    return "alerts" in result ? result.alerts : [];
  });
  const normaliseMs = performance.now() - start;
  return { alerts: alerts.sort((a, b) => a.eventTime - b.eventTime), ctx: { topology, config: parseGroupingConfig({}) }, normaliseMs };
}

const dynalite = createRequire(import.meta.url)("dynalite") as (options: Record<string, number>) => Server;
const server = await listenOnLoopback(dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 }));
const client = new DynamoDBClient({ endpoint: server.endpoint, region: "us-east-1", credentials: { accessKeyId: "local", secretAccessKey: "local" }, requestHandler: new NodeHttpHandler() });

async function absorb(n: number, run: string) {
  // Each run in a table of its own, so the baseline starts from an empty scope too.
  const table = `vigil-outage-${run}`;
  await client.send(new CreateTableCommand(tableDefinition(table)));
  const deps = { store: createStore({ client, table }), publish: async () => undefined };
  const { alerts, ctx, normaliseMs } = outage(n, run);
  const batch = ALERT_STREAM_MAPPING.batchSize;
  const times: number[] = [];
  let spilled = 0;
  let maxParts = 0;
  for (let i = 0; i < alerts.length; i += batch) {
    const start = performance.now();
    const report = await groupAlerts(deps, alerts.slice(i, i + batch), ctx);
    times.push(performance.now() - start);
    const parts = Math.max(0, ...Object.values(report.spilled ?? {}));
    if (parts > 0) spilled++;
    maxParts = Math.max(maxParts, parts);
  }
  const seconds = times.reduce((a, b) => a + b, 0) / 1000;
  const sorted = [...times].sort((a, b) => a - b);
  const q = (p: number) => Math.round(sorted[Math.floor(p * (sorted.length - 1))]!);
  return { services: n, alerts: alerts.length, "normalise ms": Math.round(normaliseMs), seconds: Number(seconds.toFixed(1)), "alerts/s": Math.round(alerts.length / seconds), "batch p50 ms": q(0.5), "batch p90 ms": q(0.9), "batch max ms": q(1), "batches over several items": `${spilled}/${times.length}`, "most parts": maxParts };
}

const baseline = await absorb(Math.round(services / 10), "baseline");
const big = await absorb(services, "outage");
console.table([baseline, big]);
const perAlert = (r: typeof big) => r.seconds / r.alerts;
console.log(`time per alert: ${(perAlert(big) / perAlert(baseline)).toFixed(1)}x the baseline's (${services} against ${baseline.services} services failing at once)`);
client.destroy();
await server.close();
