import { describe, expect, it } from "vitest";
import { ANOMALY_DETAIL_SCHEMAS, anomalyEntry } from "../../events/outbound/anomaly";
import { VigilEventValidationError } from "../../events/outbound/entry";
import { OUTBOUND_DETAIL_TYPES, type OutboundDetailType } from "../../events/outbound/envelope";
import { INCIDENT_DETAIL_SCHEMAS, incidentEntry } from "../../events/outbound/incident";
import { OUTBOUND_DETAIL_SCHEMAS, vigilEntry } from "../../events/outbound/registry";
import { REMEDIATION_DETAIL_SCHEMAS, remediationEntry } from "../../events/outbound/remediation";
import { REPLICATION_DETAIL_SCHEMAS, replicationEntry } from "../../events/outbound/replication";
import { OUTBOUND_SAMPLES } from "./outbound-samples";

// Each domain's builder, with its catalogue and the article+name its errors use.
const DOMAINS = [
  { name: "an anomaly", schemas: ANOMALY_DETAIL_SCHEMAS, entry: anomalyEntry },
  { name: "an incident", schemas: INCIDENT_DETAIL_SCHEMAS, entry: incidentEntry },
  { name: "a remediation", schemas: REMEDIATION_DETAIL_SCHEMAS, entry: remediationEntry },
  { name: "a replication", schemas: REPLICATION_DETAIL_SCHEMAS, entry: replicationEntry },
] as const;

type AnyEntry = (detailType: OutboundDetailType, detail: unknown) => ReturnType<typeof vigilEntry>;

describe("the domains' detail catalogues", () => {
  it("split the outbound detail-types between them, each type in exactly one domain", () => {
    const types = DOMAINS.flatMap((d) => Object.keys(d.schemas));
    expect([...types].sort()).toEqual([...OUTBOUND_DETAIL_TYPES].sort());
  });

  it("hold the very schemas of the registry", () => {
    for (const d of DOMAINS) {
      for (const [type, schema] of Object.entries(d.schemas)) expect(OUTBOUND_DETAIL_SCHEMAS[type as OutboundDetailType]).toBe(schema);
    }
  });
});

describe.each(DOMAINS)("$name entry builder", ({ name, schemas, entry }) => {
  const build = entry as AnyEntry;

  it("builds the same PutEvents entry as vigilEntry for each of its detail-types", () => {
    for (const type of Object.keys(schemas) as OutboundDetailType[]) {
      expect(build(type, OUTBOUND_SAMPLES[type])).toEqual((vigilEntry as AnyEntry)(type, OUTBOUND_SAMPLES[type]));
    }
  });

  it("refuses every other domain's detail-type, naming its own domain", () => {
    const others = OUTBOUND_DETAIL_TYPES.filter((t) => !Object.hasOwn(schemas, t));
    expect(others.length).toBeGreaterThan(0);
    for (const type of others) {
      const error = (() => {
        try {
          build(type, OUTBOUND_SAMPLES[type]);
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(VigilEventValidationError);
      expect((error as VigilEventValidationError).issue).toBe(`detail-type: not ${name} detail-type`);
    }
  });

  it("still validates: an invalid detail of its own type names the field", () => {
    const type = Object.keys(schemas)[0] as OutboundDetailType;
    expect(() => build(type, { ...OUTBOUND_SAMPLES[type], summary: "two\nlines" })).toThrow(/summary: must be one line/);
  });
});
