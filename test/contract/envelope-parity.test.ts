import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { EventBridgeSchema as PowertoolsEventBridgeSchema, KinesisDataStreamSchema, S3Schema } from "@aws-lambda-powertools/parser/schemas";
import { describe, expect, it } from "vitest";
import { EventBridgeSchema } from "../../events/inbound/envelope";
import { MetricStreamKinesisEventSchema } from "../../events/inbound/metric-stream";
import { S3ReplicationNotificationSchema } from "../../events/inbound/s3";
import { FIXTURES_DIR, fixtureJson, fixturesPresent, MISSING_FIXTURES } from "./fixtures";

// Vigil declares the envelopes it parses instead of importing Powertools' schema index (which drags
// zod's whole namespace into every bundle): they must accept and reject exactly what Powertools does.

function jsonFixtures(): string[] {
  if (!fixturesPresent) return [];
  return readdirSync(FIXTURES_DIR)
    .filter((family) => statSync(join(FIXTURES_DIR, family)).isDirectory())
    .flatMap((family) => readdirSync(join(FIXTURES_DIR, family)).filter((f) => f.endsWith(".json")).map((f) => `${family}/${f}`));
}

const fixtures = jsonFixtures().map((path) => ({ path, event: fixtureJson(path) }));
const eventBridgeFixtures = fixtures.filter(({ event }) => typeof event === "object" && event !== null && "detail-type" in event);

/** Variants of a valid event that each break, or keep, one envelope rule. */
function mutations(event: Record<string, unknown>): [string, unknown][] {
  return [
    ["as is", event],
    ["no id", { ...event, id: undefined }],
    ["time not ISO", { ...event, time: "yesterday" }],
    ["resources not an array", { ...event, resources: "arn:aws:s3:::b" }],
    ["numeric account", { ...event, account: 123456789012 }],
    ["replay-name", { ...event, "replay-name": "replay-1" }],
    ["replay-name not a string", { ...event, "replay-name": 1 }],
    ["no detail", { ...event, detail: undefined }],
  ];
}

describe.skipIf(!fixturesPresent)("EventBridgeSchema matches Powertools' on every EventBridge sample in ../shared/fixtures", () => {
  it("finds EventBridge samples", () => {
    expect(eventBridgeFixtures.length).toBeGreaterThan(10);
  });

  for (const { path, event } of eventBridgeFixtures) {
    it(path, () => {
      for (const [name, variant] of mutations(event as Record<string, unknown>)) {
        const ours = EventBridgeSchema.safeParse(variant);
        const theirs = PowertoolsEventBridgeSchema.safeParse(variant);
        expect({ name, success: ours.success }).toEqual({ name, success: theirs.success });
        if (ours.success && theirs.success) expect(ours.data).toEqual(theirs.data);
      }
    });
  }
});

describe.skipIf(!fixturesPresent)("Kinesis and S3 notification envelopes match Powertools' on the samples", () => {
  const kinesis = fixtures.filter(({ path }) => path.startsWith("kinesis-lambda/"));
  const s3 = fixtures.filter(({ path }) => path.startsWith("s3-replication/"));

  it("finds Kinesis and S3 replication samples", () => {
    expect(kinesis.length).toBeGreaterThan(0);
    expect(s3.length).toBeGreaterThan(0);
  });

  it("accepts exactly the Kinesis batches Powertools accepts", () => {
    for (const { path, event } of kinesis) {
      const records = (event as { Records?: unknown[] }).Records ?? [];
      for (const variant of [event, { ...(event as object), Records: [] }, { ...(event as object), Records: records.map((r) => ({ ...(r as object), eventSource: "aws:sqs" })) }]) {
        expect({ path, success: MetricStreamKinesisEventSchema.safeParse(variant).success }).toEqual({ path, success: KinesisDataStreamSchema.safeParse(variant).success });
      }
    }
  });

  it("reads replication notifications only where Powertools' S3 schema also accepts the records", () => {
    const read = s3.filter(({ event }) => S3ReplicationNotificationSchema.safeParse(event).success);
    expect(read.length).toBeGreaterThan(0);
    for (const { path, event } of read) {
      expect({ path, powertools: S3Schema.safeParse(event).success }).toEqual({ path, powertools: true });
    }
  });
});

describe.skipIf(fixturesPresent)("envelope parity", () => {
  it.skip(MISSING_FIXTURES, () => {});
});
