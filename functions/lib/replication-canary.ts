import { type AttributeValue, DescribeTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import type { PutEventsRequestEntry } from "@aws-sdk/client-eventbridge";
import type { ReplicationSettings } from "../../core/replication/config";
import {
  CANARY_DETAIL_TYPE,
  CANARY_EVENT_SOURCE,
  CANARY_ITEM_ATTRIBUTES,
  canaryItemAttributes,
  canaryItemKey,
  canaryItemWrites,
  canaryLookbackMinutes,
  type CanaryTarget,
  dynamoDbCanaryResults,
  dynamoDbCanaryTable,
  type KeyAttribute,
  s3CanaryBuckets,
  s3CanaryResults,
  s3ListStartAfter,
  s3MarkerBody,
  s3MarkerKey,
} from "../../core/replication/canary-probe";
import type { CanaryProbeResult } from "../../core/replication/signal-canary";
import { CANARY_KEY_PREFIX } from "../../events/patterns";

/** The clients a probe uses: one S3 client (it follows buckets to their region), one DynamoDB client per region. */
export interface CanaryClients {
  s3: S3Client;
  dynamodb: (region: string) => DynamoDBClient;
}

/** A table's key schema could not be read into marker keys. */
export class CanaryKeySchemaError extends Error {
  override readonly name = "CanaryKeySchemaError";
  readonly code = "replication.canary_key_schema";
}

/** One part of a probe that failed: where (`<target id>` or `<target id>@<region>`), and why. */
export interface ProbeFailure {
  scope: string;
  error: unknown;
}

/** A target's reports, and the parts that could not be reached (their routes report nothing this run). */
export interface ProbeOutcome {
  results: CanaryProbeResult[];
  failures: ProbeFailure[];
}

// One attempt and short timeouts: the next run is a minute away, and a replay with no emulator must not wait.
const CLIENT_OPTIONS = { maxAttempts: 1, requestHandler: { connectionTimeout: 2_000, requestTimeout: 5_000 } } as const;

let clients: CanaryClients | undefined;

/**
 * The probe's clients, created on first use. No endpoint in code: the standard chain
 * (AWS_ENDPOINT_URL[_S3|_DYNAMODB], AWS_REGION, credentials) decides, so moto_server works as AWS does.
 */
export function canaryClients(): CanaryClients {
  if (clients) return clients;
  const regional = new Map<string, DynamoDBClient>();
  clients = {
    s3: new S3Client({ ...CLIENT_OPTIONS, followRegionRedirects: true }),
    dynamodb: (region) => {
      const existing = regional.get(region);
      if (existing) return existing;
      const created = new DynamoDBClient({ ...CLIENT_OPTIONS, region });
      regional.set(region, created);
      return created;
    },
  };
  return clients;
}

/** Destroys the clients, so the next probe reads the environment again (tests that move endpoints). */
export function resetCanaryClients(): void {
  clients?.s3.destroy();
  clients = undefined;
  keySchemas.clear();
}

async function listMarkers(s3: S3Client, bucket: string, since: number): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: CANARY_KEY_PREFIX, StartAfter: s3ListStartAfter(since), ContinuationToken: token }),
    );
    for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys;
}

/**
 * S3: writes this run's marker in the source bucket, then lists the markers of the lookback window in
 * both buckets. Either bucket failing fails the target: without both listings there is nothing to compare.
 *
 * @param target - the S3 protected resource
 * @param now - probe time, epoch ms (the marker's write time)
 * @param settings - the model's thresholds (for the lookback window)
 * @param s3 - the S3 client
 */
export async function probeS3(target: Extract<CanaryTarget, { kind: "s3" }>, now: number, settings: ReplicationSettings, s3: S3Client): Promise<ProbeOutcome> {
  const where = s3CanaryBuckets(target);
  try {
    await s3.send(
      new PutObjectCommand({ Bucket: where.source, Key: s3MarkerKey(target.id, now), Body: s3MarkerBody(target.id, now), ContentType: "application/json" }),
    );
    const since = now - canaryLookbackMinutes(target, settings) * 60_000;
    const [source, replica] = await Promise.all([listMarkers(s3, where.source, since), listMarkers(s3, where.replica, since)]);
    return { results: s3CanaryResults(target, { source, replica }, now), failures: [] };
  } catch (error) {
    return { results: [], failures: [{ scope: target.id, error }] };
  }
}

const keySchemas = new Map<string, KeyAttribute[]>();
const isKeyType = (type: unknown): type is KeyAttribute["type"] => type === "S" || type === "N" || type === "B";

