import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { build, type Plugin, type PluginBuild } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundleFunction, discoverFunctions, MissingHandlerError, packageOf, topContributors } from "../../bench/lib/bundle";
import { ColdImportFailedError, coldImportMs, coldImportSample, median } from "../../bench/lib/cold-import";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { LAMBDA_PLUGINS_FILE, lambdaEsbuildOptions, lambdaNodejs, SST_FORCED_EXTERNALS } from "../../infra/bundle";
import lambdaPlugins, { DEFAULT_CHAIN_PACKAGE, ELECTRODB_MODEL_CHECK_MODULE, ENV_CREDENTIALS_MODULE } from "../../infra/lambda-plugins.mjs";

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "vigil-bundle-test-"));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function write(path: string, text: string): string {
  const file = join(dir, path);
  mkdirSync(resolve(file, ".."), { recursive: true });
  writeFileSync(file, text);
  return file;
}

describe("discoverFunctions", () => {
  it("keeps top-level .ts files exporting handler, and nothing from lib/, tests or other modules", () => {
    write("fns/b-const.ts", "export const handler = async () => 1;\n");
    write("fns/a-braces.ts", "const h = () => 1;\nexport { h as other, h as handler };\n");
    write("fns/c-function.ts", "export async function handler() {}\n");
    write("fns/helper.ts", "export const handlerName = 'x';\n");
    write("fns/d.test.ts", "export const handler = 1;\n");
    write("fns/lib/shared.ts", "export const handler = 1;\n");
    expect(discoverFunctions(join(dir, "fns")).map((f) => f.name)).toEqual(["a-braces", "b-const", "c-function"]);
  });

  it("finds the repository's Lambdas", () => {
    const names = discoverFunctions(resolve(process.cwd(), "functions")).map((f) => f.name);
    expect(names).toEqual(expect.arrayContaining(["anomaly-scorer", "audit-writer"]));
  });
});

describe("bundleFunction", () => {
  it("emits one minified ES module whose CommonJS dependencies can require builtins", async () => {
    write("app/node_modules/cjs-dep/package.json", JSON.stringify({ name: "cjs-dep", main: "index.js" }));
    write("app/node_modules/cjs-dep/index.js", "const path = require('node:path');\nmodule.exports = { joinAll: (...p) => path.posix.join(...p) };\n");
    const entry = write("app/fn.ts", "import dep from 'cjs-dep';\nexport const handler = async (parts: string[]) => dep.joinAll(...parts);\n");

    const { file, bytes, metafile } = await bundleFunction(entry, join(dir, "out"));

    expect(file.endsWith("fn.mjs")).toBe(true);
    expect(bytes).toBe(statSync(file).size);
    const code = readFileSync(file, "utf8");
    expect(code.startsWith('import { createRequire as topLevelCreateRequire } from "module";')).toBe(true);
    expect(code.split("\n").length).toBeLessThan(12);
    expect(Object.keys(metafile.inputs).some((p) => p.includes("node_modules/cjs-dep/"))).toBe(true);
    const { handler } = (await import(pathToFileURL(file).href)) as { handler: (p: string[]) => Promise<string> };
    await expect(handler(["a", "b"])).resolves.toBe("a/b");
  });

  it("refuses an entry that does not export handler", async () => {
    const entry = write("nohandler/fn.ts", "export const main = () => 1;\n");
    await expect(bundleFunction(entry, join(dir, "out"))).rejects.toBeInstanceOf(MissingHandlerError);
  });

  it("inlines @aws-sdk by default, as SST deploys, and leaves it external on request", async () => {
    const entry = resolve(process.cwd(), "functions/audit-writer.ts");
    const inlined = await bundleFunction(entry, join(dir, "sdk-in"));
    const external = await bundleFunction(entry, join(dir, "sdk-ext"), { externalAwsSdk: true });
    const sdkInputs = (m: typeof inlined.metafile) => Object.keys(m.inputs).filter((p) => p.includes("node_modules/@aws-sdk/"));
    expect(sdkInputs(inlined.metafile).length).toBeGreaterThan(0);
    expect(sdkInputs(external.metafile)).toEqual([]);
    expect(external.bytes).toBeLessThan(inlined.bytes);
    expect(readFileSync(external.file, "utf8")).toMatch(/from\s*"@aws-sdk\/client-dynamodb"/);
  });
});

