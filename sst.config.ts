/// <reference path="./.sst/platform/config.d.ts" />

/**
 * Vigil's deployment: this file only composes. Each concern is declared in `infra/`, imported
 * in dependency order (resources before the functions that use them, functions before their
 * subscriptions, every rule before the dead-letter queue's policy that names them).
 */
export default $config({
  app(input) {
    // The same list as infra/stage.ts's PRODUCTION_STAGES: app() runs before any import.
    const production = ["prod", "production"].includes(input?.stage ?? "");
    return {
      name: "vigil",
      home: "aws",
      removal: production ? "retain" : "remove",
      protect: production,
    };
  },
  async run() {
    const { table } = await import("./infra/table");
    await import("./infra/dead-letters");
    await import("./infra/audit-queue");
    const { opsBus } = await import("./infra/bus");
    const { metricsStream, alertStream } = await import("./infra/stream");
    await import("./infra/secrets");
    const { approve } = await import("./infra/functions");
    await import("./infra/subscriptions");
    const { metricDelivery, metricArchive } = await import("./infra/metric-stream");
    const { s3NotificationCommands } = await import("./infra/replication-notifications");
    await import("./infra/subscribers");
    await import("./infra/alarms");
    await import("./infra/dead-letter-policy");

    return {
      table: table.name,
      opsBus: opsBus.name,
      metricsStream: metricsStream.name,
      alertStream: alertStream.name,
      approvalUrl: approve.url,
      metricDelivery: metricDelivery.name,
      metricArchive: metricArchive.bucket,
      s3ReplicationNotifications: s3NotificationCommands,
    };
  },
});
