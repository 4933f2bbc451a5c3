import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { readFileSync } from "node:fs";
import { parseConfig } from "../core/config";
import { createStore } from "../core/store/service";
import { verifyStoredChain } from "../core/audit/append";
import { VirtualClock } from "./clock";
import { startRuntime } from "./runtime";
import { replay } from "./replay";
import { formatHeldBack, formatIncidents, formatProblem, formatSummary, progressBar } from "./cli-output";
import { readHeldBack, readIncidentAlerts } from "./assignments";
import type { DemoAccount } from "./demo-remediation";

const DEMO = join(dirname(fileURLToPath(import.meta.url)), "..", "demo");

/**
 * `npm start`: replays the shipped demo storm through the real pipeline and tells the story, then
 * shows a remediation in each mode (auto only when moto_server can emulate an account).
 */
export async function runDemo(_args: string[]): Promise<number> {
  const config = parseConfig(readFileSync(join(DEMO, "vigil.config.yaml"), "utf8"), "demo/vigil.config.yaml");
  // Loaded here, not by every CLI command: it pulls in the EC2 and S3 clients.
  const { demoAccount, demoRemediationModes, launchDemoAccount } = await import("./demo-remediation");
  // Before the runtime: the playbooks must find the emulated account, never a real one.
  const launch = await launchDemoAccount();
  const runtime = await startRuntime({ config, clock: new VirtualClock(0) });
  let account: DemoAccount | { absent: string } | undefined;
  try {
    console.log("Vigil demo: a production afternoon (demo/storm.jsonl, demo/metrics.jsonl) replayed through the local runtime.\n");
    const bar = progressBar();
    const summary = await replay(runtime, {
      files: [join(DEMO, "storm.jsonl"), join(DEMO, "metrics.jsonl")],
      onProgress: bar.update,
      onProblem: (p) => console.error(formatProblem(p)),
    });
    bar.done();
    console.log(formatSummary(summary));
    console.log("\nWhat Vigil said, in event time:");
    for (const e of summary.emitted) {
      const detail = e.detail as { summary?: string };
      console.log(`  ${e.time.slice(11, 16)}  ${e["detail-type"].padEnd(25)} ${detail.summary ?? ""}`.slice(0, 160));
    }
    const store = createStore({ client: runtime.dynamodb, table: runtime.names.table });
    console.log("\nIncidents, and why each alert is in one:");
    console.log(formatIncidents(await readIncidentAlerts(store)));
    console.log("\nHeld back, never paged (the largest groups; `vigil replay --held` lists all):");
    console.log(formatHeldBack(await readHeldBack(store), config.grouping, { groups: 5, largest: true }));
    account = await demoAccount(launch);
    console.log(`\n${(await demoRemediationModes(runtime, account)).join("\n")}`);
    console.log("\nDeliveries by target (rules on the default and ops buses, Kinesis batches):");
    for (const [target, count] of [...runtime.deliveries].sort()) console.log(`  ${String(count).padStart(5)}  ${target}`);
    const report = await verifyStoredChain(store, config.audit.chainId);
    console.log(
      report.ok
        ? `\nAudit chain "${config.audit.chainId}": ${report.count} entries, every link verified.`
        : `\nAudit chain "${config.audit.chainId}": BROKEN at seq ${report.at} (${report.problem}): ${report.detail}`,
    );
    console.log(
      "\nNext: `npx vigil replay demo/storm.jsonl demo/metrics.jsonl --config demo/vigil.config.yaml --data .vigil --emitted out.jsonl`" +
        " keeps the state; then `npx vigil incidents --held`, `npx vigil dr status --config demo/vigil.config.yaml --at 2025-11-03T16:00:00Z` and `npx vigil verify-audit` read it.",
    );
    return report.ok ? 0 : 1;
  } finally {
    await runtime.close();
    // The launch may still be on its way (an error mid-replay): stop moto_server whenever it is up.
    const up = account ?? (await demoAccount(launch));
    if (!("absent" in up)) await up.close();
  }
}
