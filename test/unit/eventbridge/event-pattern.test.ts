import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { compilePattern, InvalidEventPatternError, matchesPattern, validatePattern } from "../../../core/eventbridge/pattern";

const fixtures = path.resolve(process.cwd(), "../shared/fixtures/event-patterns");
const haveFixtures = existsSync(fixtures);
const readFixture = <T>(name: string): T => JSON.parse(readFileSync(path.join(fixtures, name), "utf8")) as T;

interface MatchCase {
  pattern: unknown;
  event: unknown;
  matches: boolean;
  source: string;
}
interface InvalidCase {
  pattern: unknown;
  error: { Code: string; Message: string };
  source: string;
}

/** "repo@sha:src/test/.../RulerTest.java testName (...)" → "RulerTest.java testName". */
function shortSource(source: string): string {
  const [location = "", testName = ""] = source.split(" ");
  return `${path.basename(location)} ${testName}`;
}

describe.skipIf(!haveFixtures)(`event-ruler cases (needs ${fixtures})`, () => {
  const cases = haveFixtures
    ? readFixture<MatchCase[]>("cases.json").map((c, index) => ({ ...c, index, name: shortSource(c.source) }))
    : [];

  it("has all 898 recorded cases", () => {
    expect(cases).toHaveLength(898);
  });

  it.each(cases)("case $index ($name) → $matches", ({ pattern, event, matches }) => {
    expect(compilePattern(pattern)(event)).toBe(matches);
  });
});

describe.skipIf(!haveFixtures)(`patterns AWS rejects (needs ${fixtures})`, () => {
  const invalid = haveFixtures
    ? readFixture<InvalidCase[]>("invalid-patterns.json").map((c, index) => ({ ...c, index, text: JSON.stringify(c.pattern) }))
    : [];

  it("has all 38 rejected patterns", () => {
    expect(invalid).toHaveLength(38);
  });

  it.each(invalid)("invalid $index: $text", ({ pattern, error }) => {
    let thrown: unknown;
    try {
      validatePattern(pattern);
    } catch (caught) {
      thrown = caught;
    }
    expect(thrown).toBeInstanceOf(InvalidEventPatternError);
    expect((thrown as InvalidEventPatternError).message).toBe(error.Message);
  });
});

describe.skipIf(!haveFixtures)(`duplicate keys in pattern text (needs ${fixtures})`, () => {
  it("lets the last leaf win, as AWS does (localstack test_event_pattern_with_multi_key)", () => {
    const pattern = readFileSync(path.join(fixtures, "duplicate-key-case-pattern.json"), "utf8");
    const event = readFixture<unknown>("duplicate-key-case-event.json");
    expect(matchesPattern(pattern, event)).toBe(true);
    expect(matchesPattern(pattern, { detail: { location: "us-east" } })).toBe(false);
  });
});

describe("compilePattern", () => {
  it("merges a repeated object key in pattern text instead of dropping the first", () => {
    const text = '{"detail": {"a": ["x"]}, "detail": {"b": ["y"]}}';
    expect(matchesPattern(text, { detail: { a: "x", b: "y" } })).toBe(true);
    expect(matchesPattern(text, { detail: { b: "y" } })).toBe(false);
  });

  it("accepts events as JSON text and never matches non-objects", () => {
    const matches = compilePattern({ source: ["vigil"] });
    expect(matches('{"source": "vigil"}')).toBe(true);
    expect(matches("not json")).toBe(false);
    expect(matches(["vigil"])).toBe(false);
    expect(matches(null)).toBe(false);
  });

  it("matches nested $or branches combined with sibling fields", () => {
    const pattern = {
      source: ["vigil"],
      $or: [{ detail: { severity: ["critical"] } }, { $or: [{ "detail-type": ["Incident Opened"] }, { detail: { score: [{ numeric: [">", 0.9] }] } }] }],
    };
    const matches = compilePattern(pattern);
    expect(matches({ source: "vigil", "detail-type": "Incident Opened", detail: {} })).toBe(true);
    expect(matches({ source: "vigil", "detail-type": "X", detail: { score: 0.95 } })).toBe(true);
    expect(matches({ source: "vigil", "detail-type": "X", detail: { score: 0.5 } })).toBe(false);
    expect(matches({ source: "aws.ec2", detail: { severity: "critical" } })).toBe(false);
  });

  it("requires fields matched inside one array to come from the same element", () => {
    const matches = compilePattern({ findings: { type: ["a"], severity: ["high"] } });
    expect(matches({ findings: [{ type: "a", severity: "low" }, { type: "b", severity: "high" }] })).toBe(false);
    expect(matches({ findings: [{ type: "b", severity: "low" }, { type: "a", severity: "high" }] })).toBe(true);
  });

  it("matches IPv6 and IPv4-mapped spellings of an address and its CIDR", () => {
    expect(matchesPattern({ ip: ["2001:db8::1"] }, { ip: "2001:0DB8:0:0:0:0:0:0001" })).toBe(true);
    expect(matchesPattern({ ip: [{ cidr: "10.0.0.0/8" }] }, { ip: "::ffff:0a01:0203" })).toBe(true);
    expect(matchesPattern({ ip: [{ cidr: "2001:db8::/32" }] }, { ip: "2001:db9::1" })).toBe(false);
  });

  it("rejects a wildcard pattern that keeps too many wildcards live, and accepts ordinary ones", () => {
    expect(() => validatePattern({ key: [{ wildcard: "*:*:*:*:*:event-bus/*" }] })).toThrow(/Rule is too complex/);
    expect(() => validatePattern({ key: ["*/dir/*.a", "*/dir/*.b"].map((wildcard) => ({ wildcard })) })).not.toThrow();
    expect(() => validatePattern({ key: ["a", "b", "c"].map((ext) => ({ wildcard: `*/d/*.${ext}` })) })).toThrow(InvalidEventPatternError);
  });

  it("reports malformed pattern text and non-object patterns with AWS's code", () => {
    for (const bad of ['{"source": ["a"', "[1]", 42]) {
      let thrown: unknown;
      try {
        validatePattern(bad);
      } catch (caught) {
        thrown = caught;
      }
      expect(thrown).toBeInstanceOf(InvalidEventPatternError);
      expect(thrown).toMatchObject({ name: "InvalidEventPatternError", code: "eventbridge.invalid_pattern" });
      expect((thrown as Error).message).toMatch(/^Event pattern is not valid\. Reason: /);
    }
  });
});
