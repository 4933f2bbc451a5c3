/** The parts of an ARN Vigil reads. */
export interface ArnParts {
  service: string;
  region: string;
  account: string;
  /** Everything after the account, e.g. `instance/i-0abc` or `alarm:my-alarm`. */
  resource: string;
}

/**
 * Splits an ARN; undefined when `ref` is not one.
 *
 * @param ref - any resource reference
 */
export function parseArn(ref: string): ArnParts | undefined {
  const m = /^arn:[^:]+:([^:]*):([^:]*):([^:]*):(.+)$/.exec(ref);
  if (m === null) return undefined;
  const [, service = "", region = "", account = "", resource = ""] = m;
  return { service, region, account, resource };
}

/**
 * The last id in an ARN's resource part (`instance/i-0abc` → `i-0abc`, `db:orders-db` → `orders-db`), or `ref` itself.
 *
 * @param ref - an ARN or a plain id
 */
export function shortId(ref: string): string {
  const resource = parseArn(ref)?.resource ?? ref;
  return resource.split(/[/:]/).pop() ?? resource;
}

/**
 * An EC2 instance's ARN, built from its id.
 *
 * @param region - the instance's region
 * @param account - its account
 * @param instanceId - `i-…`
 */
export function instanceArn(region: string, account: string, instanceId: string): string {
  return `arn:aws:ec2:${region}:${account}:instance/${instanceId}`;
}

/**
 * Whether two references name the same EC2 instance in the same account, whatever region each names (GuardDuty reports
 * stolen instance credentials in the region they were used from, so the instance's ARN built from it may name another).
 *
 * @param a - an ARN
 * @param b - an ARN
 */
export function sameInstance(a: string, b: string): boolean {
  const x = parseArn(a);
  const y = parseArn(b);
  return x !== undefined && y !== undefined && x.service === "ec2" && y.service === "ec2" && x.account === y.account && x.resource.startsWith("instance/") && x.resource === y.resource;
}
