import type { AsffFinding, GuardDutyFindingEvent, SecurityHubFindingsImportedEvent } from "../../events/inbound";
import type { Alert, NormaliseResult, Severity } from "./alert";
import { instanceArn } from "./arn";
import { buildAlert, eventTimeOf } from "./draft";
import { resolveContext } from "./resolve";
import type { TagsLike } from "./service-names";
import type { Topology } from "./topology";

/**
 * GuardDuty's numeric severity in PagerDuty levels, by GuardDuty's own bands: critical 9.0–10.0 → `critical`,
 * high 7.0–8.9 → `error`, medium 4.0–6.9 → `warning`, low below 4.0 → `info`.
 *
 * @param severity - `detail.severity`, 0–10
 */
export function guardDutySeverity(severity: number): Severity {
  if (severity >= 9) return "critical";
  if (severity >= 7) return "error";
  if (severity >= 4) return "warning";
  return "info";
}

/** Security Hub's `Severity.Label` in PagerDuty levels: CRITICAL, HIGH → error, MEDIUM → warning, LOW and INFORMATIONAL → info. */
export const SECURITY_HUB_SEVERITY: Record<AsffFinding["Severity"]["Label"], Severity> = {
  CRITICAL: "critical",
  HIGH: "error",
  MEDIUM: "warning",
  LOW: "info",
  INFORMATIONAL: "info",
};

type Loose = Record<string, unknown>;

function obj(value: unknown): Loose | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Loose) : undefined;
}
function str(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}
function list(value: unknown): Loose[] {
  return Array.isArray(value) ? value.flatMap((v) => (obj(v) === undefined ? [] : [v as Loose])) : [];
}

/**
 * Refs naming who used a credential: the instance when the session is named after one (`AROA…:i-0abc`, EC2
 * instance roles), first since stolen instance credentials are that instance's compromise (its incident takes the
 * finding by resource, however late); then the role id (before the colon) and the principal's name.
 */
function principalRefs(region: string, account: string, principalId: string | undefined, principalName: string | undefined): string[] {
  const [roleId, session] = principalId?.split(":") ?? [];
  const refs = [roleId, principalName].filter((r): r is string => r !== undefined && r !== "");
  if (session !== undefined && /^i-[0-9a-f]+$/.test(session)) refs.unshift(instanceArn(region, account, session));
  return refs;
}

/** Resources, tags and AZ a GuardDuty `resource` block names, whatever its `resourceType`. */
function guardDutyResources(detail: GuardDutyFindingEvent["detail"]) {
  const resource = detail.resource as Loose;
  const instance = obj(resource.instanceDetails);
  const refs: string[] = [];
  const tags: TagsLike[] = [];
  const instanceId = str(instance?.instanceId);
  if (instanceId !== undefined) refs.push(instanceArn(detail.region, detail.accountId, instanceId));
  if (instance !== undefined) tags.push(instance.tags as TagsLike);
  for (const bucket of list(resource.s3BucketDetails)) {
    const arn = str(bucket.arn) ?? str(bucket.name);
    if (arn !== undefined) refs.push(arn);
    tags.push(bucket.tags as TagsLike);
  }
  for (const key of ["eksClusterDetails", "ecsClusterDetails", "lambdaDetails", "rdsDbInstanceDetails"]) {
    const block = obj(resource[key]);
    const ref = str(block?.arn) ?? str(block?.functionArn) ?? str(block?.dbInstanceArn) ?? str(block?.name);
    if (ref !== undefined) refs.push(ref);
    if (block !== undefined) tags.push(block.tags as TagsLike);
  }
  const accessKey = obj(resource.accessKeyDetails);
  const principal = str(accessKey?.userName);
  refs.push(...principalRefs(detail.region, detail.accountId, str(accessKey?.principalId), principal));
  return { refs, tags, az: str(instance?.availabilityZone), principal };
}

/**
 * Normalises a `GuardDuty Finding`. Fingerprint: the finding ARN (stable while GuardDuty re-publishes the
 * finding with a growing `service.count`, and equal to the `Id` of its Security Hub import, so both dedup).
 * Firing unless `service.archived` (then resolved); severity by `guardDutySeverity`.
 *
 * @param event - a parsed GuardDuty finding event
 * @param topology - the indexed topology
 */