describe("infra/bundle.ts: one set of options for SST and the bench", () => {
  it("builds what lambdaNodejs asks SST for, with SST's own banner and forced externals", () => {
    const options = lambdaEsbuildOptions("fn.ts", "out/fn.mjs");
    expect(options).toMatchObject({
      format: lambdaNodejs.format,
      minify: lambdaNodejs.minify,
      sourcemap: lambdaNodejs.sourcemap,
      target: lambdaNodejs.esbuild.target,
      keepNames: lambdaNodejs.esbuild.keepNames,
      mainFields: [...lambdaNodejs.esbuild.mainFields],
      bundle: true,
      platform: "node",
      // SST's shape with nodejs.splitting: the handler's folder as outdir, .mjs chunks, no outfile.
      splitting: true,
      outdir: "out",
      outExtension: { ".js": ".mjs" },
    });
    expect(options).not.toHaveProperty("outfile");
    expect(lambdaNodejs.splitting).toBe(true);
    expect(options.external).toEqual([...SST_FORCED_EXTERNALS, ...lambdaNodejs.esbuild.external]);
    expect(options.banner?.js).toContain("createRequire");
    expect(lambdaEsbuildOptions("fn.ts", "out/fn.mjs", { externalAwsSdk: true }).external).toContain("@aws-sdk/*");
  });

  it("hands SST and the bench the same plugins file", async () => {
    expect(existsSync(resolve(process.cwd(), lambdaNodejs.plugins))).toBe(true);
    expect(lambdaNodejs.plugins).toBe(LAMBDA_PLUGINS_FILE);
    const fromFile = (await import(pathToFileURL(resolve(process.cwd(), LAMBDA_PLUGINS_FILE)).href)) as { default: unknown[] };
    expect(lambdaEsbuildOptions("fn.ts", "out/fn.mjs").plugins).toEqual(fromFile.default);
  });

  it("leaves the createRequire banner to SST, which prepends its own", () => {
    expect(lambdaNodejs).not.toHaveProperty("banner");
    expect(lambdaNodejs.esbuild).not.toHaveProperty("banner");
  });

  it("gives SST an esbuild target it reads (esNNNN or esnext; node20 is ignored)", () => {
    expect(lambdaNodejs.esbuild.target).toMatch(/^es(\d{4}|next)$/);
  });
});

