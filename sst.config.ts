/// <reference path="./.sst/platform/config.d.ts" />

/**
 * Vigil's deployment: this file only composes. Each concern is declared in `infra/`, imported
 * in dependency order (resources before the functions that link them).
 */
export default $config({
  app(input) {
    const production = input?.stage === "production";
    return {
      name: "vigil",
      home: "aws",
      removal: production ? "retain" : "remove",
      protect: production,
    };
  },
  async run() {
    const { table } = await import("./infra/table");
    const { opsBus } = await import("./infra/bus");
    const { metricsStream } = await import("./infra/stream");
    const { auditWriter, anomalyScorer } = await import("./infra/functions");

    return {
      table: table.name,
      opsBus: opsBus.name,
      metricsStream: metricsStream.name,
      auditWriter: auditWriter.name,
      anomalyScorer: anomalyScorer.name,
    };
  },
});
