/** The parts of an ARN the replication model reads. */
export interface ArnParts {
  partition: string;
  service: string;
  region: string;
  account: string;
  /** Everything after the account, e.g. `table/orders` or `db:orders-db`. */
  resource: string;
}

/**
 * Splits an ARN; undefined when `ref` is not one.
 *
 * @param ref - any resource reference
 */
export function parseArn(ref: string): ArnParts | undefined {
  const m = /^arn:([^:]+):([^:]+):([^:]*):([^:]*):(.+)$/.exec(ref);
  if (m === null) return undefined;
  const [, partition = "", service = "", region = "", account = "", resource = ""] = m;
  return { partition, service, region, account, resource };
}

/**
 * A bucket's name from its ARN (`arn:aws:s3:::assets` → `assets`), or the input when it is already a name.
 *
 * @param ref - a bucket ARN or name
 */
export function bucketName(ref: string): string {
  const parts = parseArn(ref);
  return parts?.service === "s3" ? parts.resource : ref;
}

/**
 * The last id of an ARN's resource part (`table/orders` → `orders`, `db:orders-db` → `orders-db`).
 *
 * @param ref - an ARN or a plain id
 */
export function resourceName(ref: string): string {
  const resource = parseArn(ref)?.resource ?? ref;
  return resource.split(/[/:]/).pop() ?? resource;
}