/** The table's key attributes, read once per table and process (a key schema never changes). */
async function keySchema(client: DynamoDBClient, table: string, region: string): Promise<KeyAttribute[]> {
  const cacheKey = `${region}/${table}`;
  const cached = keySchemas.get(cacheKey);
  if (cached) return cached;
  const { Table } = await client.send(new DescribeTableCommand({ TableName: table }));
  const types = new Map((Table?.AttributeDefinitions ?? []).map((d) => [d.AttributeName, d.AttributeType]));
  const schema = Table?.KeySchema ?? [];
  const key: KeyAttribute[] = [];
  // Partition key first, then the sort key, whatever order DescribeTable lists them in.
  for (const k of [...schema.filter((a) => a.KeyType === "HASH"), ...schema.filter((a) => a.KeyType !== "HASH")]) {
    const type = types.get(k.AttributeName);
    if (!k.AttributeName || !isKeyType(type)) throw new CanaryKeySchemaError(`table ${table} in ${region}: key attribute ${k.AttributeName ?? "?"} has type ${type ?? "none"}`);
    key.push({ name: k.AttributeName, type });
  }
  if (key.length === 0) throw new CanaryKeySchemaError(`table ${table} in ${region}: DescribeTable returned no key schema`);
  keySchemas.set(cacheKey, key);
  return key;
}

/**
 * DynamoDB: overwrites the target's marker item in the source region with this run's time and the
 * write history, then reads the item in each replica region. A region that fails reports nothing and
 * leaves the others' reports intact.
 *
 * @param target - the DynamoDB protected resource (a global table)
 * @param now - probe time, epoch ms (the marker's write time)
 * @param dynamodb - a client per region
 */
export async function probeDynamoDb(
  target: Extract<CanaryTarget, { kind: "dynamodb" }>,
  now: number,
  dynamodb: CanaryClients["dynamodb"],
): Promise<ProbeOutcome> {
  const where = dynamoDbCanaryTable(target);
  let writes: number[];
  let Key: Record<string, AttributeValue>;
  try {
    const source = dynamodb(where.region);
    Key = canaryItemKey(await keySchema(source, where.table, where.region), target.id);
    const previous = await source.send(new GetItemCommand({ TableName: where.table, Key, ConsistentRead: true }));
    const Item = { ...Key, ...canaryItemAttributes(canaryItemWrites(previous.Item).writes, now) };
    await source.send(new PutItemCommand({ TableName: where.table, Item }));
    writes = canaryItemWrites(Item).writes;
  } catch (error) {
    return { results: [], failures: [{ scope: target.id, error }] };
  }
  const reads = await Promise.allSettled(
    where.replicaRegions.map(async (region) => {
      const { Item } = await dynamodb(region).send(
        new GetItemCommand({ TableName: where.table, Key, ProjectionExpression: "#w", ExpressionAttributeNames: { "#w": CANARY_ITEM_ATTRIBUTES.writtenAt } }),
      );
      return dynamoDbCanaryResults(target, region, writes, canaryItemWrites(Item).writtenAt, now);
    }),
  );
  const outcome: ProbeOutcome = { results: [], failures: [] };
  reads.forEach((read, i) => {
    if (read.status === "fulfilled") outcome.results.push(...read.value);
    else outcome.failures.push({ scope: `${target.id}@${where.replicaRegions[i] ?? "?"}`, error: read.reason });
  });
  return outcome;
}

/**
 * Probes one target with the clients of its kind.
 *
 * @param target - an S3 or DynamoDB protected resource
 * @param now - probe time, epoch ms
 * @param settings - the model's thresholds
 * @param using - the clients (the standard-chain ones by default)
 */
export function probeTarget(target: CanaryTarget, now: number, settings: ReplicationSettings, using: CanaryClients = canaryClients()): Promise<ProbeOutcome> {
  return target.kind === "s3" ? probeS3(target, now, settings, using.s3) : probeDynamoDb(target, now, using.dynamodb);
}

/**
 * A probe report as an ops-bus entry for the replication monitor, dated at the probe's run.
 *
 * @param result - one report
 */
export function canaryEntry(result: CanaryProbeResult): PutEventsRequestEntry {
  return {
    Source: CANARY_EVENT_SOURCE,
    DetailType: CANARY_DETAIL_TYPE,
    Detail: JSON.stringify(result),
    Resources: [result.resource],
    Time: new Date(result.probedAt),
  };
}