export function normaliseGuardDuty(event: GuardDutyFindingEvent, topology: Topology): NormaliseResult {
  const { detail } = event;
  const found = guardDutyResources(detail);
  const service = obj(detail.service);
  const action = obj(service?.action);
  const connection = obj(action?.networkConnectionAction) ?? obj(action?.portProbeAction);
  const remoteIp = str(obj(obj(connection?.remoteIpDetails))?.ipAddressV4);
  const ctx = resolveContext(topology, {
    account: detail.accountId,
    region: detail.region,
    refs: found.refs,
    tags: found.tags,
    az: found.az,
  });
  const alert = buildAlert(
    event,
    {
      fingerprint: `finding:${detail.arn}`,
      status: detail.service?.archived === true ? "resolved" : "firing",
      severity: guardDutySeverity(detail.severity),
      kind: "guardduty.finding",
      title: detail.type,
      summary: `GuardDuty ${detail.type} (severity ${detail.severity}): ${detail.title}`,
      eventTime: eventTimeOf(event, detail.updatedAt),
      account: detail.accountId,
      region: detail.region,
      labels: {
        findingType: detail.type,
        findingId: detail.id,
        resourceType: detail.resource.resourceType,
        actionType: str(action?.actionType),
        remoteIp,
        principal: found.principal,
        count: detail.service?.count === undefined ? undefined : String(detail.service.count),
      },
    },
    ctx,
  );
  return { alerts: [alert] };
}

function asffResolved(f: AsffFinding): boolean {
  const workflow = f.Workflow?.Status;
  return f.Compliance?.Status === "PASSED" || f.RecordState === "ARCHIVED" || workflow === "RESOLVED" || workflow === "SUPPRESSED";
}

function asffAlert(event: SecurityHubFindingsImportedEvent, f: AsffFinding, topology: Topology): Alert {
  const fields = f.ProductFields as Record<string, string> | undefined;
  const region = f.Resources.map((r) => r.Region).find((r) => r !== undefined) ?? str((f as Loose).Region) ?? event.region;
  const compliance = f.Compliance as Loose | undefined;
  const product = f.ProductArn.split("/").pop();
  const ctx = resolveContext(topology, {
    account: f.AwsAccountId,
    region,
    refs: f.Resources.flatMap((r) => {
      const key = obj(obj(r.Details)?.AwsIamAccessKey);
      return [r.Id, ...principalRefs(region, f.AwsAccountId, str(key?.PrincipalId), str(key?.PrincipalName))];
    }),
    tags: f.Resources.map((r) => r.Tags),
  });
  return buildAlert(
    event,
    {
      fingerprint: `finding:${f.Id}`,
      status: asffResolved(f) ? "resolved" : "firing",
      severity: SECURITY_HUB_SEVERITY[f.Severity.Label],
      kind: "securityhub.findings-imported",
      title: f.Title,
      summary: `Security Hub ${f.Severity.Label}${f.Compliance ? ` ${f.Compliance.Status}` : ""}: ${f.Title}`,
      eventTime: eventTimeOf(event, f.UpdatedAt),
      account: f.AwsAccountId,
      region,
      labels: {
        product,
        generatorId: f.GeneratorId,
        findingType: f.Types?.[0],
        complianceStatus: f.Compliance?.Status,
        controlId: str(compliance?.SecurityControlId),
        configRule: fields?.["RelatedAWSResources:0/name"],
        resourceType: f.Resources[0]?.Type,
      },
    },
    ctx,
  );
}

/**
 * Normalises `Security Hub Findings - Imported`: one alert per finding in the batch. Fingerprint: the finding
 * `Id` (a control finding's id is stable per control and resource; an imported GuardDuty finding's id is the
 * GuardDuty finding ARN). Resolved when `Compliance.Status` is PASSED, `RecordState` ARCHIVED or the workflow
 * RESOLVED/SUPPRESSED; severity from `Severity.Label` (`SECURITY_HUB_SEVERITY`).
 *
 * @param event - a parsed Security Hub import
 * @param topology - the indexed topology
 */
export function normaliseSecurityHub(event: SecurityHubFindingsImportedEvent, topology: Topology): NormaliseResult {
  const [first, ...rest] = event.detail.findings.map((f) => asffAlert(event, f, topology));
  if (first === undefined) return { ignored: `Security Hub event ${event.id} carries no finding`, code: "grouping.malformed_event" };
  return { alerts: [first, ...rest] };
}
