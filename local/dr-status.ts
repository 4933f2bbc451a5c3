import type { ReplicationConfig } from "../core/replication/config";
import { evaluate } from "../core/replication/model";
import type { EvidenceSource, ReplicationStatus } from "../core/replication/state";
import type { Store } from "../core/store/service";
import { loadTargets, storedState } from "../functions/lib/replication-targets";

/** One protected resource in `vigil dr status`. */
export interface DrStatusRow {
  targetId: string;
  kind: "s3" | "dynamodb" | "rds";
  resource: string;
  rpoMinutes: number;
  /** Observed data-loss window at the evaluation time, minutes; null when no signal gives one. */
  observedRpoMinutes: number | null;
  status: ReplicationStatus;
  /** Event time of the newest signal (ISO), null when none was ever seen. */
  lastSignalAt: string | null;
  /** The signal family the observation rests on. */
  lastSignal: EvidenceSource | null;
}

/**
 * Every protected resource of the config, in config order, with its persisted state evaluated at `at`
 * by the same model as the monitor (a target never written is `unknown`).
 *
 * @param store - the store the monitor persisted to
 * @param config - the `replication` section
 * @param at - evaluation time, epoch ms; earlier than a state's own clock reads as that clock
 */
export async function drStatusRows(store: Store, config: ReplicationConfig, at: number): Promise<DrStatusRow[]> {
  const { protected: targets, ...settings } = config;
  const items = await loadTargets(store, targets.map((t) => t.id));
  return targets.map((target) => {
    const result = evaluate(storedState(items.get(target.id), target.id), target, at, settings);
    return {
      targetId: target.id,
      kind: target.kind,
      resource: target.resource,
      rpoMinutes: target.rpoMinutes,
      observedRpoMinutes: result.observedRpoMinutes === null ? null : Math.round(result.observedRpoMinutes * 10) / 10,
      status: result.status,
      lastSignalAt: result.state.lastSignalAt === null ? null : new Date(result.state.lastSignalAt).toISOString(),
      lastSignal: result.state.lastSignalAt === null ? null : result.state.lastSource,
    };
  });
}

/** The rows as the table a person reads. */
export function formatDrTable(rows: DrStatusRow[], at: number): string {
  if (rows.length === 0) return "No protected resources: add them under replication.protected in the config.";
  const header = ["RESOURCE", "KIND", "RPO (observed / target)", "STATUS", "LAST SIGNAL"];
  const body = rows.map((r) => [
    r.targetId,
    r.kind,
    `${r.observedRpoMinutes === null ? "-" : r.observedRpoMinutes.toFixed(1)} / ${r.rpoMinutes} min`,
    r.status,
    r.lastSignalAt === null ? "none" : `${r.lastSignalAt} (${r.lastSignal ?? "no RPO evidence"})`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd();
  return [`Replication status at ${new Date(at).toISOString()}:`, line(header), ...body.map(line)].join("\n");
}
