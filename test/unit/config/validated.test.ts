import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ConfigError, ConfigSchema, CONFIG_SECTIONS, parseConfig, parseValidatedConfigJson } from "../../../core/config";

const TEXT = [
  "grouping: { groupWait: 45s }",
  "remediation: { policies: [{ name: p, on: { source: [aws.s3] }, action: s3.block-public-access }] }",
  "replication: { protected: [{ id: a, kind: s3, resource: 'arn:aws:s3:::assets', replica: 'arn:aws:s3:::assets-dr' }] }",
  "anomaly: { warmup: 10 }",
].join("\n");

describe("CONFIG_SECTIONS", () => {
  it("lists exactly the config schema's sections", () => {
    expect([...CONFIG_SECTIONS].sort()).toEqual(Object.keys(ConfigSchema.shape).sort());
  });
});

describe("parseValidatedConfigJson", () => {
  it("reads what a deploy writes (a validated config as JSON) back to the same config", () => {
    const validated = parseConfig(TEXT);
    expect(parseValidatedConfigJson(JSON.stringify(validated), "vigil.config.json")).toEqual(validated);
  });

  it("refuses text that is not JSON, naming the file", () => {
    expect(() => parseValidatedConfigJson("{", "vigil.config.json")).toThrow(/^vigil\.config\.json: not valid JSON/);
  });

  it("refuses JSON that is not an object", () => {
    expect(() => parseValidatedConfigJson("[]", "f.json")).toThrow(ConfigError);
  });

  it("refuses a config a deploy did not validate (a section left out), naming the section", () => {
    const { audit: _audit, ...partial } = parseConfig(TEXT);
    expect(() => parseValidatedConfigJson(JSON.stringify(partial), "f.json")).toThrow("f.json: audit: missing");
  });
});

describe("functions' config()", () => {
  let dir: string | undefined;
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  async function loadConfig(env: Record<string, string | undefined>) {
    for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
    vi.resetModules();
    return (await import("../../../functions/lib/config")).config;
  }

  it("reads the deploy-validated file named in VIGIL_CONFIG_FILE as it is, without validating it again", async () => {
    dir = mkdtempSync(join(tmpdir(), "vigil-config-"));
    // A value the schema would reject (warmup below its minimum) comes back untouched: no second validation ran.
    const written = { ...parseConfig(TEXT), anomaly: { ...parseConfig(TEXT).anomaly, warmup: -1 } };
    writeFileSync(join(dir, "vigil.config.json"), JSON.stringify(written));
    const config = await loadConfig({ VIGIL_CONFIG_FILE: "vigil.config.json", LAMBDA_TASK_ROOT: dir, VIGIL_CONFIG: undefined });
    expect(config()).toEqual(written);
  });

  it("validates a config passed inline in VIGIL_CONFIG (the local runtime), filling defaults", async () => {
    const config = await loadConfig({ VIGIL_CONFIG_FILE: undefined, VIGIL_CONFIG: JSON.stringify({ anomaly: { warmup: 10 } }) });
    expect(config()).toEqual(parseConfig("anomaly: { warmup: 10 }"));
  });

  it("rejects an invalid inline config, naming where it came from and the problem", async () => {
    const config = await loadConfig({ VIGIL_CONFIG_FILE: undefined, VIGIL_CONFIG: JSON.stringify({ nope: 1 }) });
    expect(() => config()).toThrow(/^VIGIL_CONFIG: Unrecognized key: "nope"/);
  });

  it("runs on the defaults with neither", async () => {
    const config = await loadConfig({ VIGIL_CONFIG_FILE: undefined, VIGIL_CONFIG: undefined });
    expect(config()).toEqual(parseConfig(""));
  });
});
