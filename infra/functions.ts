import { auditWriter as auditWriterPatterns } from "../events/patterns";
import { opsBus } from "./bus";
import { metricsStream } from "./stream";
import { table } from "./table";
import { BUNDLED_CONFIG, bundledConfig } from "./config";

const configFile = bundledConfig($cli.paths.root);

/** What every Vigil function shares: runtime, and the bundled config when the app has one. */
function baseFunctionArgs() {
  return {
    runtime: "nodejs22.x",
    // SST bundles with esbuild but minifies only when asked.
    nodejs: { minify: true },
    // Without a config file, functions run on the built-in defaults (functions/lib/config.ts).
    ...(configFile && {
      copyFiles: [{ from: configFile, to: BUNDLED_CONFIG }],
      // Relative to the bundle root (LAMBDA_TASK_ROOT).
      environment: { VIGIL_CONFIG_FILE: BUNDLED_CONFIG },
    }),
  } satisfies Partial<sst.aws.FunctionArgs>;
}

/** Appends every event Vigil emits to the hash-chained audit log. */
export const auditWriter = new sst.aws.Function("AuditWriter", {
  ...baseFunctionArgs(),
  handler: "functions/audit-writer.handler",
  link: [table, opsBus],
});

/**
 * One ops-bus rule per pattern, all targeting the one function. Each rule takes the contract's
 * pattern verbatim: SST's own `pattern` argument knows only source, detail-type and detail.
 */
export const auditWriterSubscriptions = auditWriterPatterns.map((pattern, index) =>
  opsBus.subscribe(`AuditWriterRule${index + 1}`, auditWriter.arn, {
    transform: { rule: { eventPattern: JSON.stringify(pattern) } },
  }),
);

/** Scores every metric point on the metrics stream and emits `Anomaly Detected`. */
export const anomalyScorer = new sst.aws.Function("AnomalyScorer", {
  ...baseFunctionArgs(),
  handler: "functions/anomaly-scorer.handler",
  link: [table, opsBus],
});

/**
 * Batches as the handler expects them: partial failures reported per record, a failing batch
 * bisected to isolate a poison record, bounded retries so one record never blocks its shard.
 */
export const anomalyScorerSubscription = metricsStream.subscribe("AnomalyScorerSubscription", anomalyScorer.arn, {
  transform: {
    eventSourceMapping: {
      startingPosition: "TRIM_HORIZON",
      batchSize: 100,
      maximumBatchingWindowInSeconds: 5,
      functionResponseTypes: ["ReportBatchItemFailures"],
      bisectBatchOnFunctionError: true,
      maximumRetryAttempts: 10,
      maximumRecordAgeInSeconds: 6 * 3600,
    },
  },
});
