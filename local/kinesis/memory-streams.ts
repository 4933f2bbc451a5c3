import type {
  ChildShard,
  CreateStreamCommandInput,
  CreateStreamCommandOutput,
  DeleteStreamCommandInput,
  DeleteStreamCommandOutput,
  DescribeStreamCommandInput,
  DescribeStreamCommandOutput,
  DescribeStreamSummaryCommandInput,
  DescribeStreamSummaryCommandOutput,
  GetRecordsCommandInput,
  GetRecordsCommandOutput,
  GetShardIteratorCommandInput,
  GetShardIteratorCommandOutput,
  ListShardsCommandInput,
  ListShardsCommandOutput,
  ListStreamsCommandInput,
  ListStreamsCommandOutput,
  PutRecordCommandInput,
  PutRecordCommandOutput,
  PutRecordsCommandInput,
  PutRecordsCommandOutput,
  PutRecordsResultEntry,
  SplitShardCommandInput,
  SplitShardCommandOutput,
  StreamMode,
  StreamSummary,
  _Record,
} from "@aws-sdk/client-kinesis";
import { enumMember, HASH_KEY, integerMember, kinesisError, SEQUENCE_NUMBER, SHARD_ID, STREAM_NAME, stringMember, validationError } from "./memory-errors";
import { checkEntry, shardFor, type Entry } from "./memory-put";
import { evenRanges, MemoryShard, sequenceNumber, shardIndexOf } from "./memory-shard";
import { decodeIterator, decodeNextToken, encodeIterator, encodeNextToken } from "./memory-tokens";
import { selectShards, shardFilter, type ListShardsState } from "./memory-list-shards";

export const ACCOUNT_ID = "000000000000";
export const REGION = "us-east-1";
const MAX_PUT_RECORDS = 500;
const MAX_PUT_RECORDS_BYTES = 5 * 1024 * 1024;
const MAX_GET_RECORDS = 10_000;
const MAX_GET_RECORDS_BYTES = 10 * 1024 * 1024;
const ON_DEMAND_SHARDS = 4;
const ITERATOR_TYPES = ["AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER", "TRIM_HORIZON", "LATEST", "AT_TIMESTAMP"] as const;
const STREAM_MODES = ["PROVISIONED", "ON_DEMAND"] as const;

export interface MemoryStreamsOptions {
  /** The clock for arrival times and iterator expiry; tests pass a fake one. Default `Date.now`. */
  now?: () => number;
  /** Open shards allowed across all streams, as the account's shard quota. Default 500. */
  shardLimit?: number;
}

export interface MemoryStream {
  name: string;
  arn: string;
  /** Distinguishes a re-created stream from the deleted one of the same name (for iterators, tokens). */
  incarnation: number;
  createdAt: number;
  mode: StreamMode;
  /** Every shard, by index: shard N is `shardId-00000000000N`. */
  shards: MemoryShard[];
  /** The open shards in hash-key order; together they cover the whole hash-key space. */
  open: MemoryShard[];
}

type StreamRef = { StreamName?: unknown; StreamARN?: unknown };

export function streamArnOf(name: string): string {
  return `arn:aws:kinesis:${REGION}:${ACCOUNT_ID}:stream/${name}`;
}

/**
 * An in-memory Kinesis Data Streams: the operations take and return what the SDK's commands do
 * (Data as Uint8Array, timestamps as Date) and throw the SDK's exceptions, so it serves an
 * in-process client with no HTTP or base64, and `api.ts` adapts it to the JSON wire format.
 * Records are kept per shard in arrival order; iterators are indexes into that array.
 */
export class MemoryStreams {
  private readonly streams = new Map<string, MemoryStream>();
  private readonly incarnations = new Map<number, MemoryStream>();
  private readonly now: () => number;
  private readonly shardLimit: number;
  private lastIncarnation = 0;
  /** Store-wide, so sequence numbers rise across shards and streams. */
  private counter = 0;
  private lastArrival = 0;

  constructor(options: MemoryStreamsOptions = {}) {
    this.now = options.now ?? Date.now;
    this.shardLimit = options.shardLimit ?? 500;
  }

