import * as z from "zod";
import { describeFirstIssue } from "../../events/format-issue";
import type { SignalResult } from "./signals";

const EpochOrIso = z.union([z.number().int().nonnegative(), z.iso.datetime().transform((s) => Date.parse(s))]);

/** What a canary probe reports after looking for its marker in the replica. */
export const CanaryProbeResultSchema = z.strictObject({
  kind: z.enum(["s3", "dynamodb"]),
  /** Source resource ARN the marker was written to. */
  resource: z.string().min(1),
  /** Replica bucket ARN (S3) or replica region (DynamoDB). */
  replica: z.string().min(1),
  markerId: z.string().min(1),
  /** Write time the marker carries (epoch ms or ISO). */
  writtenAt: EpochOrIso,
  /** When the marker was read in the replica; null when not there yet. */
  observedAt: EpochOrIso.nullable(),
  /** When the probe ran. */
  probedAt: EpochOrIso,
});
export type CanaryProbeResult = z.input<typeof CanaryProbeResultSchema>;

/**
 * Normalises a canary probe's result. A probe that claims to have read a marker before it was written
 * keeps its values (clock skew between writer and reader is the model's to judge), but a probe that ran
 * before the marker was written is `malformed`.
 *
 * @param result - the probe's report
 */
export function signalFromCanary(result: unknown): SignalResult {
  const parsed = CanaryProbeResultSchema.safeParse(result);
  if (!parsed.success) return { ok: false, reason: "malformed", detail: describeFirstIssue(parsed.error) };
  const r = parsed.data;
  if (r.probedAt < r.writtenAt) return { ok: false, reason: "malformed", detail: "probedAt: before the marker's writtenAt" };
  return {
    ok: true,
    signal: {
      type: "canary-observation",
      kind: r.kind,
      resource: r.resource,
      replica: r.replica,
      markerId: r.markerId,
      writtenAt: r.writtenAt,
      observedAt: r.observedAt,
      at: r.probedAt,
    },
  };
}
