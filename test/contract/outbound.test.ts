import { describe, expect, it } from "vitest";
import { parseInboundEvent } from "../../events/inbound";
import {
  OUTBOUND_DETAIL_SCHEMAS,
  OUTBOUND_DETAIL_TYPES,
  type OutboundDetailInput,
  VIGIL_SOURCE,
  VigilEventValidationError,
  vigilEntry,
} from "../../events/outbound";
import { OUTBOUND_SAMPLES } from "./outbound-samples";

/** The EventBridge event a subscriber receives for a PutEvents entry. */
function deliver(entry: ReturnType<typeof vigilEntry>) {
  return {
    version: "0",
    id: "5f1b2c3d-0000-0000-0000-000000000000",
    source: entry.Source,
    "detail-type": entry.DetailType,
    account: "123456789012",
    time: entry.Time.toISOString().replace(/\.\d{3}Z$/, "Z"),
    region: "us-east-1",
    resources: entry.Resources ?? [],
    detail: JSON.parse(entry.Detail) as unknown,
  };
}

function thrown(run: () => unknown): VigilEventValidationError {
  try {
    run();
  } catch (error) {
    if (error instanceof VigilEventValidationError) return error;
    throw error;
  }
  throw new Error("expected a VigilEventValidationError");
}

describe("outbound round trip", () => {
  for (const detailType of OUTBOUND_DETAIL_TYPES) {
    it(detailType, () => {
      const sample = OUTBOUND_SAMPLES[detailType];
      const entry = vigilEntry(detailType, sample);
      expect(entry.Source).toBe(VIGIL_SOURCE);
      expect(entry.DetailType).toBe(detailType);
      expect(entry.Time.toISOString()).toBe(sample.occurredAt);
      expect(OUTBOUND_DETAIL_SCHEMAS[detailType].safeParse(JSON.parse(entry.Detail)).success).toBe(true);
      const received = parseInboundEvent(deliver(entry));
      expect(received).toMatchObject({ ok: true, event: { "detail-type": detailType, detail: sample } });
    });
  }

  it("puts the ARNs a remediation or replication is about in Resources", () => {
    expect(vigilEntry("Remediation Executed", OUTBOUND_SAMPLES["Remediation Executed"]).Resources).toEqual(["arn:aws:s3:::public-bucket"]);
    expect(vigilEntry("Replication RPO Breached", OUTBOUND_SAMPLES["Replication RPO Breached"]).Resources).toEqual([
      "arn:aws:s3:::orders",
      "arn:aws:s3:::orders-replica",
    ]);
    expect(vigilEntry("Incident Opened", OUTBOUND_SAMPLES["Incident Opened"]).Resources).toBeUndefined();
  });
});

describe("vigilEntry rejects invalid details naming the field", () => {
  const opened = OUTBOUND_SAMPLES["Incident Opened"];

  it("a summary on two lines", () => {
    const error = thrown(() => vigilEntry("Incident Opened", { ...opened, summary: "line one\nline two" }));
    expect(error.code).toBe("events.invalid_detail");
    expect(error.name).toBe("VigilEventValidationError");
    expect(error.message).toBe('invalid "Incident Opened" detail: summary: must be one line');
  });

  it("a severity PagerDuty does not know", () => {
    const bad = { ...opened, severity: "high" } as unknown as OutboundDetailInput<"Incident Opened">;
    expect(thrown(() => vigilEntry("Incident Opened", bad)).issue).toMatch(/^severity: /);
  });

  it("a resolved incident without resolvedAt", () => {
    const { resolvedAt: _omitted, ...incident } = OUTBOUND_SAMPLES["Incident Resolved"].incident;
    const bad = { ...OUTBOUND_SAMPLES["Incident Resolved"], incident } as unknown as OutboundDetailInput<"Incident Resolved">;
    expect(thrown(() => vigilEntry("Incident Resolved", bad)).issue).toBe("incident.resolvedAt: expected string, received undefined");
  });

  it("an Incident Opened whose incident is resolved", () => {
    const bad = { ...opened, incident: { ...opened.incident, status: "resolved" } } as unknown as OutboundDetailInput<"Incident Opened">;
    expect(thrown(() => vigilEntry("Incident Opened", bad)).issue).toMatch(/^incident\.status: /);
  });

  it("an anomaly score above 1 and a link that is not a URL", () => {
    const anomaly = OUTBOUND_SAMPLES["Anomaly Detected"];
    expect(thrown(() => vigilEntry("Anomaly Detected", { ...anomaly, anomaly: { ...anomaly.anomaly, score: 1.5 } })).issue).toMatch(
      /^anomaly\.score: /,
    );
    expect(thrown(() => vigilEntry("Anomaly Detected", { ...anomaly, links: [{ href: "not a url", text: "x" }] })).issue).toMatch(
      /^links\[0\]\.href: /,
    );
  });

  it("a summary over 1024 characters", () => {
    expect(thrown(() => vigilEntry("Incident Opened", { ...opened, summary: "x".repeat(1025) })).issue).toMatch(/^summary: /);
  });

  it("an unknown detail-type", () => {
    const bad = "Incident Exploded" as unknown as "Incident Opened";
    expect(thrown(() => vigilEntry(bad, opened)).issue).toBe("detail-type: not a Vigil detail-type");
  });
});
