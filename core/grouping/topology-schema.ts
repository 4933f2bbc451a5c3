import * as z from "zod";

/** Tags as a CMDB or tag export writes them: `{ key: value }`. */
const TagsSchema = z.record(z.string(), z.string());

/** One AWS account and its human alias. */
export const TopologyAccountSchema = z.looseObject({
  id: z.string().min(1),
  alias: z.string().optional(),
});

/** One availability zone: its name in the account (`us-east-1a`) and its physical id (`use1-az4`). */
export const TopologyAvailabilityZoneSchema = z.looseObject({
  name: z.string().min(1),
  zoneId: z.string().min(1).optional(),
});

/** One region and its availability zones. */
export const TopologyRegionSchema = z.looseObject({
  name: z.string().min(1),
  primary: z.boolean().optional(),
  availabilityZones: z.array(TopologyAvailabilityZoneSchema).default([]),
});

/** One service: who owns it and which services it depends on. */
export const TopologyServiceSchema = z.looseObject({
  name: z.string().min(1),
  team: z.string().optional(),
  tier: z.string().optional(),
  compute: z.string().optional(),
  account: z.string().optional(),
  accountAlias: z.string().optional(),
  regions: z.array(z.string()).default([]),
  tags: TagsSchema.optional(),
  /** Services this one calls or needs; the failure of one of them can surface here. */
  dependsOn: z.array(z.string()).default([]),
  /** How the service names its alarms (`kebab`, `pascal`, `slash`); informational. */
  alarmNamingStyle: z.string().optional(),
});

/**
 * A dependency edge. `calls`: service → service; `publishes`: producer → queue owner;
 * `uses`/`consumes`: service → data-store ARN (or service name). Other kinds are kept and read as `uses`.
 */
export const TopologyEdgeSchema = z.looseObject({
  from: z.string().min(1),
  to: z.string().min(1),
  kind: z.string().default("calls"),
});

/** One resource as a CMDB/tag export lists it. */
export const TopologyResourceSchema = z.looseObject({
  /** CloudFormation type, e.g. `AWS::EC2::Instance`. */
  type: z.string().optional(),
  id: z.string().min(1),
  arn: z.string().optional(),
  name: z.string().optional(),
  service: z.string().optional(),
  account: z.string().optional(),
  region: z.string().optional(),
  az: z.string().optional(),
  azId: z.string().optional(),
  tags: TagsSchema.optional(),
  attrs: z.record(z.string(), z.unknown()).optional(),
});

/** One CloudWatch alarm (metric or composite) and what it watches. */
export const TopologyAlarmSchema = z.looseObject({
  type: z.string().optional(),
  /** `metric` or `composite`. */
  kind: z.string().optional(),
  name: z.string().min(1),
  arn: z.string().optional(),
  service: z.string().optional(),
  account: z.string().optional(),
  region: z.string().optional(),
  az: z.string().optional(),
  namespace: z.string().optional(),
  metricName: z.string().optional(),
  dimensions: z.record(z.string(), z.string()).optional(),
  /** ARN (or id) of the resource the alarm's metric describes. */
  monitoredResource: z.string().optional(),
  alarmRule: z.string().optional(),
  /** Child alarm ARNs of a composite alarm. */
  children: z.array(z.string()).optional(),
  tags: TagsSchema.optional(),
});

/**
 * The topology format: what a CMDB or tag export gives (`../shared/scenarios/*\/topology.json`), the config's
 * `topology` section, or a `--topology` file. Every section is optional, so an empty topology is valid and
 * Vigil falls back to tags and names. `serviceTagKeys` (an extension) names the tags that carry a service.
 */
export const TopologySchema = z.looseObject({
  org: z.string().optional(),
  environment: z.string().optional(),
  accounts: z.array(TopologyAccountSchema).default([]),
  regions: z.array(TopologyRegionSchema).default([]),
  services: z.array(TopologyServiceSchema).default([]),
  edges: z.array(TopologyEdgeSchema).default([]),
  resources: z.array(TopologyResourceSchema).default([]),
  alarms: z.array(TopologyAlarmSchema).default([]),
  serviceTagKeys: z.array(z.string().min(1)).optional(),
});
export type TopologyInput = z.input<typeof TopologySchema>;
export type TopologyData = z.infer<typeof TopologySchema>;
export type TopologyService = z.infer<typeof TopologyServiceSchema>;
export type TopologyResource = z.infer<typeof TopologyResourceSchema>;
export type TopologyAlarm = z.infer<typeof TopologyAlarmSchema>;
