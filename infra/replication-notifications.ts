import { bucketName } from "../core/replication/arn";
import { deployed } from "./function-base";
import { replicationMonitor } from "./functions";

/** The S3 events the replication monitor reads (missed threshold, replicated late, failed, not tracked). */
export const S3_REPLICATION_EVENTS = ["s3:Replication:*"] as const;

/** The id Vigil's entry carries in a bucket's notification configuration, so users can find and merge it. */
export const NOTIFICATION_ID = "vigil-replication-monitor";

/**
 * The notification configuration that sends a bucket's replication events to the replication monitor.
 * `put-bucket-notification-configuration` replaces a bucket's whole configuration, so users merge this
 * entry into what `get-bucket-notification-configuration` returns; Vigil never writes it, since it does
 * not own the bucket.
 */
export function s3NotificationConfiguration(functionArn: string) {
  return { LambdaFunctionConfigurations: [{ Id: NOTIFICATION_ID, LambdaFunctionArn: functionArn, Events: [...S3_REPLICATION_EVENTS] }] };
}

/** The command a user runs for one bucket (after merging any configuration it already has). */
export function s3NotificationCommand(bucket: string, functionArn: string): string {
  return `aws s3api put-bucket-notification-configuration --bucket ${bucket} --notification-configuration '${JSON.stringify(s3NotificationConfiguration(functionArn))}'`;
}

const account = aws.getCallerIdentityOutput().accountId;
const buckets = deployed.config.replication.protected.flatMap((t) => (t.kind === "s3" ? [{ id: t.id, arn: t.resource }] : []));

/**
 * Lets S3 invoke the replication monitor for each protected bucket, and for that bucket only (its ARN,
 * in this account: S3 notifications name no account in the bucket ARN, so `sourceAccount` pins it).
 */
export const s3InvokePermissions = buckets.map(
  ({ id, arn }) =>
    new aws.lambda.Permission(`ReplicationMonitorS3${id.replace(/(^|[-_.])([A-Za-z0-9])/g, (_m, _d, c: string) => c.toUpperCase())}`, {
      action: "lambda:InvokeFunction",
      function: replicationMonitor.name,
      principal: "s3.amazonaws.com",
      sourceArn: arn,
      sourceAccount: account,
    }),
);

/** Per protected bucket, the command that turns its replication notifications on (an output of the deploy). */
export const s3NotificationCommands = replicationMonitor.arn.apply((functionArn) =>
  Object.fromEntries(buckets.map(({ arn }) => [bucketName(arn), s3NotificationCommand(bucketName(arn), functionArn)])),
);