  createStream(input: CreateStreamCommandInput): CreateStreamCommandOutput {
    const name = stringMember(input.StreamName, "streamName", { required: true, min: 1, max: 128, pattern: STREAM_NAME });
    const mode = enumMember(input.StreamModeDetails?.StreamMode, "streamModeDetails.streamMode", STREAM_MODES, false) ?? "PROVISIONED";
    const count = integerMember(input.ShardCount, "shardCount", 1, 100_000) ?? (mode === "ON_DEMAND" ? ON_DEMAND_SHARDS : undefined);
    if (count === undefined) throw kinesisError("InvalidArgumentException", "ShardCount is required for a stream in PROVISIONED mode.");
    if (this.streams.has(name)) throw kinesisError("ResourceInUseException", `Stream ${name} under account ${ACCOUNT_ID} already exists.`);
    this.checkShardLimit(count);
    const createdAt = this.now();
    const shards = evenRanges(count).map(([start, end], index) => new MemoryShard(index, start, end, sequenceNumber(++this.counter, index), createdAt));
    const stream: MemoryStream = { name, arn: streamArnOf(name), incarnation: ++this.lastIncarnation, createdAt, mode, shards, open: [...shards] };
    this.streams.set(name, stream);
    this.incarnations.set(stream.incarnation, stream);
    return { $metadata: {} };
  }

  deleteStream(input: DeleteStreamCommandInput): DeleteStreamCommandOutput {
    const stream = this.stream(input);
    this.streams.delete(stream.name);
    this.incarnations.delete(stream.incarnation);
    return { $metadata: {} };
  }

  listStreams(input: ListStreamsCommandInput = {}): ListStreamsCommandOutput {
    const limit = integerMember(input.Limit, "limit", 1, 10_000) ?? 100;
    const start = stringMember(input.ExclusiveStartStreamName, "exclusiveStartStreamName", { min: 1, max: 128, pattern: STREAM_NAME });
    const token = stringMember(input.NextToken, "nextToken", { min: 1, max: 1_048_576 });
    if (token !== undefined && start !== undefined) {
      throw kinesisError("InvalidArgumentException", "NextToken and ExclusiveStartStreamName cannot be provided together.");
    }
    const after = token === undefined ? start : decodeNextToken<{ after: string }>(token, this.now()).after;
    const names = [...this.streams.keys()].sort().filter((name) => after === undefined || name > after);
    const page = names.slice(0, limit);
    const more = names.length > limit;
    return {
      StreamNames: page,
      HasMoreStreams: more,
      StreamSummaries: page.map((name) => this.summary(this.streams.get(name) as MemoryStream)),
      ...(more ? { NextToken: encodeNextToken({ after: page.at(-1) }, this.now()) } : {}),
      $metadata: {},
    };
  }

  describeStream(input: DescribeStreamCommandInput): DescribeStreamCommandOutput {
    const stream = this.stream(input);
    const limit = integerMember(input.Limit, "limit", 1, 10_000) ?? 100;
    const start = stringMember(input.ExclusiveStartShardId, "exclusiveStartShardId", { min: 1, max: 128, pattern: SHARD_ID });
    const shards = stream.shards.filter((shard) => start === undefined || shard.id > start);
    const { StreamName, StreamARN, StreamStatus, StreamModeDetails, StreamCreationTimestamp } = this.summary(stream);
    return {
      StreamDescription: {
        StreamName,
        StreamARN,
        StreamStatus,
        StreamModeDetails,
        Shards: shards.slice(0, limit).map((shard) => shard.describe()),
        HasMoreShards: shards.length > limit,
        RetentionPeriodHours: 24,
        StreamCreationTimestamp,
        EnhancedMonitoring: [{ ShardLevelMetrics: [] }],
        EncryptionType: "NONE",
      },
      $metadata: {},
    };
  }

  describeStreamSummary(input: DescribeStreamSummaryCommandInput): DescribeStreamSummaryCommandOutput {
    const stream = this.stream(input);
    return {
      StreamDescriptionSummary: {
        ...this.summary(stream),
        RetentionPeriodHours: 24,
        EnhancedMonitoring: [{ ShardLevelMetrics: [] }],
        EncryptionType: "NONE",
        OpenShardCount: stream.open.length,
        ConsumerCount: 0,
      },
      $metadata: {},
    };
  }

