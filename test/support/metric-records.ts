import type { KinesisStreamEvent, KinesisStreamRecord } from "aws-lambda";

export const ACCOUNT = "111122223333";

/** A Metric Streams JSON datum for one minute of one series. */
export function datum(minute: number, value: number, overrides: Record<string, unknown> = {}) {
  return {
    metric_stream_name: "vigil-metrics",
    account_id: ACCOUNT,
    region: "us-east-1",
    namespace: "AWS/EC2",
    metric_name: "CPUUtilization",
    dimensions: { InstanceId: "i-0abc" },
    timestamp: Date.parse("2025-11-03T08:00:00Z") + minute * 60_000,
    value: { max: value, min: value, sum: value * 5, count: 5 },
    unit: "Percent",
    ...overrides,
  };
}

/** A Kinesis record as Lambda delivers it, holding newline-delimited lines. */
export function kinesisRecord(seq: number, lines: string[]): KinesisStreamRecord {
  return {
    kinesis: {
      kinesisSchemaVersion: "1.0",
      partitionKey: "pk",
      sequenceNumber: String(49590338271490256608559692538361571095921575989136588898n + BigInt(seq)),
      data: Buffer.from(lines.join("\n") + "\n").toString("base64"),
      approximateArrivalTimestamp: 1_700_000_000 + seq,
    },
    eventSource: "aws:kinesis",
    eventVersion: "1.0",
    eventID: `shardId-000000000000:${seq}`,
    eventName: "aws:kinesis:record",
    invokeIdentityArn: "arn:aws:iam::111122223333:role/lambda",
    awsRegion: "us-east-1",
    eventSourceARN: "arn:aws:kinesis:us-east-1:111122223333:stream/vigil-metrics",
  };
}

export const kinesisEvent = (records: KinesisStreamRecord[]): KinesisStreamEvent => ({ Records: records });

/** A steady series with a little noise, then one spike at `spikeAt`. */
export function seriesWithSpike(points: number, spikeAt: number, base = 40): number[] {
  return Array.from({ length: points }, (_, i) => (i === spikeAt ? base * 6 : base + 4 * Math.sin(i / 5) + ((i * 7919) % 13) / 13));
}
