import { describe, expect, it } from "vitest";
import { type InboundKind, parseInboundEvent } from "../../events/inbound";
import { OUTBOUND_DETAIL_TYPES, vigilEntry } from "../../events/outbound";
import { CANARY_KEY_PREFIX, type EventPattern, FUNCTION_PATTERNS, forwardedFromDefaultBus, type SubscribingFunction } from "../../events/patterns";
import { matchesPattern, validatePattern } from "../../core/eventbridge/pattern";
import { fixtureFiles, fixtureJson, fixturesPresent } from "./fixtures";
import { OUTBOUND_SAMPLES } from "./outbound-samples";

// Who consumes what, as the design states it (written independently of events/patterns.ts).
const CONSUMERS: Record<SubscribingFunction, (kind: InboundKind) => boolean> = {
  auditWriter: (kind) => kind.startsWith("vigil."),
  alertGrouper: (kind) =>
    [
      "cloudwatch.alarm-state-change",
      "guardduty.finding",
      "securityhub.findings-imported",
      "health.event",
      "config.compliance-change",
      "rds.resource-event",
      "ec2.instance-state-change",
      "ebs.volume-notification",
      "ebs.snapshot-notification",
      "ebs.multi-volume-snapshots",
      "cost.anomaly-detected",
      "vigil.anomaly-detected",
    ].includes(kind),
  remediator: (kind) =>
    [
      "vigil.incident-opened",
      "vigil.incident-updated",
      "vigil.incident-resolved",
      "guardduty.finding",
      "securityhub.findings-imported",
      "config.compliance-change",
      "config.configuration-item-change",
      "health.event",
      "ec2.instance-state-change",
      "ebs.volume-notification",
      "ebs.snapshot-notification",
      "ebs.multi-volume-snapshots",
      "cloudtrail.api-call",
    ].includes(kind),
  // Object Created only for canary keys: checked separately below.
  replicationMonitor: (kind) => kind === "rds.snapshot-event",
};

interface Sample {
  name: string;
  kind: InboundKind;
  event: Record<string, unknown>;
}

function envelope(source: string, detailType: string, detail: unknown, time = "2024-05-01T12:00:00Z"): Record<string, unknown> {
  return { version: "0", id: "1", source, "detail-type": detailType, account: "123456789012", time, region: "us-east-1", resources: [], detail };
}

// Every fixture that is a valid bus event, plus real details wrapped in an envelope where only the envelope was
// missing or a placeholder, plus one of each Vigil event.
function samples(): Sample[] {
  const out: Sample[] = [];
  const add = (name: string, event: Record<string, unknown>) => {
    const parsed = parseInboundEvent(event);
    if (!parsed.ok) throw new Error(`${name}: ${parsed.error}`);
    out.push({ name, kind: parsed.kind, event });
  };
  for (const family of fixtureFiles(".").filter((f) => !f.includes("."))) {
    for (const file of fixtureFiles(family)) {
      if (!file.endsWith(".json")) continue;
      const value = fixtureJson(`${family}/${file}`) as Record<string, unknown>;
      const name = `${family}/${file}`;
      if (parseInboundEvent(value).ok) add(name, value);
      else if (family === "ebs-events") add(name, { ...value, time: "2024-05-01T12:00:00Z" });
      else if (family === "cost-anomaly-detection") add(name, envelope("aws.ce", "Anomaly Detected", value));
    }
  }
  for (const detailType of OUTBOUND_DETAIL_TYPES) {
    const entry = vigilEntry(detailType, OUTBOUND_SAMPLES[detailType]);
    add(`vigil/${detailType}`, envelope(entry.Source, entry.DetailType, JSON.parse(entry.Detail)));
  }
  return out;
}

const matchesAny = (patterns: readonly EventPattern[], event: unknown) => patterns.some((p) => matchesPattern(p, event));

describe("patterns are valid EventBridge patterns", () => {
  const all = [...Object.entries(FUNCTION_PATTERNS).flatMap(([name, ps]) => ps.map((p, i) => [`${name}[${i}]`, p] as const)), ...Object.entries(forwardedFromDefaultBus)];
  for (const [name, pattern] of all) {
    it(name, () => expect(() => validatePattern(pattern)).not.toThrow());
  }
});

describe.skipIf(!fixturesPresent)("each function receives exactly the kinds it consumes", () => {
  const all = samples();

  it("has samples of every consumed kind", () => {
    const kinds = new Set(all.map((s) => s.kind));
    for (const kind of ["cloudwatch.alarm-state-change", "cloudtrail.api-call", "cost.anomaly-detected", "ebs.multi-volume-snapshots", "rds.snapshot-event"]) {
      expect(kinds.has(kind as InboundKind), kind).toBe(true);
    }
  });

  for (const fn of Object.keys(FUNCTION_PATTERNS) as SubscribingFunction[]) {
    describe(fn, () => {
      for (const sample of all) {
        const consumes = CONSUMERS[fn](sample.kind);
        it(`${consumes ? "receives" : "ignores"} ${sample.name}`, () => {
          expect(matchesAny(FUNCTION_PATTERNS[fn], sample.event)).toBe(consumes);
        });
      }
    });
  }

  describe("forwarding from the default bus", () => {
    for (const sample of all.filter((s) => !s.kind.startsWith("vigil."))) {
      const consumed = Object.values(CONSUMERS).some((consumes) => consumes(sample.kind));
      it(`${consumed ? "forwards" : "leaves"} ${sample.name}`, () => {
        expect(matchesAny(Object.values(forwardedFromDefaultBus), sample.event)).toBe(consumed);
      });
    }
    it("never forwards Vigil's own events back", () => {
      for (const sample of all.filter((s) => s.kind.startsWith("vigil."))) {
        expect(matchesAny(Object.values(forwardedFromDefaultBus), sample.event), sample.name).toBe(false);
      }
    });
  });

  it("the replication monitor receives S3 Object Created only for canary keys", () => {
    const created = all.filter((s) => s.kind === "s3.object-created");
    expect(created.length).toBeGreaterThan(0);
    for (const { event } of created) {
      const detail = event.detail as { object: { key: string } };
      const canary = { ...event, detail: { ...detail, object: { ...detail.object, key: `${CANARY_KEY_PREFIX}orders/1` } } };
      expect(matchesAny(FUNCTION_PATTERNS.replicationMonitor, event)).toBe(false);
      expect(matchesAny(FUNCTION_PATTERNS.replicationMonitor, canary)).toBe(true);
      expect(matchesAny(Object.values(forwardedFromDefaultBus), canary)).toBe(true);
    }
  });
});
