import type { _Record } from "@aws-sdk/client-kinesis";
import type { KinesisStreamRecord } from "aws-lambda";

/** Who reads the stream, as Lambda names it in every record it delivers. */
export interface StreamIdentity {
  streamArn: string;
  region: string;
  accountId: string;
  /** The execution role's ARN, which Lambda passes as `invokeIdentityArn`. */
  invokeIdentityArn: string;
}

/**
 * Turns a record from GetRecords into the record Lambda delivers to a Kinesis handler, with the
 * same keys in the same order as real events (data in base64, arrival time in float seconds).
 */
export function toLambdaKinesisRecord(record: _Record, shardId: string, identity: StreamIdentity): KinesisStreamRecord {
  const sequenceNumber = record.SequenceNumber ?? "";
  return {
    kinesis: {
      kinesisSchemaVersion: "1.0",
      partitionKey: record.PartitionKey ?? "",
      sequenceNumber,
      data: Buffer.from(record.Data ?? new Uint8Array()).toString("base64"),
      approximateArrivalTimestamp: (record.ApproximateArrivalTimestamp?.getTime() ?? 0) / 1000,
    },
    eventSource: "aws:kinesis",
    eventVersion: "1.0",
    eventID: `${shardId}:${sequenceNumber}`,
    eventName: "aws:kinesis:record",
    invokeIdentityArn: identity.invokeIdentityArn,
    awsRegion: identity.region,
    eventSourceARN: identity.streamArn,
  };
}