  listShards(input: ListShardsCommandInput): ListShardsCommandOutput {
    const token = stringMember(input.NextToken, "nextToken", { min: 1, max: 1_048_576 });
    const pageSize = Math.min(integerMember(input.MaxResults, "maxResults", 1, 10_000) ?? 1000, 1000);
    let stream: MemoryStream;
    let state: ListShardsState;
    if (token !== undefined) {
      // AWS: the token alone names the stream and the filter.
      for (const other of ["StreamName", "StreamARN", "ExclusiveStartShardId", "ShardFilter", "StreamCreationTimestamp"] as const) {
        if (input[other] !== undefined) throw kinesisError("InvalidArgumentException", `NextToken and ${other} cannot be provided together.`);
      }
      const decoded = decodeNextToken<ListShardsState & { incarnation: number }>(token, this.now());
      const found = this.incarnations.get(decoded.incarnation);
      if (!found) throw kinesisError("ResourceNotFoundException", "The stream of this NextToken no longer exists.");
      stream = found;
      state = decoded;
    } else {
      stream = this.stream(input);
      const after = stringMember(input.ExclusiveStartShardId, "exclusiveStartShardId", { min: 1, max: 128, pattern: SHARD_ID });
      state = { after, filter: shardFilter(input.ShardFilter) };
    }
    const shards = selectShards(stream.shards, state);
    const page = shards.slice(0, pageSize);
    const more = shards.length > pageSize;
    return {
      Shards: page.map((shard) => shard.describe()),
      ...(more ? { NextToken: encodeNextToken({ ...state, after: page.at(-1)?.id, incarnation: stream.incarnation }, this.now()) } : {}),
      $metadata: {},
    };
  }

  putRecord(input: PutRecordCommandInput): PutRecordCommandOutput {
    const stream = this.stream(input);
    const entry = checkEntry(input, "");
    stringMember(input.SequenceNumberForOrdering, "sequenceNumberForOrdering", { pattern: SEQUENCE_NUMBER });
    // Appends are sequential, so every record already sorts after the previous one of its key.
    const [result] = this.append(stream, [entry]) as [PutRecordsResultEntry];
    return { ShardId: result.ShardId, SequenceNumber: result.SequenceNumber, $metadata: {} };
  }

  putRecords(input: PutRecordsCommandInput): PutRecordsCommandOutput {
    const stream = this.stream(input);
    const records: unknown = input.Records;
    if (!Array.isArray(records)) throw validationError("records", records, "Member must not be null");
    if (records.length < 1) throw validationError("records", records, "Member must have length greater than or equal to 1");
    if (records.length > MAX_PUT_RECORDS) throw validationError("records", records, `Member must have length less than or equal to ${MAX_PUT_RECORDS}`);
    // Validate every record before storing any: a rejected request writes nothing.
    const entries = records.map((record: unknown, index) => checkEntry(record, `records.${index + 1}.member.`));
    let bytes = 0;
    for (const entry of entries) bytes += entry.data.byteLength + Buffer.byteLength(entry.partitionKey);
    if (bytes > MAX_PUT_RECORDS_BYTES) throw kinesisError("InvalidArgumentException", `Records size exceeds 5 MB limit (${bytes} bytes).`);
    return { FailedRecordCount: 0, Records: this.append(stream, entries), $metadata: {} };
  }

  getShardIterator(input: GetShardIteratorCommandInput): GetShardIteratorCommandOutput {
    const stream = this.stream(input);
    const shardId = stringMember(input.ShardId, "shardId", { required: true, min: 1, max: 128, pattern: SHARD_ID });
    const type = enumMember(input.ShardIteratorType, "shardIteratorType", ITERATOR_TYPES, true);
    const sequence = stringMember(input.StartingSequenceNumber, "startingSequenceNumber", { pattern: SEQUENCE_NUMBER });
    const shard = stream.shards.find((candidate) => candidate.id === shardId);
    if (!shard) throw kinesisError("ResourceNotFoundException", `Shard ${shardId} in stream ${stream.name} under account ${ACCOUNT_ID} does not exist`);
    const bySequence = type === "AT_SEQUENCE_NUMBER" || type === "AFTER_SEQUENCE_NUMBER";
    if (bySequence !== (sequence !== undefined)) {
      throw kinesisError(
        "InvalidArgumentException",
        "Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and StartingSequenceNumber or (2) TRIM_HORIZON, LATEST " +
          `or AT_TIMESTAMP and no StartingSequenceNumber. Request specified ${type} and ${sequence === undefined ? "no" : "a"} StartingSequenceNumber.`,
      );
    }
    let position: number;
    if (type === "TRIM_HORIZON") position = 0;
    else if (type === "LATEST") position = shard.records.length;
    else if (type === "AT_TIMESTAMP") position = shard.positionAt(this.timestamp(input.Timestamp));
    else {
      const encoded = shardIndexOf(sequence as string);
      if (encoded !== shard.index) {
        throw kinesisError(
          "InvalidArgumentException",
          `Invalid StartingSequenceNumber. It encodes ${encoded === undefined ? "no shard of this stream" : `shardId-${String(encoded).padStart(12, "0")}`}, ` +
            `while it was used in a call to a shard with ${shard.id}`,
        );
      }
      position = shard.positionOf(sequence as string, type === "AFTER_SEQUENCE_NUMBER");
    }
    return { ShardIterator: this.iterator(stream, shard, position), $metadata: {} };
  }

