import { existsSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import type { VigilConfig } from "../core/config";
import { publishEvents } from "../core/publish/publisher";
import { createStore } from "../core/store/service";
import { RollbackRefusedError, rollbackRemediation } from "../functions/lib/remediation-rollback";
import { startRuntime } from "./runtime";

/** Bad usage of `vigil remediation`; the CLI prints it with the usage text. */
export class RemediationUsageError extends Error {
  override readonly name = "RemediationUsageError";
  readonly code = "cli.usage";
}

/**
 * `vigil remediation rollback <remediationId> [--config F] [--data DIR]`: undoes an executed
 * remediation stored in DIR (default .vigil) on the account the standard AWS chain points at
 * (`AWS_ENDPOINT_URL` for moto_server), audits it and publishes it as the function would.
 *
 * @param loadConfig - how the CLI reads `--config` (the default config when absent)
 * @returns the exit code: 0 rolled back (or already was), 1 the rollback failed, 2 refused
 */
export async function cmdRemediation(args: string[], loadConfig: (path: string | undefined) => VigilConfig): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { config: { type: "string" }, data: { type: "string", default: ".vigil" } } });
  const [sub, remediationId, ...extra] = positionals;
  if (sub !== "rollback" || !remediationId || extra.length > 0) throw new RemediationUsageError("remediation has one subcommand: rollback <remediationId>");
  if (!existsSync(join(values.data, "dynamodb"))) {
    throw new RemediationUsageError(`no Vigil data in "${values.data}": run \`vigil replay --data ${values.data} …\` first`);
  }
  const config = loadConfig(values.config);
  const runtime = await startRuntime({ config, dataDir: values.data });
  // Created after the runtime set AWS_ENDPOINT_URL_EVENTBRIDGE, so it publishes to the local bus.
  const eventbridge = new EventBridgeClient({});
  try {
    const result = await rollbackRemediation(
      {
        store: createStore({ client: runtime.dynamodb, table: runtime.names.table }),
        chainId: config.audit.chainId,
        now: new Date(),
        actor: `cli:${process.env.USER ?? "unknown"}`,
        publish: (entries) => publishEvents(eventbridge, runtime.names.bus, entries),
      },
      remediationId,
    );
    await runtime.settle();
    const verb = result.duplicate ? "was already rolled back" : "rolled back";
    if (result.outcome === "executed") console.log(`${remediationId} ${verb}; state now: ${JSON.stringify(result.after ?? {})}`);
    else console.error(`${remediationId}: rollback failed: ${result.reason}`);
    return result.outcome === "executed" ? 0 : 1;
  } catch (error) {
    if (!(error instanceof RollbackRefusedError)) throw error;
    console.error(`vigil: ${error.message} (${error.code})`);
    return 2;
  } finally {
    eventbridge.destroy();
    await runtime.close();
  }
}
