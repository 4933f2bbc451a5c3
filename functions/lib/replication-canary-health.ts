import type { Logger } from "@aws-lambda-powertools/logger";
import { type CanaryTarget, nextCanaryAttempt } from "../../core/replication/canary-probe";
import type { ProbeFailure } from "./replication-canary";

/** What changed for a scope after a probe: it started failing, or it recovered. */
export type HealthChange = "failing" | "recovered";

/**
 * Which probed targets are failing, across the invocations of one function instance: a failing scope is
 * reported once (not every minute) and its target is tried again on a backoff, so a resource the probe
 * cannot reach never floods the logs nor slows a replay. The monitor, not this, turns the silence into `stale`.
 */
export class CanaryHealth {
  private readonly failing = new Map<string, { failures: number; retryAt: number }>();
  private readonly failingScopes = new Set<string>();

  /** Whether `targetId` is due for a probe at `now` (not backing off). */
  due(targetId: string, now: number): boolean {
    const f = this.failing.get(targetId);
    return f === undefined || now >= f.retryAt;
  }

  /**
   * Records a target's probe: its failing scopes (`<id>` or `<id>@<region>`), none when it succeeded.
   * Returns each scope whose state changed, so the caller logs it once.
   */
  record(targetId: string, now: number, failedScopes: readonly string[]): Map<string, HealthChange> {
    const changes = new Map<string, HealthChange>();
    const mine = [...this.failingScopes].filter((s) => s === targetId || s.startsWith(`${targetId}@`));
    for (const scope of mine) {
      if (!failedScopes.includes(scope)) {
        this.failingScopes.delete(scope);
        changes.set(scope, "recovered");
      }
    }
    for (const scope of failedScopes) {
      if (!this.failingScopes.has(scope)) changes.set(scope, "failing");
      this.failingScopes.add(scope);
    }
    // Only a source that fails backs off: one replica region down must not slow the others' probes.
    if (!failedScopes.includes(targetId)) this.failing.delete(targetId);
    else {
      const failures = (this.failing.get(targetId)?.failures ?? 0) + 1;
      this.failing.set(targetId, { failures, retryAt: nextCanaryAttempt(failures, now) });
    }
    return changes;
  }

  /**
   * Records a target's probe and logs each scope that started failing (warn, with the error) or recovered
   * (info): once per change, never once per run.
   *
   * @returns the failing scopes of this run
   */
  report(target: CanaryTarget, now: number, failures: readonly ProbeFailure[], logger: Pick<Logger, "warn" | "info">): string[] {
    const errors = new Map(failures.map((f) => [f.scope, f.error]));
    for (const [scope, change] of this.record(target.id, now, [...errors.keys()])) {
      if (change === "failing") {
        logger.warn("canary probe cannot reach a protected resource; reported once until it recovers", { scope, resource: target.resource, error: errors.get(scope) });
      } else logger.info("canary probe reaches the resource again", { scope, resource: target.resource });
    }
    return [...errors.keys()];
  }
}
