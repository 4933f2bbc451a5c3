import { metricStreamIncludeFilters } from "../core/metrics/stream-filters";
import { deployed } from "./function-base";
import { metricsForwarder } from "./functions";
import { isProduction } from "./stage";

/**
 * How CloudWatch metrics reach the metrics stream in AWS. A Metric Stream delivers only to Firehose, and
 * Firehose cannot write to a Kinesis data stream, so Firehose runs the metrics forwarder as its
 * transformation step (which writes each series' lines to the stream) and delivers the records
 * unchanged to a short-lived bucket: a raw archive for replay, and where records the forwarder could
 * not write land (`failed/`) instead of being lost.
 *
 * CloudWatch Metric Stream ─▶ Firehose ─▶ metrics-forwarder ─▶ MetricsStream ─▶ scorer, replication monitor
 *                                     └─▶ MetricArchive bucket (7 days)
 */

/** Days the raw archive keeps Firehose's objects (their replay window). */
export const ARCHIVE_DAYS = 7;

/** Firehose's buffering before it invokes the forwarder: ~30 s keeps anomaly detection near real time. */
export const PROCESSOR_BUFFER = { sizeMb: 1, intervalSeconds: 30 } as const;

/** What Firehose needs on its destination bucket (AWS's documented set for an S3 destination). */
export const ARCHIVE_ACTIONS = [
  "s3:AbortMultipartUpload",
  "s3:GetBucketLocation",
  "s3:GetObject",
  "s3:ListBucket",
  "s3:ListBucketMultipartUploads",
  "s3:PutObject",
] as const;

/** What Firehose calls on its transformation Lambda. */
export const PROCESSOR_ACTIONS = ["lambda:InvokeFunction", "lambda:GetFunctionConfiguration"] as const;

/** What the Metric Stream calls on its Firehose delivery stream. */
export const DELIVERY_ACTIONS = ["firehose:PutRecord", "firehose:PutRecordBatch"] as const;

/** Firehose's destination: the raw archive, private, expiring after {@link ARCHIVE_DAYS}. */
export const metricArchive = new aws.s3.BucketV2("MetricArchive", { forceDestroy: !isProduction });

new aws.s3.BucketPublicAccessBlock("MetricArchivePublicAccessBlock", {
  bucket: metricArchive.id,
  blockPublicAcls: true,
  blockPublicPolicy: true,
  ignorePublicAcls: true,
  restrictPublicBuckets: true,
});

new aws.s3.BucketLifecycleConfigurationV2("MetricArchiveLifecycle", {
  bucket: metricArchive.id,
  rules: [{ id: "expire", status: "Enabled", filter: {}, expiration: { days: ARCHIVE_DAYS }, abortIncompleteMultipartUpload: { daysAfterInitiation: 1 } }],
});

/** Firehose's role: invoke the forwarder, write the archive. */
const deliveryRole = new aws.iam.Role("MetricDeliveryRole", {
  assumeRolePolicy: aws.iam.assumeRolePolicyForPrincipal({ Service: "firehose.amazonaws.com" }),
  inlinePolicies: [
    {
      name: "ForwardAndArchive",
      policy: aws.iam.getPolicyDocumentOutput({
        statements: [
          { actions: [...PROCESSOR_ACTIONS], resources: [metricsForwarder.arn, $interpolate`${metricsForwarder.arn}:*`] },
          { actions: [...ARCHIVE_ACTIONS], resources: [metricArchive.arn, $interpolate`${metricArchive.arn}/*`] },
        ],
      }).json,
    },
  ],
});

/** The Metric Stream's destination, with the forwarder as its processor. */
export const metricDelivery = new aws.kinesis.FirehoseDeliveryStream("MetricDelivery", {
  destination: "extended_s3",
  extendedS3Configuration: {
    roleArn: deliveryRole.arn,
    bucketArn: metricArchive.arn,
    prefix: "metrics/!{timestamp:yyyy/MM/dd/HH}/",
    errorOutputPrefix: "failed/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd/HH}/",
    compressionFormat: "GZIP",
    bufferingInterval: 300,
    bufferingSize: 64,
    processingConfiguration: {
      enabled: true,
      processors: [
        {
          type: "Lambda",
          parameters: [
            { parameterName: "LambdaArn", parameterValue: $interpolate`${metricsForwarder.arn}:$LATEST` },
            { parameterName: "BufferSizeInMBs", parameterValue: String(PROCESSOR_BUFFER.sizeMb) },
            { parameterName: "BufferIntervalInSeconds", parameterValue: String(PROCESSOR_BUFFER.intervalSeconds) },
          ],
        },
      ],
    },
  },
});

/** The Metric Stream's role: put records on that one delivery stream. */
const streamRole = new aws.iam.Role("MetricStreamRole", {
  assumeRolePolicy: aws.iam.assumeRolePolicyForPrincipal({ Service: "streams.metrics.cloudwatch.amazonaws.com" }),
  inlinePolicies: [
    {
      name: "PutRecordsOnDelivery",
      policy: aws.iam.getPolicyDocumentOutput({ statements: [{ actions: [...DELIVERY_ACTIONS], resources: [metricDelivery.arn] }] }).json,
    },
  ],
});

/** The account's CloudWatch metrics selected by the config's `metricStream.include`, replication metrics always among them. */
export const metricStream = new aws.cloudwatch.MetricStream("MetricStream", {
  firehoseArn: metricDelivery.arn,
  roleArn: streamRole.arn,
  outputFormat: "json",
  includeFilters: metricStreamIncludeFilters(deployed.config.metricStream.include),
});
