import * as z from "zod";
import { DEFAULT_DETECTOR_CONFIG, InvalidDetectorConfigError, resolveConfig } from "../anomaly";
import { GroupingConfigSchema } from "../grouping/config";
import { TopologySchema } from "../grouping/topology-schema";
import { RemediationConfigSchema } from "../remediation/config";
import { DEFAULT_METRIC_STREAM_INCLUDE } from "../metrics/stream-filters";
import { ReplicationConfigSchema } from "../replication/config";

/**
 * `vigil.config.yaml`: how Vigil reacts, reviewed like code. Each capability owns a section;
 * sections are optional so a new user starts from an empty file. Unknown keys are rejected,
 * because a misspelt key silently ignored is a policy that never runs.
 */
/** Detector settings: the same for every series; any field left out keeps its default. */
const AnomalySchema = z
  .strictObject(Object.fromEntries(Object.keys(DEFAULT_DETECTOR_CONFIG).map((k) => [k, z.number().optional()])) as Record<keyof typeof DEFAULT_DETECTOR_CONFIG, z.ZodOptional<z.ZodNumber>>)
  .superRefine((section, ctx) => {
    try {
      resolveConfig(section);
    } catch (error) {
      if (!(error instanceof InvalidDetectorConfigError)) throw error;
      ctx.addIssue({ code: "custom", path: [error.field], message: error.message });
    }
  });

/**
 * Which CloudWatch metrics the deployed Metric Stream sends to Vigil (infra/metric-stream.ts). Its own
 * section, not under `anomaly`: the scorer and the replication watch both read the stream, and the
 * `anomaly` section is handed whole to the detector, whose state stores every field it receives.
 */
const MetricStreamSchema = z.strictObject({
  /** At most 1000 filters (CloudWatch's limit); a namespace without `metricNames` is streamed whole. */
  include: z
    .array(z.strictObject({ namespace: z.string().min(1).max(255), metricNames: z.array(z.string().min(1).max(255)).min(1).optional() }))
    .min(1)
    .max(1000)
    .default(() => DEFAULT_METRIC_STREAM_INCLUDE.map((f) => ({ ...f, ...(f.metricNames && { metricNames: [...f.metricNames] }) }))),
});

export const ConfigSchema = z.strictObject({
  /** Services, resources and dependencies, in the format of a CMDB/tag export. */
  topology: TopologySchema.prefault({}),
  grouping: GroupingConfigSchema.strict().prefault({}),
  remediation: RemediationConfigSchema.prefault({}),
  replication: ReplicationConfigSchema.prefault({}),
  anomaly: AnomalySchema.prefault({}),
  metricStream: MetricStreamSchema.prefault({}),
  audit: z.strictObject({ chainId: z.string().min(1).default("vigil") }).default({ chainId: "vigil" }),
});

export type VigilConfig = z.infer<typeof ConfigSchema>;
