import { KinesisClient } from "@aws-sdk/client-kinesis";
import { MetricUnit } from "@aws-lambda-powertools/metrics";
import type { FirehoseTransformationEvent, FirehoseTransformationResult } from "aws-lambda";
import { Resource } from "sst/resource";
import { planForwarding } from "../core/metrics/forward-plan";
import { lambda, logger, metrics } from "./lib/powertools";
import { putRecords } from "./lib/put-records";

// Pure: built at load, dropped from bundles that never import it.
const kinesis = /* @__PURE__ */ new KinesisClient({});

/**
 * Firehose's data-transformation step between the CloudWatch Metric Stream and Vigil's metrics stream
 * (Firehose cannot write to a Kinesis data stream itself). Lines are grouped by series id and written
 * with PutRecords, partitioned like the scorer keys its state. A record answers `Ok` with its data
 * unchanged, so the delivery stream's bucket keeps a raw archive for replay; one whose lines could not
 * be written after retries answers `ProcessingFailed`, and Firehose keeps it under `failed/`. Malformed
 * lines are logged, counted and dropped alone.
 */
export const handler = lambda(async (event: FirehoseTransformationEvent): Promise<FirehoseTransformationResult> => {
  const plan = planForwarding(event.records.map((r) => ({ recordId: r.recordId, text: Buffer.from(r.data, "base64").toString("utf8") })));
  for (const m of plan.malformed) logger.warn("metric line dropped", { ...m });
  const { failed } = await putRecords(kinesis, Resource.MetricsStream.name, plan.entries);
  const failedIds = new Set(failed.flatMap((f) => f.entry.recordIds));
  if (failed.length > 0) {
    logger.error("metric lines not written to the metrics stream; their Firehose records fail", {
      entries: failed.length,
      records: failedIds.size,
      errors: [...new Set(failed.map((f) => `${f.errorCode}: ${f.errorMessage}`))],
    });
  }
  metrics.addMetric("MetricLinesForwarded", MetricUnit.Count, plan.lines - failed.reduce((n, f) => n + f.entry.lines, 0));
  metrics.addMetric("MetricLinesMalformed", MetricUnit.Count, plan.malformed.length);
  metrics.addMetric("MetricRecordsFailed", MetricUnit.Count, failedIds.size);
  return {
    records: event.records.map(({ recordId, data }) => ({ recordId, result: failedIds.has(recordId) ? "ProcessingFailed" : "Ok", data })),
  };
});
