/** An EventBridge pattern as the config and events/patterns.ts write them. */
type Pattern = Readonly<Record<string, unknown>>;

/** Envelope fields compared: every remediator family and most policies name both. */
const FIELDS = ["source", "detail-type"] as const;

/** An event value a family's field list accepts: equal to a listed string, or under a listed prefix. */
function familyAccepts(values: readonly unknown[], value: string): boolean {
  return values.some((v) => v === value || (typeof v === "object" && v !== null && "prefix" in v && typeof v.prefix === "string" && value.startsWith(v.prefix)));
}

/** Whether the family's and the policy's lists for one field could both accept some value. */
function fieldMayOverlap(family: unknown, policy: unknown): boolean {
  if (!Array.isArray(family) || !Array.isArray(policy)) return true;
  // Only a list of plain strings is read as a limit; any other matcher (prefix, anything-but, wildcard) may overlap.
  if (!policy.every((v): v is string => typeof v === "string")) return true;
  return policy.some((value) => familyAccepts(family, value));
}

/**
 * Whether an event could match both a remediator family and a policy's `on`. Sound, not exact: it reads only
 * `source` and `detail-type` lists of plain strings in the policy (and plain strings or `prefix` in the family),
 * and says yes for anything else (an `$or`, a matcher it does not read, a field left open).
 */
export function mayOverlap(family: Pattern, policy: Pattern): boolean {
  if ("$or" in policy || "$or" in family) return true;
  return FIELDS.every((field) => fieldMayOverlap(family[field], policy[field]));
}

/**
 * Which of the remediator's ops-bus families (events/patterns.ts `remediator`) some policy can match, one flag
 * per family in order. infra/ and the local runtime subscribe the remediator to those only, so an event no policy
 * can act on never invokes it: with no policies it runs on its schedule alone (a replay of 100,000 alerts
 * invoked it 31,669 times to do nothing). The handler still matches each policy against the event.
 *
 * @param families - the remediator's ops-bus patterns
 * @param policies - the config's remediation policies
 */
export function subscribedFamilies(families: readonly Pattern[], policies: readonly { on: Pattern }[]): boolean[] {
  return families.map((family) => policies.some((policy) => mayOverlap(family, policy.on)));
}
