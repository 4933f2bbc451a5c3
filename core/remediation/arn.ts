/** An EC2 resource's ARN, or its bare id when the event names no region or account. */
export function ec2Ref(kind: string, id: string, region?: string, account?: string): string {
  return region && account ? `arn:aws:ec2:${region}:${account}:${kind}/${id}` : id;
}

/** An IAM principal's ARN (without a path: CloudTrail grant calls name principals only by name). */
export function iamRef(kind: "user" | "role" | "group", name: string, account?: string): string {
  return account ? `arn:aws:iam::${account}:${kind}/${name}` : name;
}