describe("the environment-only credential provider", () => {
  it("replaces the SDK's default chain in a bundle: no STS/SSO clients, no ini or process providers", async () => {
    const { metafile } = await bundleFunction(resolve(process.cwd(), "functions/metrics-forwarder.ts"), join(dir, "creds"));
    const inputs = Object.keys(metafile.inputs);
    expect(inputs).toContain(relativeToCwd(ENV_CREDENTIALS_MODULE));
    expect(inputs.filter((p) => /node_modules\/@aws-sdk\/(credential-provider-(node|ini|sso|process|web-identity|login)|nested-clients)\//.test(p))).toEqual([]);
  });

  it("resolves the default chain to functions/lib/env-credentials.ts and nothing else", async () => {
    const resolved = await resolveThrough(lambdaPlugins, DEFAULT_CHAIN_PACKAGE);
    expect(resolved).toEqual({ path: ENV_CREDENTIALS_MODULE });
    expect(await resolveThrough(lambdaPlugins, "@aws-sdk/credential-provider-env")).toBeUndefined();
  });

  // SST's Go builder hands each import to this script as {id, command, value: {path, ...}}; it tests the
  // plugin's filter against the message, not the path, so the plugin must match in its callback.
  const sstPluginRunner = resolve(process.cwd(), ".sst/platform/functions/nodejs-runtime/plugin.mjs");
  it.skipIf(!existsSync(sstPluginRunner))("works through SST's own plugin runner (run npm run sst:types to install it)", async () => {
    const replies = await sstResolve(sstPluginRunner, [DEFAULT_CHAIN_PACKAGE, "@aws-sdk/credential-provider-env", "./local-file"]);
    expect(replies).toEqual([{ path: ENV_CREDENTIALS_MODULE }, {}, {}]);
    const validations = resolve(process.cwd(), "node_modules/electrodb/src/validations.js");
    expect(await sstResolve(sstPluginRunner, ["jsonschema", "./errors"], validations)).toEqual([{ path: ELECTRODB_MODEL_CHECK_MODULE }, {}]);
    const [app] = (await sstResolve(sstPluginRunner, ["./alert"], resolve(process.cwd(), "core/store/service.ts"))) as { path: string; sideEffects: boolean }[];
    expect(app).toEqual({ path: resolve(process.cwd(), "core/store/alert.ts"), sideEffects: false });
  });
});

describe("ElectroDB's dependencies in a bundle", () => {
  const electrodbFile = (name: string) => resolve(process.cwd(), "node_modules/electrodb/src", name);

  it("swaps jsonschema and lib-dynamodb for ElectroDB's own requires only", async () => {
    expect(await resolveThrough(lambdaPlugins, "jsonschema", electrodbFile("validations.js"))).toEqual({ path: ELECTRODB_MODEL_CHECK_MODULE });
    expect(await resolveThrough(lambdaPlugins, "@aws-sdk/lib-dynamodb", electrodbFile("client.js"))).toMatchObject({ namespace: "vigil-electrodb" });
    expect(await resolveThrough(lambdaPlugins, "jsonschema", resolve(process.cwd(), "functions/x.ts"))).toBeUndefined();
    expect(await resolveThrough(lambdaPlugins, "@aws-sdk/lib-dynamodb", resolve(process.cwd(), "core/store/service.ts"))).toBeUndefined();
  });
});

describe("splitting", () => {
  it("keeps the playbooks' SDK clients out of the remediator's import: they load with the step that calls them", async () => {
    const { bytes, totalBytes, loadedOutputs, metafile } = await bundleFunction(resolve(process.cwd(), "functions/remediator.ts"), join(dir, "split"));
    const holding = (pkg: string) => Object.entries(metafile.outputs).filter(([, o]) => Object.entries(o.inputs).some(([p, i]) => p.includes(`node_modules/${pkg}/`) && i.bytesInOutput > 0)).map(([path]) => path);
    for (const pkg of ["@aws-sdk/client-ec2", "@aws-sdk/client-s3", "@aws-sdk/client-iam", "@aws-sdk/client-ssm"]) {
      expect(holding(pkg).length, pkg).toBeGreaterThan(0);
      expect(holding(pkg).filter((path) => loadedOutputs.includes(path)), pkg).toEqual([]);
    }
    expect(bytes).toBeLessThan(totalBytes / 2);
    expect(bytes).toBe(loadedOutputs.reduce((total, path) => total + metafile.outputs[path]!.bytes, 0));
  });
});

function relativeToCwd(path: string): string {
  return path.slice(process.cwd().length + 1);
}

// Runs the plugins' onResolve callbacks as esbuild would, for one import path (from `importer`).
async function resolveThrough(plugins: Plugin[], path: string, importer = resolve(process.cwd(), "functions/x.ts")): Promise<unknown> {
  const callbacks: { filter: RegExp; callback: (args: { path: string; importer: string; resolveDir: string }) => unknown }[] = [];
  const onResolve = (options: { filter: RegExp }, callback: (args: { path: string; importer: string; resolveDir: string }) => unknown) => callbacks.push({ filter: options.filter, callback });
  for (const plugin of plugins) await plugin.setup({ onResolve, onLoad: () => undefined } as unknown as PluginBuild);
  for (const { filter, callback } of callbacks) {
    if (!filter.test(path)) continue;
    const result = await callback({ path, importer, resolveDir: resolve(importer, "..") });
    if (result) return result;
  }
  return undefined;
}

// Sends resolve requests to SST's plugin runner the way sst's Go builder does, one JSON line each.
function sstResolve(runner: string, paths: string[], importer = resolve(process.cwd(), "functions/x.ts")): Promise<unknown[]> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [runner, resolve(process.cwd(), LAMBDA_PLUGINS_FILE)], { stdio: ["pipe", "pipe", "pipe"] });
    const replies = new Map<number, unknown>();
    let buffer = "";
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.stdout.on("data", (chunk: Buffer) => {
      buffer += chunk.toString("utf8");
      for (let nl = buffer.indexOf("\n"); nl >= 0; nl = buffer.indexOf("\n")) {
        const { id, value } = JSON.parse(buffer.slice(0, nl)) as { id: number; value: unknown };
        buffer = buffer.slice(nl + 1);
        replies.set(id, value);
        if (replies.size === paths.length) {
          child.kill();
          resolvePromise(paths.map((_, i) => replies.get(i)));
        }
      }
    });
    child.on("error", reject);
    child.on("exit", (code) => {
      if (replies.size < paths.length) reject(new Error(`SST's plugin runner exited (${code}) after ${replies.size} replies: ${stderr}`));
    });
    paths.forEach((path, id) => {
      const value = { path, importer, namespace: "file", resolveDir: resolve(importer, ".."), kind: "import-statement", pluginData: 0, with: {} };
      child.stdin.write(`${JSON.stringify({ id, command: "resolve", value })}\n`);
    });
  });
}

