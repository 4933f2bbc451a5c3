import { correlationScopes, type CorrelationScopes } from "./correlation-scopes";
import { DEFAULT_SERVICE_TAG_KEYS, serviceKey, serviceNameFinder } from "./service-names";
// Types only: a function indexing the deploy-validated topology never loads the zod schema (see topology.ts).
import type { TopologyAlarm, TopologyData, TopologyResource, TopologyService } from "./topology-schema";

/** Narrows a lookup to one account and region when the caller knows them (names repeat across both). */
export interface LookupScope {
  account?: string | undefined;
  region?: string | undefined;
}

/** A service with its dependencies resolved in both directions. */
export interface ServiceInfo {
  name: string;
  team?: string | undefined;
  tier?: string | undefined;
  /** Services this one depends on: `dependsOn`, `calls`/`publishes` edges, owners of data stores it uses. */
  dependencies: readonly string[];
  /** Services that depend on this one. */
  dependents: readonly string[];
}

/** A topology indexed for the lookups normalisation and correlation make on every alert. */
export interface Topology {
  /** Known service names, in the order the topology lists them. */
  readonly serviceNames: readonly string[];
  /** Tag keys that carry a service, in priority order. */
  readonly serviceTagKeys: readonly string[];
  /** A service by name (exact, or the same letters and digits: `ShippingRates` finds `shipping-rates`). */
  service(name: string): ServiceInfo | undefined;
  /** A resource by ARN, id, name or SQS URL. */
  resource(ref: string, scope?: LookupScope): TopologyResource | undefined;
  /** An alarm by ARN or name. */
  alarm(ref: string, scope?: LookupScope): TopologyAlarm | undefined;
  /** The service owning a resource or alarm (ARN, id, name…), when the topology says so unambiguously. */
  serviceOf(ref: string, scope?: LookupScope): string | undefined;
  /** Services the topology places in an account. */
  servicesInAccount(accountId: string): readonly string[];
  /** The known service a name mentions as whole words (see `serviceFromName`). */
  serviceInName(name: string): string | undefined;
  /** Services `service` depends on (empty when unknown). */
  dependenciesOf(service: string): readonly string[];
  /** Services that depend on `service` (empty when unknown). */
  dependentsOf(service: string): readonly string[];
  /** AZ name (`us-east-1b`) of a zone id (`use1-az6`) or of an AZ name; undefined when unknown. */
  azName(zoneIdOrName: string): string | undefined;
  /** Zone id (`use1-az6`) of an AZ name (`us-east-1b`). */
  zoneId(azName: string): string | undefined;
  /** The alias of an account id. */
  accountAlias(accountId: string): string | undefined;
  /** Which correlation scope each account's alerts go to: accounts the topology links share one (see `correlationScopes`). */
  readonly scopes: CorrelationScopes;
}

/** Region of IAM and other global resources in a topology export; matches any region. */
const GLOBAL_REGION = "global";

/** Entries under one lookup key; names and ids can repeat across accounts and regions. */
type Index<T> = Map<string, T[]>;

function add<T>(index: Index<T>, key: string | undefined, value: T): void {
  if (key === undefined || key === "") return;
  const list = index.get(key);
  if (list === undefined) index.set(key, [value]);
  else if (!list.includes(value)) list.push(value);
}

/** The one entry a key names in the scope, or undefined when none or several with different owners remain. */
function pick<T extends { account?: string | undefined; region?: string | undefined; service?: string | undefined }>(
  index: Index<T>,
  ref: string,
  scope: LookupScope | undefined,
): T | undefined {
  const all = index.get(ref);
  if (all === undefined) return undefined;
  const scoped = all.filter(
    (e) =>
      (scope?.account === undefined || e.account === undefined || e.account === scope.account) &&
      (scope?.region === undefined || e.region === undefined || e.region === scope.region || e.region === GLOBAL_REGION),
  );
  const candidates = scoped.length > 0 ? scoped : all;
  const first = candidates[0];
  return candidates.every((c) => c.service === first?.service) ? first : undefined;
}

/** The queue name of an SQS URL (`https://sqs.us-east-1.amazonaws.com/123/name`), so URLs and names both resolve. */
function lastPathSegment(ref: string): string | undefined {
  return /^https?:\/\//.test(ref) ? ref.split("/").pop() : undefined;
}

