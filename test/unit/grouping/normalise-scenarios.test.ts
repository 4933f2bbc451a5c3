import { describe, expect, it } from "vitest";
import { type Alert, buildTopology, normaliseEvent, type Topology } from "../../../core/grouping";
import { MISSING_SCENARIOS, scenarioEvents, scenarioNames, scenariosPresent, scenarioTopology } from "./shared-data";

/** Lowest share of alerts given a service that every shared storm reached when this was written (0.987 on small-2/3). */
const MIN_SERVICE_SHARE = 0.98;
/** With only the service list (no resources, no alarms), tags and names placed ≥ 0.873 of alerts in every storm. */
const MIN_FALLBACK_SHARE = 0.85;

interface Sweep {
  alerts: Alert[];
  ignored: { code: string; reason: string }[];
  thrown: string[];
}

function sweep(events: Record<string, unknown>[], topology: Topology): Sweep {
  const out: Sweep = { alerts: [], ignored: [], thrown: [] };
  for (const event of events) {
    try {
      const result = normaliseEvent(event, topology);
      if ("ignored" in result) out.ignored.push({ code: result.code, reason: result.ignored });
      else out.alerts.push(...result.alerts);
    } catch (e) {
      out.thrown.push(`${String(event.id)}: ${(e as Error).message}`);
    }
  }
  return out;
}

const share = (alerts: Alert[]) => alerts.filter((a) => a.service !== undefined).length / alerts.length;

describe.skipIf(!scenariosPresent)("normaliseEvent over every event of every shared storm", () => {
  if (!scenariosPresent) it.skip(MISSING_SCENARIOS, () => {});
  for (const name of scenarioNames()) {
    const events = scenarioEvents(name);
    const raw = scenarioTopology(name);
    const result = sweep(events, buildTopology(raw));
    const measured = share(result.alerts);

    it(`${name}: all ${events.length} events normalise or are ignored with a reason; ${(measured * 100).toFixed(1)}% get a service`, () => {
      expect(result.thrown).toEqual([]);
      expect(result.alerts.length + result.ignored.length).toBeGreaterThanOrEqual(events.length);
      for (const i of result.ignored) expect(i.reason).not.toBe("");
      for (const a of result.alerts) {
        expect(a.fingerprint).not.toBe("");
        expect(Number.isFinite(a.eventTime)).toBe(true);
        expect(a.summary).not.toMatch(/[\r\n]/);
        expect(a.account).toMatch(/^\d{12}$/);
      }
      expect(measured).toBeGreaterThanOrEqual(MIN_SERVICE_SHARE);
    });

    it(`${name}: an alarm's fingerprint follows its state chain (each transition starts where the last one ended)`, () => {
      const byFingerprint = new Map<string, Alert[]>();
      const seen = new Set<string>();
      for (const a of result.alerts) {
        if (a.kind !== "cloudwatch.alarm-state-change" || seen.has(a.eventId)) continue;
        seen.add(a.eventId);
        byFingerprint.set(a.fingerprint, [...(byFingerprint.get(a.fingerprint) ?? []), a]);
      }
      let checked = 0;
      for (const chain of byFingerprint.values()) {
        chain.sort((x, y) => x.eventTime - y.eventTime);
        for (let i = 1; i < chain.length; i++) {
          expect(chain[i]?.labels.previousState).toBe(chain[i - 1]?.labels.alarmState);
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(0);
    });

    it(`${name}: every resolved Config, Health and alarm alert shares its fingerprint with a firing one, when the firing one is in the storm`, () => {
      const firing = new Set(result.alerts.filter((a) => a.status === "firing").map((a) => a.fingerprint));
      const resolved = result.alerts.filter((a) => a.status === "resolved" && ["config.compliance-change", "health.event"].includes(a.kind));
      const matched = resolved.filter((a) => firing.has(a.fingerprint));
      // A clearing event whose problem began before the recording window has nothing to match; most do.
      expect(matched.length / Math.max(resolved.length, 1)).toBeGreaterThan(0.5);
    });

    const servicesOnly = { services: (raw as { services: unknown[] }).services };
    const fallback = sweep(events, buildTopology(servicesOnly));
    it(`${name}: with only the service list, tags and names still place ${(share(fallback.alerts) * 100).toFixed(1)}% of alerts`, () => {
      expect(fallback.thrown).toEqual([]);
      expect(share(fallback.alerts)).toBeGreaterThanOrEqual(MIN_FALLBACK_SHARE);
      const from = new Set(fallback.alerts.map((a) => a.labels.serviceFrom));
      expect(from.has("tags") && from.has("name")).toBe(true);
    });
  }
});
