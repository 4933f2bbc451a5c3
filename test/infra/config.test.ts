import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseConfigJson } from "../../core/config";
import { BUNDLED_CONFIG, deployConfig } from "../../infra/config";

const app = () => mkdtempSync(join(tmpdir(), "vigil-infra-"));

describe("the config a deploy ships", () => {
  it("is the validated vigil.config.yaml, bundled as JSON (root-relative, as SST's copyFiles wants) that functions parse back to the same config", () => {
    const root = app();
    writeFileSync(join(root, "vigil.config.yaml"), "grouping: { groupWait: 45s }\nanomaly: { warmup: 20 }\n");
    const { config, bundled } = deployConfig(root, "vigil.config.yaml");
    expect(bundled).toBe(join(".sst", "vigil", BUNDLED_CONFIG));
    const shipped = parseConfigJson(readFileSync(join(root, bundled), "utf8"), BUNDLED_CONFIG);
    expect(shipped.grouping.groupWait).toBe(45_000);
    expect(shipped.anomaly.warmup).toBe(20);
    expect(shipped).toEqual(config);
  });

  it("can come from another file, relative to the app or absolute", () => {
    const root = app();
    writeFileSync(join(root, "prod.yaml"), "anomaly: { warmup: 7 }\n");
    expect(deployConfig(root, "prod.yaml").config.anomaly.warmup).toBe(7);
    expect(deployConfig(root, join(root, "prod.yaml")).config.anomaly.warmup).toBe(7);
  });

  it("fails the deploy, naming the file and the path, when the config is wrong", () => {
    const root = app();
    writeFileSync(join(root, "vigil.config.yaml"), "remediation: { policies: [{ name: p, on: { source: [] }, action: s3.block-public-access }] }\n");
    expect(() => deployConfig(root, "vigil.config.yaml")).toThrow(/^vigil\.config\.yaml: remediation\.policies\.0\.on/);
  });

  it("is the defaults, still bundled as JSON, when the app has no config file (deployed functions never build the config schemas)", () => {
    const root = app();
    const { config, bundled } = deployConfig(root, "vigil.config.yaml");
    expect(config.remediation.policies).toEqual([]);
    expect(parseConfigJson(readFileSync(join(root, bundled), "utf8"), BUNDLED_CONFIG)).toEqual(config);
  });
});
