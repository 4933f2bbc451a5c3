import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../../core/config";

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
