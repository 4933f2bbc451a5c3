import { bucketName, parseArn, resourceName } from "./arn";
import type { ProtectedResource } from "./config";
import type { RdsSnapshotSignal, Signal } from "./signals";

type Of<K extends ProtectedResource["kind"]> = Extract<ProtectedResource, { kind: K }>;

function matchesS3(target: Of<"s3">, source: string, destination: string): boolean {
  return bucketName(target.resource) === bucketName(source) && bucketName(target.replica) === bucketName(destination);
}

function matchesDynamoDbMetric(target: Of<"dynamodb">, account: string, region: string, table: string, receiving: string): boolean {
  const arn = parseArn(target.resource);
  if (arn === undefined) return false;
  // Latency into the source region (from a replica) says nothing about the protected direction.
  return arn.account === account && arn.region === region && resourceName(target.resource) === table && target.replicaRegions.includes(receiving);
}

function matchesRds(target: Of<"rds">, signal: RdsSnapshotSignal): boolean {
  const arn = parseArn(target.resource);
  if (arn === undefined || arn.account !== signal.account) return false;
  const prefix = target.snapshotPrefix ?? resourceName(target.resource);
  if (!signal.snapshotId.startsWith(prefix)) return false;
  // Source snapshots count in the source region; copies only in a DR region.
  return signal.phase === "copied" ? target.replicaRegions.includes(signal.region) : signal.region === arn.region;
}

function matches(signal: Signal, target: ProtectedResource): boolean {
  switch (signal.type) {
    case "s3-replication-event":
      return target.kind === "s3" && matchesS3(target, signal.sourceBucket, signal.destinationBucket);
    case "replication-metric":
      if (signal.service === "s3") return target.kind === "s3" && matchesS3(target, signal.sourceBucket, signal.destinationBucket);
      return target.kind === "dynamodb" && matchesDynamoDbMetric(target, signal.account, signal.region, signal.tableName, signal.receivingRegion);
    case "rds-snapshot":
      return target.kind === "rds" && matchesRds(target, signal);
    case "canary-observation":
      if (signal.kind !== target.kind || signal.resource !== target.resource) return false;
      return target.kind === "s3" ? bucketName(target.replica) === bucketName(signal.replica) : target.kind === "dynamodb" && target.replicaRegions.includes(signal.replica);
  }
}

/**
 * The protected resource a signal is about, or `unprotected` when none is (the caller counts and ignores those).
 * The first matching target wins.
 *
 * @param signal - a normalised signal
 * @param targets - the config's `replication.protected`
 */
export function matchTarget(signal: Signal, targets: readonly ProtectedResource[]): ProtectedResource | "unprotected" {
  return targets.find((t) => matches(signal, t)) ?? "unprotected";
}

/**
 * Groups signals by the target they are about, in their input order, and counts the unprotected ones.
 *
 * @param signals - normalised signals
 * @param targets - the config's `replication.protected`
 */
export function routeSignals(
  signals: readonly Signal[],
  targets: readonly ProtectedResource[],
): { byTarget: Map<string, Signal[]>; unprotected: number } {
  const byTarget = new Map<string, Signal[]>();
  let unprotected = 0;
  for (const signal of signals) {
    const target = matchTarget(signal, targets);
    if (target === "unprotected") {
      unprotected += 1;
      continue;
    }
    const list = byTarget.get(target.id) ?? [];
    list.push(signal);
    byTarget.set(target.id, list);
  }
  return { byTarget, unprotected };
}
