/** Tag keys that name a resource's service when the config gives none, compared case-insensitively. */
export const DEFAULT_SERVICE_TAG_KEYS: readonly string[] = ["service", "app", "application", "component"];

/** Tags in any of the shapes AWS events use: `{ k: v }`, `[{ key, value }]` (GuardDuty) or `[{ Key, Value }]` (EC2 API). */
export type TagsLike = Readonly<Record<string, unknown>> | readonly unknown[] | null | undefined;

/** Longest run of words joined into one candidate service key (`shipping-rates-api` is three words). */
const MAX_WORDS_PER_NAME = 4;

/**
 * Reads tags in any shape AWS events use into a plain map; entries that are not string pairs are skipped.
 *
 * @param tags - `{ k: v }`, `[{ key, value }]` or `[{ Key, Value }]`
 */
export function tagsToRecord(tags: TagsLike): Record<string, string> {
  if (tags === null || tags === undefined) return {};
  const out: Record<string, string> = {};
  if (Array.isArray(tags)) {
    for (const entry of tags) {
      if (typeof entry !== "object" || entry === null) continue;
      const e = entry as Record<string, unknown>;
      const key = e.key ?? e.Key;
      const value = e.value ?? e.Value;
      if (typeof key === "string" && typeof value === "string") out[key] = value;
    }
    return out;
  }
  for (const [key, value] of Object.entries(tags)) if (typeof value === "string") out[key] = value;
  return out;
}

/**
 * The service a resource's tags name, from the first of `serviceTagKeys` present (keys compared
 * case-insensitively, so `Service` and `service` both count); undefined when none is set or the value is blank.
 *
 * @param tags - the resource's tags, in any shape AWS events use
 * @param serviceTagKeys - tag keys that carry the service, in priority order
 */
export function serviceFromTags(tags: TagsLike, serviceTagKeys: readonly string[] = DEFAULT_SERVICE_TAG_KEYS): string | undefined {
  if (tags === null || tags === undefined) return undefined;
  const byLowerKey = new Map<string, string>();
  for (const [k, v] of Object.entries(tagsToRecord(tags))) byLowerKey.set(k.toLowerCase(), v);
  for (const key of serviceTagKeys) {
    const value = byLowerKey.get(key.toLowerCase())?.trim();
    if (value !== undefined && value !== "") return value;
  }
  return undefined;
}

/**
 * A service name reduced to lowercase letters and digits, so `shipping-rates`, `ShippingRates`
 * and `shipping_rates` compare equal.
 *
 * @param name - a service name as written anywhere
 */
export function serviceKey(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, "");
}

/**
 * Splits a resource or alarm name into lowercase words across the naming styles in use: separators
 * (`prod-api-alb-5xx`, `catalog/prod/alb/error-rate`, `snake_case`), and case changes inside a segment
 * (`ShippingRates-LAMBDA-Errors` → shipping, rates, lambda, errors).
 *
 * @param name - an alarm, resource or host name
 */
export function nameWords(name: string): string[] {
  return name
    .split(/[^A-Za-z0-9]+/)
    .flatMap((segment) => segment.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+/g) ?? [])
    .map((w) => w.toLowerCase());
}

/**
 * The known service a name mentions as a whole word or run of words (`prod-storefront-alb-5xx`,
 * `ShippingRates-ServiceHealth-Composite`, `pricing/prod/tg/unhealthy-hosts`, `api-prod-1a-1`).
 * A service must match whole words, so `orders` never matches `order-events`. When several services
 * appear, the earliest wins (owners lead names), then the longest (`shipping-rates` over `shipping`).
 *
 * @param name - an alarm, resource or host name
 * @param serviceNames - the services to look for
 */
export function serviceFromName(name: string, serviceNames: Iterable<string>): string | undefined {
  return serviceNameFinder(serviceNames)(name);
}

/**
 * `serviceFromName` for one set of services, their keys built once: the topology index asks it for every alert whose
 * service the topology does not name, and an estate may list thousands of services.
 *
 * @param serviceNames - the services to look for
 */
export function serviceNameFinder(serviceNames: Iterable<string>): (name: string) => string | undefined {
  const byKey = new Map<string, string>();
  for (const s of serviceNames) {
    const key = serviceKey(s);
    if (key !== "") byKey.set(key, s);
  }
  return (name) => {
    const words = nameWords(name);
    for (let start = 0; start < words.length; start++) {
      for (let len = Math.min(MAX_WORDS_PER_NAME, words.length - start); len >= 1; len--) {
        const found = byKey.get(words.slice(start, start + len).join(""));
        if (found !== undefined) return found;
      }
    }
    return undefined;
  };
}
