import type { VigilConfig } from "../core/config";
import { hasCanary } from "../core/replication/canary-probe";
import { groupingDeadlineListeners, listGroupingDeadlines } from "../core/store/grouping-batch";
import type { Store } from "../core/store/service";
import { groupingTimerLagMs } from "../functions/lib/grouping-timer-lag";

/**
 * Whether a function's scheduled tick at `at` (ms) would provably do nothing. In AWS every schedule
 * fires every minute; locally a tick that would find nothing due and write nothing is skipped, so a
 * replay of quiet hours costs no handler invocation and no API call, and decides exactly alike.
 */
export type IdleProbe = (at: number) => Promise<boolean>;

/** The probes of a runtime's schedules, by function name, and a `close` that detaches them from the store. */
export interface ScheduleSkips {
  probes: ReadonlyMap<string, IdleProbe>;
  close(): void;
}

/**
 * - `incident-timer` ticks only the scopes whose deadline has come: idle while every deadline is later.
 *   The deadlines are read once (one Query of the byDue index, for scopes a previous run stored) and then
 *   kept by every commit made in this process: the grouper and the timer both run here, and they are the
 *   only writers of grouping scopes.
 * - `replication-monitor` evaluates the protected targets and `replication-canary` probes those with a
 *   canary: idle when the config has none.
 *
 * @param store - the runtime's store
 * @param config - the runtime's config (the same the handlers read)
 */
export function scheduleSkips(store: Store, config: VigilConfig): ScheduleSkips {
  const deadlines = new Map<string, number>();
  const track = (scopeId: string, dueAt: number) => void deadlines.set(scopeId, dueAt);
  groupingDeadlineListeners.add(track);
  let stored: Promise<void> | undefined;
  // A commit seen while the Query is in flight is newer than what it read, so it wins.
  const loadStored = async () => {
    for (const [scopeId, dueAt] of await listGroupingDeadlines(store)) if (!deadlines.has(scopeId)) deadlines.set(scopeId, dueAt);
  };
  const targets = config.replication.protected;
  const probes = new Map<string, IdleProbe>([
    [
      "incident-timer",
      async (at) => {
        await (stored ??= loadStored());
        const ticksTo = at - groupingTimerLagMs();
        for (const dueAt of deadlines.values()) if (dueAt <= ticksTo) return false;
        return true;
      },
    ],
    ["replication-monitor", async () => targets.length === 0],
    ["replication-canary", async () => !targets.some(hasCanary)],
  ]);
  return { probes, close: () => groupingDeadlineListeners.delete(track) };
}
