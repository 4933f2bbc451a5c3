import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig, withTopology } from "../../../core/config";

describe("parseConfig", () => {
  it("accepts an empty file with every default", () => {
    expect(parseConfig("").audit.chainId).toBe("vigil");
  });

  it("accepts JSON as well as YAML", () => {
    expect(parseConfig('{"audit": {"chainId": "prod"}}').audit.chainId).toBe("prod");
  });

  it("rejects the whole file naming the path of the first error", () => {
    expect(() => parseConfig("audit:\n  chainId: ''\n", "my.yaml")).toThrow(ConfigError);
    expect(() => parseConfig("audit:\n  chainId: ''\n", "my.yaml")).toThrow(/^my\.yaml: audit\.chainId: /);
  });

  it("rejects a misspelt section instead of ignoring it", () => {
    expect(() => parseConfig("remedation: {}\n")).toThrow(/remedation/);
  });

  it("rejects text that is not YAML", () => {
    expect(() => parseConfig("a: [1, 2\n")).toThrow(/not valid YAML or JSON/);
  });
});

describe("capability sections", () => {
  it("validates remediation policies and names the path of the first error", () => {
    const bad = "remediation:\n  policies:\n    - name: p\n      on: { detail: [] }\n      action: s3.block-public-access\n";
    expect(() => parseConfig(bad, "v.yaml")).toThrow(/^v\.yaml: remediation\.policies\.0\.on: /);
    expect(parseConfig("remediation:\n  policies:\n    - name: p\n      on: { source: [aws.s3] }\n      action: s3.block-public-access\n").remediation.policies[0]!.mode).toBe("dry-run");
  });

  it("validates replication targets and fills their defaults", () => {
    const config = parseConfig("replication:\n  protected:\n    - { id: a, kind: s3, resource: 'arn:aws:s3:::assets', replica: 'arn:aws:s3:::assets-dr' }\n");
    expect(config.replication.protected[0]!.rpoMinutes).toBe(15);
    expect(() => parseConfig("replication:\n  protected:\n    - { id: a, kind: s3, resource: 'arn:aws:s3:::assets' }\n")).toThrow(/replication\.protected\.0\.replica/);
  });

  it("checks detector settings against their ranges", () => {
    expect(parseConfig("anomaly: { warmup: 10 }").anomaly.warmup).toBe(10);
    expect(() => parseConfig("anomaly: { trees: 0 }")).toThrow(/anomaly\.trees: .*trees/);
    expect(() => parseConfig("anomaly: { tres: 5 }")).toThrow(/tres/);
  });
});

describe("withTopology", () => {
  it("replaces the topology with a validated CMDB export", () => {
    const config = withTopology(parseConfig(""), JSON.stringify({ services: [{ name: "orders", dependsOn: ["db"] }] }), "topo.json");
    expect(config.topology.services.map((s) => s.name)).toEqual(["orders"]);
  });

  it("names the file and path of a bad topology", () => {
    expect(() => withTopology(parseConfig(""), '{"services": [{"dependsOn": ["db"]}]}', "topo.json")).toThrow(/^topo\.json: services\.0\.name: /);
    expect(() => withTopology(parseConfig(""), "{", "topo.json")).toThrow(/^topo\.json: not valid JSON/);
  });
});

describe("a parsed config", () => {
  it("is itself a valid config that parses to the same value (the local runtime hands it to functions as JSON)", () => {
    const text = [
      "grouping: { groupWait: 45s, silences: [{ id: s1, matchers: { service: orders }, startsAt: '2025-11-03T14:00:00Z', endsAt: '2025-11-03T16:00:00Z' }] }",
      "remediation: { policies: [{ name: p, on: { source: [aws.s3] }, action: s3.block-public-access }] }",
      "replication: { protected: [{ id: a, kind: s3, resource: 'arn:aws:s3:::assets', replica: 'arn:aws:s3:::assets-dr' }] }",
      "anomaly: { warmup: 10 }",
      "topology: { services: [{ name: orders }] }",
    ].join("\n");
    const once = parseConfig(text);
    expect(parseConfig(JSON.stringify(once))).toEqual(once);
  });
});
