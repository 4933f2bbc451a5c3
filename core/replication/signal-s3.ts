import { describeFirstIssue } from "../../events/format-issue";
import { replicationOperation, S3ReplicationRecordSchema } from "../../events/inbound/s3";
import type { SignalResult } from "./signals";

/**
 * Normalises one `Records[]` entry of an S3 replication event notification
 * (`OperationFailedReplication`, `OperationMissedThreshold`, `OperationReplicatedAfterThreshold`, `OperationNotTracked`).
 * Never throws: a record that does not parse is `malformed`.
 *
 * @param record - one record, as S3 delivers it to Lambda, SQS or SNS
 */
export function signalFromS3Notification(record: unknown): SignalResult {
  const parsed = S3ReplicationRecordSchema.safeParse(record);
  if (!parsed.success) return { ok: false, reason: "malformed", detail: describeFirstIssue(parsed.error) };
  const r = parsed.data;
  const data = r.replicationEventData;
  const at = Date.parse(r.eventTime);
  const requestTime = Date.parse(data.requestTime);
  if (!Number.isFinite(at)) return { ok: false, reason: "malformed", detail: `eventTime: not a date: ${r.eventTime}` };
  return {
    ok: true,
    signal: {
      type: "s3-replication-event",
      operation: replicationOperation(r),
      at,
      requestTime,
      sourceBucket: r.s3.bucket.arn,
      destinationBucket: data.destinationBucket,
      ruleId: data.replicationRuleId,
      objectKey: `${r.s3.object.key}#${r.s3.object.versionId ?? ""}`,
      ...(data.failureReason === undefined ? {} : { failureReason: data.failureReason }),
    },
  };
}
