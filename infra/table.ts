import { TTL_ATTRIBUTE, tableDefinition } from "../core/store/table";
import { isProduction } from "./stage";
import { dynamoLayout } from "./table-layout";

/**
 * The single table. Keys and indexes come from the store's own `tableDefinition`, the one
 * source of truth the local runtime also creates its table from.
 */
export const table = new sst.aws.Dynamo("VigilTable", {
  ...dynamoLayout(tableDefinition("VigilTable")),
  ttl: TTL_ATTRIBUTE,
  deletionProtection: isProduction,
  transform: {
    table: (args) => {
      // SST enables point-in-time recovery everywhere; only production's data is worth its cost.
      args.pointInTimeRecovery = { enabled: isProduction };
    },
  },
});
