import { z } from "zod";

/**
 * `vigil.config.yaml`: how Vigil reacts, reviewed like code. Each capability owns a section;
 * sections are optional so a new user starts from an empty file. Unknown keys are rejected,
 * because a misspelt key silently ignored is a policy that never runs.
 */
const Section = z.record(z.string(), z.unknown());

export const ConfigSchema = z.strictObject({
  /** Services, resources and dependencies, in the format of a CMDB/tag export (see docs). */
  topology: Section.default({}),
  grouping: Section.default({}),
  remediation: Section.default({}),
  replication: Section.default({}),
  anomaly: Section.default({}),
  audit: z.strictObject({ chainId: z.string().min(1).default("vigil") }).default({ chainId: "vigil" }),
});

export type VigilConfig = z.infer<typeof ConfigSchema>;