  getRecords(input: GetRecordsCommandInput): GetRecordsCommandOutput {
    const iterator = stringMember(input.ShardIterator, "shardIterator", { required: true, min: 1, max: 512 });
    const limit = integerMember(input.Limit, "limit", 1, Number.MAX_SAFE_INTEGER) ?? MAX_GET_RECORDS;
    if (limit > MAX_GET_RECORDS) throw kinesisError("InvalidArgumentException", `Limit ${limit} is greater than the maximum of ${MAX_GET_RECORDS}.`);
    const now = this.now();
    const { incarnation, shardIndex, position } = decodeIterator(iterator, now);
    const stream = this.incarnations.get(incarnation);
    if (!stream) throw kinesisError("ResourceNotFoundException", "The stream of this shard iterator does not exist.");
    const shard = stream.shards[shardIndex];
    if (!shard || position > shard.records.length) throw kinesisError("InvalidArgumentException", "Invalid ShardIterator.");
    const stored = shard.records;
    const last = Math.min(stored.length, position + limit);
    let end = position;
    // A response holds at most 10 MiB, but always at least one record.
    for (let bytes = 0; end < last; end += 1) {
      bytes += (stored[end] as (typeof stored)[number]).data.byteLength;
      if (bytes > MAX_GET_RECORDS_BYTES && end > position) break;
    }
    const records: _Record[] = new Array(end - position);
    for (let index = position; index < end; index += 1) {
      const record = stored[index] as (typeof stored)[number];
      // Data is the store's own copy, shared with readers rather than copied again: readers must not mutate it.
      records[index - position] = {
        SequenceNumber: record.sequenceNumber,
        ApproximateArrivalTimestamp: new Date(record.arrivedAt),
        Data: record.data,
        PartitionKey: record.partitionKey,
      };
    }
    const next = stored[end];
    const output: GetRecordsCommandOutput = { Records: records, MillisBehindLatest: next ? Math.max(1, now - next.arrivedAt) : 0, $metadata: {} };
    // A closed shard read to its end has no next iterator; its children are where reading goes on.
    if (next === undefined && shard.closed) output.ChildShards = this.children(stream, shard);
    else output.NextShardIterator = this.iterator(stream, shard, end);
    return output;
  }

  splitShard(input: SplitShardCommandInput): SplitShardCommandOutput {
    const stream = this.stream(input);
    const shardId = stringMember(input.ShardToSplit, "shardToSplit", { required: true, min: 1, max: 128, pattern: SHARD_ID });
    const hashKey = stringMember(input.NewStartingHashKey, "newStartingHashKey", { required: true, pattern: HASH_KEY });
    const where = `in stream ${stream.name} under account ${ACCOUNT_ID}`;
    const parent = stream.shards.find((candidate) => candidate.id === shardId);
    if (!parent) throw kinesisError("ResourceNotFoundException", `Could not find shard ${shardId} ${where}.`);
    if (parent.closed) {
      throw kinesisError("InvalidArgumentException", `Shard ${shardId} ${where} has already been merged or split, and thus is not eligible for merging or splitting.`);
    }
    const split = BigInt(hashKey);
    if (split <= parent.startHash + 1n || split >= parent.endHash) {
      throw kinesisError(
        "InvalidArgumentException",
        `NewStartingHashKey ${hashKey} used in SplitShard() on shard ${shardId} ${where} is not both greater than one plus the shard's ` +
          `StartingHashKey ${parent.startHash} and less than the shard's EndingHashKey ${parent.endHash}.`,
      );
    }
    this.checkShardLimit(1);
    const now = this.now();
    parent.endingSequenceNumber = sequenceNumber(++this.counter, parent.index);
    parent.closedAt = now;
    const children = [
      [parent.startHash, split - 1n],
      [split, parent.endHash],
    ].map(([start, end]) => {
      const index = stream.shards.length;
      const child = new MemoryShard(index, start as bigint, end as bigint, sequenceNumber(++this.counter, index), now, [parent.id]);
      stream.shards.push(child);
      return child;
    });
    stream.open.splice(stream.open.indexOf(parent), 1, ...children);
    return { $metadata: {} };
  }

