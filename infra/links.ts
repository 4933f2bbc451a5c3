/**
 * A link that gives a function a resource's name (`Resource.VigilTable.name`, in the bundle and under
 * `sst dev`) without the grant SST attaches to it: linking an `sst.aws.Dynamo` allows `dynamodb:*` on the
 * table, a `Bus` `events:*`, a `KinesisStream` `kinesis:*`. Functions list their own `permissions` instead.
 * It implements SST's public `Link.Linkable` contract (`urn` + `getSSTLink()`) with the same name and
 * properties and no `include`, which is where SST keeps the permissions.
 */
export function nameOnly(resource: { urn: $util.Output<string>; getSSTLink(): { properties: Record<string, unknown> } }) {
  return { urn: resource.urn, getSSTLink: () => ({ properties: resource.getSSTLink().properties }) };
}