function resolveDependencies(
  services: readonly TopologyService[],
  edges: readonly { from: string; to: string; kind: string }[],
  ownerOf: (ref: string) => string | undefined,
): Map<string, Set<string>> {
  const deps = new Map<string, Set<string>>(services.map((s) => [s.name, new Set(s.dependsOn)]));
  for (const edge of edges) {
    const from = ownerOf(edge.from) ?? edge.from;
    const to = ownerOf(edge.to) ?? edge.to;
    if (from === to) continue;
    const set = deps.get(from) ?? new Set<string>();
    set.add(to);
    deps.set(from, set);
  }
  return deps;
}


/**
 * Indexes a topology that `TopologySchema` already validated, as `buildTopology` (topology.ts) does after
 * validating: for the config a deploy validated (a function's `config().topology`), which is not
 * validated again at each cold start.
 *
 * @param data - a topology as `TopologySchema` outputs it
 */
export function indexTopology(data: TopologyData): Topology {

  const serviceByKey = new Map<string, string>();
  for (const s of data.services) serviceByKey.set(serviceKey(s.name), s.name);
  const canonical = (name: string | undefined) => (name === undefined ? undefined : (serviceByKey.get(serviceKey(name)) ?? name));

  const resources: Index<TopologyResource> = new Map();
  for (const r of data.resources) {
    const entry = { ...r, service: canonical(r.service) };
    // Alternate ids of the resource itself (`dbiResourceId`: Config and CloudTrail name RDS instances by it).
    const altIds = Object.entries(r.attrs ?? {}).flatMap(([k, v]) => (/resourceid$/i.test(k) && typeof v === "string" ? [v] : []));
    for (const key of [r.arn, r.id, r.name, lastPathSegment(r.id), ...altIds]) add(resources, key, entry);
  }
  const alarms: Index<TopologyAlarm> = new Map();
  for (const a of data.alarms) {
    const entry = { ...a, service: canonical(a.service) };
    add(alarms, a.arn, entry);
    add(alarms, a.name, entry);
  }

  const ownerOf = (ref: string, scope?: LookupScope) =>
    serviceByKey.get(serviceKey(ref)) ?? pick(resources, ref, scope)?.service ?? pick(alarms, ref, scope)?.service;

  const deps = resolveDependencies(data.services, data.edges, (ref) => ownerOf(ref));
  const dependents = new Map<string, Set<string>>();
  for (const [from, tos] of deps) {
    for (const to of tos) {
      const set = dependents.get(to) ?? new Set<string>();
      set.add(from);
      dependents.set(to, set);
    }
  }

  const infos = new Map<string, ServiceInfo>();
  for (const s of data.services) {
    infos.set(s.name, {
      name: s.name,
      team: s.team,
      tier: s.tier,
      dependencies: [...(deps.get(s.name) ?? [])],
      dependents: [...(dependents.get(s.name) ?? [])],
    });
  }

  const azByZoneId = new Map<string, string>();
  const zoneIdByAz = new Map<string, string>();
  for (const region of data.regions) {
    for (const az of region.availabilityZones) {
      azByZoneId.set(az.name, az.name);
      if (az.zoneId !== undefined) {
        azByZoneId.set(az.zoneId, az.name);
        zoneIdByAz.set(az.name, az.zoneId);
      }
    }
  }
  const aliases = new Map(data.accounts.flatMap((a) => (a.alias === undefined ? [] : [[a.id, a.alias] as const])));
  const serviceNames = data.services.map((s) => s.name);
  const servicesByAccount = new Map<string, string[]>();
  for (const s of data.services) if (s.account !== undefined) servicesByAccount.set(s.account, [...(servicesByAccount.get(s.account) ?? []), s.name]);
  const service = (name: string) => {
    const found = canonical(name);
    return found === undefined ? undefined : infos.get(found);
  };

  const serviceInName = serviceNameFinder(serviceNames);
  const indexed: Omit<Topology, "scopes"> = {
    serviceNames,
    serviceTagKeys: data.serviceTagKeys ?? DEFAULT_SERVICE_TAG_KEYS,
    service,
    resource: (ref, scope) => pick(resources, ref, scope) ?? pick(resources, lastPathSegment(ref) ?? "", scope),
    alarm: (ref, scope) => pick(alarms, ref, scope),
    serviceOf: (ref, scope) => ownerOf(ref, scope) ?? pick(resources, lastPathSegment(ref) ?? "", scope)?.service,
    serviceInName,
    dependenciesOf: (name) => service(name)?.dependencies ?? [],
    dependentsOf: (name) => service(name)?.dependents ?? [],
    azName: (ref) => azByZoneId.get(ref),
    zoneId: (az) => zoneIdByAz.get(az),
    accountAlias: (id) => aliases.get(id),
    servicesInAccount: (id) => servicesByAccount.get(id) ?? [],
  };
  return { ...indexed, scopes: correlationScopes(data, indexed) };
}
