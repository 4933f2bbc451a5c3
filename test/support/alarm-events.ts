import type { KinesisStreamRecord } from "aws-lambda";

const MIN = 60_000;

/**
 * A CloudWatch Alarm State Change on a load balancer metric, as EventBridge delivers it: `value` ALARM (from OK) or OK
 * (from ALARM) at `at`.
 */
export function albAlarm({
  id,
  account,
  name,
  at,
  metric = "HTTPCode_Target_5XX_Count",
  value = "ALARM",
  loadBalancer = "app/checkout/1",
}: {
  id: string;
  account: string;
  name: string;
  at: number;
  metric?: string;
  value?: "ALARM" | "OK";
  loadBalancer?: string;
}) {
  return {
    version: "0",
    id,
    "detail-type": "CloudWatch Alarm State Change",
    source: "aws.cloudwatch",
    account,
    time: new Date(at).toISOString(),
    region: "us-east-1",
    resources: [`arn:aws:cloudwatch:us-east-1:${account}:alarm:${name}`],
    detail: {
      alarmName: name,
      state: { value, reason: "Threshold Crossed", timestamp: new Date(at).toISOString() },
      previousState: { value: value === "ALARM" ? "OK" : "ALARM", reason: "-", timestamp: new Date(at - MIN).toISOString() },
      configuration: {
        metrics: [{ id: "m1", metricStat: { metric: { namespace: "AWS/ApplicationELB", name: metric, dimensions: { LoadBalancer: loadBalancer } }, period: 60, stat: "Sum" }, returnData: true }],
      },
    },
  };
}

let seq = 0;

/** A record of the alert stream as Lambda delivers it: `data` (an event, or raw text) keyed by `partitionKey`. */
export function alertStreamRecord(data: object | string, partitionKey: string): KinesisStreamRecord {
  seq += 1;
  const text = typeof data === "string" ? data : JSON.stringify(data);
  return {
    kinesis: { kinesisSchemaVersion: "1.0", partitionKey, sequenceNumber: String(1000 + seq), data: Buffer.from(text).toString("base64"), approximateArrivalTimestamp: 1_700_000_000 + seq },
    eventSource: "aws:kinesis",
    eventVersion: "1.0",
    eventID: `shardId-000000000000:${1000 + seq}`,
    eventName: "aws:kinesis:record",
    invokeIdentityArn: `arn:aws:iam::${partitionKey}:role/grouper`,
    awsRegion: "us-east-1",
    eventSourceARN: `arn:aws:kinesis:us-east-1:${partitionKey}:stream/alerts`,
  };
}
