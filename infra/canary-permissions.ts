import type { ProtectedResource } from "../core/replication/config";
import { CANARY_KEY_PREFIX } from "../events/patterns";
import { CANARY_ACTIONS } from "./access";
import type { PolicyStatement } from "./playbook-permissions";

/** A DynamoDB table ARN moved to another region (a global table's replica has the same name and account). */
function inRegion(tableArn: string, region: string): string {
  const [arn, partition, service, , ...rest] = tableArn.split(":");
  return [arn, partition, service, region, ...rest].join(":");
}

/**
 * What the replication canary may touch, from the config's protected resources: objects under the canary
 * prefix of each protected bucket (written) and the listing of that prefix in the bucket and its replica;
 * the protected global tables (read, written, described) in their region and read in each replica region.
 * RDS targets are watched through snapshot events, not probed, so they need nothing.
 */
export function canaryStatements(targets: readonly ProtectedResource[]): PolicyStatement[] {
  const s3 = targets.flatMap((t) => (t.kind === "s3" && t.canary ? [t] : []));
  const tables = targets.flatMap((t) => (t.kind === "dynamodb" && t.canary ? [t] : []));
  const statements: PolicyStatement[] = [];
  if (s3.length > 0) {
    statements.push({ actions: [...CANARY_ACTIONS.s3Write], resources: s3.map((t) => `${t.resource}/${CANARY_KEY_PREFIX}*`) });
    statements.push({
      actions: [...CANARY_ACTIONS.s3List],
      resources: [...new Set(s3.flatMap((t) => [t.resource, t.replica]))],
      // ListObjectsV2 with Prefix=vigil-canary/ only: the rest of the buckets stays unlisted.
      conditions: [{ test: "StringLike", variable: "s3:prefix", values: [`${CANARY_KEY_PREFIX}*`] }],
    });
  }
  if (tables.length > 0) {
    statements.push({ actions: [...CANARY_ACTIONS.dynamodbSource], resources: tables.map((t) => t.resource) });
    statements.push({ actions: [...CANARY_ACTIONS.dynamodbReplica], resources: [...new Set(tables.flatMap((t) => t.replicaRegions.map((r) => inRegion(t.resource, r))))] });
  }
  return statements;
}
