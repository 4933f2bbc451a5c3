/* Linked resources, as `sst dev` / `sst deploy` regenerate this file from sst.config.ts. */
/* The local runtime provides the same names through SST_RESOURCE_* variables. */
import "sst";
declare module "sst" {
  export interface Resource {
    VigilTable: { name: string; type: "sst.aws.Dynamo" };
    OpsBus: { arn: string; name: string; type: "sst.aws.Bus" };
    MetricsStream: { name: string; type: "sst.aws.KinesisStream" };
  }
}
export {};