  private stream(input: StreamRef): MemoryStream {
    const name = stringMember(input.StreamName, "streamName", { min: 1, max: 128, pattern: STREAM_NAME });
    const arn = stringMember(input.StreamARN, "streamARN", { min: 1, max: 2048 });
    let resolved = name;
    if (arn !== undefined) {
      const match = /^arn:aws[a-z-]*:kinesis:([a-z0-9-]+):(\d{12}):stream\/([a-zA-Z0-9_.-]{1,128})$/.exec(arn);
      if (!match) throw kinesisError("InvalidArgumentException", `StreamARN ${arn} is not a Kinesis stream ARN.`);
      if (name !== undefined && name !== match[3]) throw kinesisError("InvalidArgumentException", `StreamName ${name} and StreamARN ${arn} name different streams.`);
      if (match[1] !== REGION || match[2] !== ACCOUNT_ID) throw kinesisError("ResourceNotFoundException", `Stream ${arn} not found.`);
      resolved = match[3];
    }
    if (resolved === undefined) throw kinesisError("InvalidArgumentException", "Either StreamName or StreamARN should be provided.");
    const stream = this.streams.get(resolved);
    if (!stream) throw kinesisError("ResourceNotFoundException", `Stream ${resolved} under account ${ACCOUNT_ID} not found.`);
    return stream;
  }

  private append(stream: MemoryStream, entries: Entry[]): PutRecordsResultEntry[] {
    const arrivedAt = Math.max(this.lastArrival, this.now());
    this.lastArrival = arrivedAt;
    // The data is copied so the caller may reuse its buffers, into one allocation per call: a
    // buffer per record costs more than the copying itself.
    let total = 0;
    for (const entry of entries) total += entry.data.byteLength;
    const slab = new Uint8Array(total);
    let offset = 0;
    const results: PutRecordsResultEntry[] = new Array(entries.length);
    for (let index = 0; index < entries.length; index += 1) {
      const { partitionKey, hash, data } = entries[index] as Entry;
      slab.set(data, offset);
      const copy = slab.subarray(offset, (offset += data.byteLength));
      const shard = shardFor(stream.open, hash);
      const sequence = sequenceNumber(++this.counter, shard.index);
      shard.records.push({ sequenceNumber: sequence, partitionKey, data: copy, arrivedAt });
      results[index] = { SequenceNumber: sequence, ShardId: shard.id };
    }
    return results;
  }

  private iterator(stream: MemoryStream, shard: MemoryShard, position: number): string {
    return encodeIterator({ incarnation: stream.incarnation, shardIndex: shard.index, position, issuedAt: this.now() });
  }

  private children(stream: MemoryStream, parent: MemoryShard): ChildShard[] {
    return stream.shards
      .filter((shard) => shard.parentShardIds.includes(parent.id))
      .map((shard) => ({
        ShardId: shard.id,
        ParentShards: [...shard.parentShardIds],
        HashKeyRange: { StartingHashKey: shard.startHash.toString(), EndingHashKey: shard.endHash.toString() },
      }));
  }

  private summary(stream: MemoryStream): Required<Pick<StreamSummary, "StreamName" | "StreamARN" | "StreamStatus" | "StreamModeDetails" | "StreamCreationTimestamp">> {
    return {
      StreamName: stream.name,
      StreamARN: stream.arn,
      StreamStatus: "ACTIVE",
      StreamModeDetails: { StreamMode: stream.mode },
      StreamCreationTimestamp: new Date(stream.createdAt),
    };
  }

  private timestamp(value: unknown): number {
    if (value === undefined || value === null) {
      throw kinesisError("InvalidArgumentException", "Must specify timestampInMillis parameter for iterator of type AT_TIMESTAMP.");
    }
    const ms = value instanceof Date ? value.getTime() : Number.NaN;
    if (Number.isNaN(ms)) throw validationError("timestamp", value, "Member must be a timestamp");
    return ms;
  }

  private checkShardLimit(added: number): void {
    let open = 0;
    for (const stream of this.streams.values()) open += stream.open.length;
    if (open + added > this.shardLimit) {
      throw kinesisError(
        "LimitExceededException",
        `This request would exceed the shard limit for the account ${ACCOUNT_ID} in ${REGION}. Current shard count for the account: ${open}. ` +
          `Limit: ${this.shardLimit}. Number of additional shards that would have resulted from this request: ${added}.`,
      );
    }
  }
}
