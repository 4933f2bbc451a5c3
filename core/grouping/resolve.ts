import { serviceFromTags, type TagsLike, tagsToRecord } from "./service-names";
import type { Topology } from "./topology";

/** Where an alert's service came from, most to least trusted. */
export type ServiceSource = "topology" | "tags" | "name" | "account";

/** What an event says about where it happened, for `resolveContext`. */
export interface ContextHints {
  account: string;
  region: string;
  /** Resource refs in the event (ARNs, ids, names), main one first. */
  refs: readonly string[];
  /** Tag sets found in the event (GuardDuty instance tags, ASFF resource tags, Health entity tags…). */
  tags?: readonly TagsLike[];
  /** Names that may mention the service: alarm names, resource names, `Name` tags. */
  names?: readonly string[];
  /** An AZ name or zone id the event states. */
  az?: string | undefined;
  /** Free text that may mention an AZ name or zone id (Health descriptions, alarm names). */
  text?: readonly string[];
  /** Whether the refs' topology entries may give the AZ (default true). */
  zoneFromRefs?: boolean;
}

/** Service, AZ and resources of an event after consulting the topology, then tags, then names. */
export interface ResolvedContext {
  service?: string;
  serviceFrom?: ServiceSource;
  az?: string;
  /** The refs with topology ids and names replaced by ARNs where the topology knows them, deduplicated. */
  resources: string[];
  labels: Record<string, string>;
}

const AZ_NAME = /\b[a-z]{2}(?:-gov)?-[a-z]+-\d[a-z]\b/g;
const AZ_NAME_EXACT = /^[a-z]{2}(?:-gov)?-[a-z]+-\d[a-z]$/;
const ZONE_ID = /\b[a-z]{2,4}\d-az\d+\b/g;

function azFromText(topology: Topology, texts: readonly string[]): string | undefined {
  for (const text of texts) {
    for (const match of [...(text.match(AZ_NAME) ?? []), ...(text.match(ZONE_ID) ?? [])]) {
      const az = topology.azName(match) ?? (AZ_NAME_EXACT.test(match) ? match : undefined);
      if (az !== undefined) return az;
    }
  }
  return undefined;
}

/** The first defined `read(item)`, reading no further. */
function firstDefined<T, R>(items: readonly T[], read: (item: T) => R | undefined): R | undefined {
  for (const item of items) {
    const value = read(item);
    if (value !== undefined) return value;
  }
  return undefined;
}

function serviceFromNames(topology: Topology, names: readonly string[]): string | undefined {
  for (const name of names) {
    const found = topology.serviceInName(name);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * Resolves an event's service, AZ and resources. The service comes from the first source that names one:
 * the topology (alarm or resource → service), then the event's resource tags (`serviceTagKeys`), then a
 * known service name appearing as whole words in an alarm or resource name (including `Name` tags), and last
 * the only service the topology places in the account (account-level signals: cost, credentials).
 *
 * @param topology - the indexed topology (may be empty)
 * @param hints - what the event states
 */
export function resolveContext(topology: Topology, hints: ContextHints): ResolvedContext {
  const scope = { account: hints.account, region: hints.region };
  const found = hints.refs.map((ref) => ({ ref, entry: topology.resource(ref, scope) ?? topology.alarm(ref, scope) }));
  const resources = [...new Set(found.map(({ ref, entry }) => entry?.arn ?? ref))];
  const labels: Record<string, string> = {};

  let service: string | undefined;
  let serviceFrom: ServiceSource | undefined;
  // Each source is read only when the ones before it name no service: most alerts stop at the topology.
  const fromTopology = firstDefined(hints.refs, (ref) => topology.serviceOf(ref, scope));
  const tagSets = fromTopology === undefined ? [...(hints.tags ?? []), ...found.map(({ entry }) => entry?.tags)] : [];
  const fromTags = firstDefined(tagSets, (t) => serviceFromTags(t, topology.serviceTagKeys));
  if (fromTopology !== undefined) [service, serviceFrom] = [fromTopology, "topology"];
  else if (fromTags !== undefined) [service, serviceFrom] = [topology.service(fromTags)?.name ?? fromTags, "tags"];
  else {
    const nameTags = tagSets.map((t) => tagsToRecord(t).Name).filter((n): n is string => n !== undefined);
    const fromName = serviceFromNames(topology, [...(hints.names ?? []), ...nameTags, ...hints.refs]);
    const inAccount = topology.servicesInAccount(hints.account);
    if (fromName !== undefined) [service, serviceFrom] = [fromName, "name"];
    else if (inAccount.length === 1) [service, serviceFrom] = [inAccount[0], "account"];
  }

  const statedAz = hints.az === undefined ? undefined : (topology.azName(hints.az) ?? hints.az);
  const az =
    statedAz ??
    (hints.zoneFromRefs === false ? undefined : found.map(({ entry }) => entry?.az).find((a) => a !== undefined)) ??
    azFromText(topology, [...(hints.text ?? []), ...(hints.names ?? [])]);

  if (service !== undefined && serviceFrom !== undefined) {
    labels.serviceFrom = serviceFrom;
    const info = topology.service(service);
    if (info?.team !== undefined) labels.team = info.team;
    if (info?.tier !== undefined) labels.tier = info.tier;
  }
  const zoneId = az === undefined ? undefined : topology.zoneId(az);
  if (zoneId !== undefined) labels.zoneId = zoneId;
  const alias = topology.accountAlias(hints.account);
  if (alias !== undefined) labels.accountAlias = alias;

  return {
    ...(service !== undefined ? { service } : {}),
    ...(serviceFrom !== undefined ? { serviceFrom } : {}),
    ...(az !== undefined ? { az } : {}),
    resources,
    labels,
  };
}
