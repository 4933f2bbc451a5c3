import type { Link, ResourceRef, Severity } from "../../events/outbound/envelope";
import type { ReplicationRpoBreachedDetail, ReplicationRpoRestoredDetail } from "../../events/outbound/replication";
import { parseArn } from "./arn";
import type { ProtectedResource } from "./config";
import type { ReplicationTransition } from "./model";



const RESOURCE_TYPE = { s3: "AWS::S3::Bucket", dynamodb: "AWS::DynamoDB::GlobalTable", rds: "AWS::RDS::DBInstance" } as const;

function resourceRef(target: ProtectedResource): ResourceRef {
  const arn = parseArn(target.resource);
  const type = target.kind === "rds" && arn?.resource.startsWith("cluster:") === true ? "AWS::RDS::DBCluster" : RESOURCE_TYPE[target.kind];
  return {
    id: target.resource,
    type,
    ...(arn?.account ? { account: arn.account } : {}),
    ...(arn?.region ? { region: arn.region } : {}),
  };
}

/** The replica when there is exactly one to name: the S3 replica bucket, or a single DynamoDB replica region's table. */
function replicaRef(target: ProtectedResource): ResourceRef | undefined {
  if (target.kind === "s3") return { id: target.replica, type: RESOURCE_TYPE.s3 };
  const [region] = target.replicaRegions;
  if (target.kind !== "dynamodb" || target.replicaRegions.length !== 1 || region === undefined) return undefined;
  const arn = parseArn(target.resource);
  return { id: target.resource.replace(`:${arn?.region ?? ""}:`, `:${region}:`), type: RESOURCE_TYPE.dynamodb, region };
}

function summary(t: ReplicationTransition, target: ProtectedResource): string {
  const rpo = t.observedRpoMinutes === null ? "unknown" : `${t.observedRpoMinutes.toFixed(1)} min`;
  if (t.type === "restored") return `${target.id} (${target.kind}) back within RPO: ${rpo} <= ${target.rpoMinutes} min`;
  if (t.status === "stale") return `${target.id} (${target.kind}) replication signals stopped: ${t.reason}`;
  return `${target.id} (${target.kind}) behind its ${target.rpoMinutes} min RPO: ${t.reason}`;
}

/** Everything a detail needs beyond the transition: the emission's id and optional links. */
export interface DetailContext {
  eventId: string;
  links?: Link[];
}

/**
 * Builds the outbound detail of a transition: `Replication RPO Breached` (error; warning when stale)
 * or `Replication RPO Restored` (info). `dedupKey` is stable per target so a restore resolves its breach.
 *
 * @param transition - the transition `evaluate` or `applySignal` returned
 * @param target - its protected resource
 * @param context - the emission's id and links
 */
export function replicationDetail(
  transition: ReplicationTransition,
  target: ProtectedResource,
  context: DetailContext,
):
  | { detailType: "Replication RPO Breached"; detail: ReplicationRpoBreachedDetail }
  | { detailType: "Replication RPO Restored"; detail: ReplicationRpoRestoredDetail } {
  const replica = replicaRef(target);
  const payload = {
    targetId: target.id,
    kind: target.kind,
    resource: resourceRef(target),
    ...(replica === undefined ? {} : { replica }),
    rpoMinutes: target.rpoMinutes,
    lastSignalAt: transition.lastSignalAt === null ? null : new Date(transition.lastSignalAt).toISOString(),
    signal: transition.source === null ? ("none" as const) : transition.source,
  };
  const severity: Severity = transition.type === "restored" ? "info" : transition.status === "stale" ? "warning" : "error";
  const base = {
    schemaVersion: "1" as const,
    id: target.id,
    eventId: context.eventId,
    severity,
    summary: summary(transition, target).slice(0, 1024),
    dedupKey: `vigil:replication:${target.id}`,
    occurredAt: new Date(transition.at).toISOString(),
    links: context.links ?? [],
  };
  if (transition.type === "restored") {
    const observed = transition.observedRpoMinutes ?? 0;
    return { detailType: "Replication RPO Restored", detail: { ...base, replication: { ...payload, status: "ok", observedRpoMinutes: observed } } };
  }
  const status = transition.status === "stale" ? "stale" : "breached";
  return {
    detailType: "Replication RPO Breached",
    detail: { ...base, replication: { ...payload, status, observedRpoMinutes: transition.observedRpoMinutes } },
  };
}
