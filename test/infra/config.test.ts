import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseConfigJson } from "../../core/config";
import { bundledConfig } from "../../infra/config";

describe("the config bundled into functions", () => {
  it("is the validated vigil.config.yaml as JSON, which functions parse back to the same config", () => {
    const root = mkdtempSync(join(tmpdir(), "vigil-infra-"));
    writeFileSync(join(root, "vigil.config.yaml"), "grouping: { groupWait: 45s }\nanomaly: { warmup: 20 }\n");
    const out = bundledConfig(root)!;
    const config = parseConfigJson(readFileSync(out, "utf8"), "vigil.config.json");
    expect(config.grouping.groupWait).toBe(45_000);
    expect(config.anomaly.warmup).toBe(20);
  });

  it("fails the deploy, naming the path, when the config is wrong", () => {
    const root = mkdtempSync(join(tmpdir(), "vigil-infra-"));
    writeFileSync(join(root, "vigil.config.yaml"), "remediation: { policies: [{ name: p, on: { source: [] }, action: s3.block-public-access }] }\n");
    expect(() => bundledConfig(root)).toThrow(/^vigil\.config\.yaml: remediation\.policies\.0\.on/);
  });

  it("is absent when the app has no config file", () => {
    expect(bundledConfig(mkdtempSync(join(tmpdir(), "vigil-infra-")))).toBeUndefined();
  });
});