// `import { z } from "zod"` imports zod's namespace object, which esbuild cannot tree-shake: one such
// line puts all of zod (about 450 KB with every locale) in a bundle; `import * as z` leaves about 100.
describe("zod imports in Lambda code", () => {
  it("import zod as a namespace in every source file a function bundles", async () => {
    const entries = discoverFunctions(resolve(process.cwd(), "functions")).map((f) => f.entry);
    const { outfile: _, ...options } = lambdaEsbuildOptions(entries[0]!, join(dir, "zod", "x.mjs"));
    const { metafile } = await build({ ...options, entryPoints: entries, outdir: join(dir, "zod"), write: false, logLevel: "silent" });
    const namedZ = /^import\s+\{[^}]*\bz\b[^}]*\}\s+from\s+["']zod(?:\/v4)?["']/m;
    const sources = Object.keys(metafile.inputs).filter((p) => !p.includes("node_modules") && /\.ts$/.test(p));
    expect(sources.length).toBeGreaterThan(entries.length);
    expect(sources.filter((p) => namedZ.test(readFileSync(resolve(process.cwd(), p), "utf8")))).toEqual([]);
  });
});

describe("topContributors", () => {
  it("groups a bundle's bytes by package, heaviest first, app code as (app)", async () => {
    const entry = write("weights/fn.ts", "import dep from 'cjs-dep';\nexport const handler = () => dep.joinAll('x');\n");
    write("weights/node_modules/cjs-dep/package.json", JSON.stringify({ name: "cjs-dep", main: "index.js" }));
    write("weights/node_modules/cjs-dep/index.js", `module.exports = { joinAll: (...p) => p.join("${"x".repeat(4000)}") };\n`);
    const { metafile } = await bundleFunction(entry, join(dir, "out"));
    const top = topContributors(metafile);
    expect(top.map((c) => c.name)).toEqual(["cjs-dep", "(app)"]);
    expect(top[0]!.bytes).toBeGreaterThan(4000);
  });

  it("names the innermost package of a path", () => {
    expect(packageOf("node_modules/@aws-sdk/core/dist-es/index.js")).toBe("@aws-sdk/core");
    expect(packageOf("node_modules/electrodb/node_modules/jsonschema/lib/index.js")).toBe("jsonschema");
    expect(packageOf("core/store/service.ts")).toBe("(app)");
  });
});

describe("cold import", () => {
  it("times a module in a fresh node that sees the SST links and a region", async () => {
    const file = write("cold/links.mjs", "for (const k of ['SST_RESOURCE_VigilTable', 'SST_RESOURCE_OpsBus', 'SST_RESOURCE_MetricsStream']) JSON.parse(process.env[k]);\nif (!process.env.AWS_REGION) throw new Error('no region');\n");
    const ms = await coldImportMs(file);
    expect(ms).toBeGreaterThanOrEqual(0);
    expect(ms).toBeLessThan(10_000);
  });

  it("reports the import's CPU time beside its wall-clock time", async () => {
    const file = write("cold/busy.mjs", "const end = performance.now() + 30;\nwhile (performance.now() < end);\n");
    const { wallMs, cpuMs } = await coldImportSample(file);
    expect(wallMs).toBeGreaterThanOrEqual(30);
    expect(cpuMs).toBeGreaterThan(0);
  });

  it("reports a module that fails to load, with its error", async () => {
    const file = write("cold/broken.mjs", "throw new Error('boom at load');\n");
    const failure = coldImportMs(file);
    await expect(failure).rejects.toBeInstanceOf(ColdImportFailedError);
    await expect(failure).rejects.toThrow(/boom at load/);
  });

  it("takes medians of odd and even samples and refuses an empty one", () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow(RangeError);
  });
});
