import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";

/**
 * Runs infra modules with SST's real components under Pulumi's unit-test mocks, without AWS.
 *
 * Everything that depends on SST internals lives in this file, because none of it is public API:
 * - the globals SST's CLI defines before it evaluates `run()` ($app, $cli, $dev, sst, aws and the
 *   `$util`-style helpers exported by `.sst/platform/src/shim/run.js`);
 * - the CLI's RPC server (SST_SERVER), which components call to build functions
 *   (`Runtime.Build`) and look up bootstrap data; a loopback stub answers with an empty bundle.
 * Paths point into `.sst/platform`, which `bash scripts/sst-types.sh` installs.
 */

const ROOT = path.resolve(import.meta.dirname, "../..");
const PLATFORM = path.join(ROOT, ".sst/platform");
const PULUMI = path.join(PLATFORM, "node_modules/@pulumi/pulumi/index.js");

/** True when `scripts/sst-types.sh` has installed SST's platform, which these tests run. */
export const hasSstPlatform = existsSync(path.join(PLATFORM, "src/components/index.ts")) && existsSync(PULUMI);

/** A resource the program registered, with its inputs as the mocks received them. */
export interface RegisteredResource {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

/** The mocked ARN every registered resource gets, so tests can follow references between resources. */
export const mockArn = (type: string, name: string) => `arn:aws:mock:us-east-1:123456789012:${type}/${name}`;

/**
 * Runs the app's own `run()` from sst.config.ts (so the modules load in the order it composes
 * them) on stage `stage`, and resolves once the program stops registering resources. `secrets` are the values `sst secret set`
 * would hold: SST fails the program on any declared secret without one.
 */
export async function runInfra(
  { stage = "test", secrets = {} }: { stage?: string; secrets?: Record<string, string> } = {},
): Promise<RegisteredResource[]> {
  for (const [name, value] of Object.entries(secrets)) process.env[`SST_SECRET_${name}`] = value;
  const rpc = await startRpcStub();
  try {
    const resources: RegisteredResource[] = [];
    const pulumi = await import(PULUMI);
    await pulumi.runtime.setMocks(
      {
        newResource: ({ type, name, inputs }: RegisteredResource) => {
          resources.push({ type, name, inputs });
          return { id: `${name}-id`, state: { ...inputs, arn: mockArn(type, name), name: inputs.name ?? name } };
        },
        // Data sources (region, partition, caller identity, policy documents) answer with plain values.
        call: ({ inputs }: { inputs: Record<string, unknown> }) => ({
          ...inputs,
          name: "us-east-1",
          region: "us-east-1",
          partition: "aws",
          dnsSuffix: "amazonaws.com",
          accountId: "123456789012",
          json: JSON.stringify(inputs),
        }),
      },
      "vigil",
      stage,
      false,
    );
    // Components read $app and $cli while their modules load, so these come first.
    Object.assign(globalThis, {
      $app: { name: "vigil", stage, removal: "remove", protect: false, providers: { aws: true } },
      $cli: {
        command: "deploy",
        rpc: rpc.url,
        paths: { root: ROOT, work: path.join(ROOT, ".sst"), platform: PLATFORM, home: os.tmpdir() },
        state: { version: {} },
      },
      $dev: false,
    });
    Object.assign(globalThis, await import(path.join(PLATFORM, "src/shim/run.js")), {
      sst: await import(path.join(PLATFORM, "src/components/index.ts")),
      aws: await import(path.join(PLATFORM, "node_modules/@pulumi/aws/index.js")),
    });
    // sst.config.ts is `export default $config({ app, run })`: take the definition as it is.
    Object.assign(globalThis, { $config: (definition: unknown) => definition });
    const app = (await import(path.join(ROOT, "sst.config.ts"))).default as { run(): Promise<unknown> };
    await app.run();
    await settled(resources);
    return resources;
  } finally {
    rpc.close();
  }
}

/** Waits until no resource has been registered for a while: outputs resolve asynchronously. */
async function settled(resources: RegisteredResource[], quietMs = 750, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let seen = -1;
  while (seen !== resources.length && Date.now() < deadline) {
    seen = resources.length;
    await new Promise((resolve) => setTimeout(resolve, quietMs));
  }
}

async function startRpcStub(): Promise<{ url: string; close: () => void }> {
  const bundle = mkdtempSync(path.join(os.tmpdir(), "vigil-sst-bundle-"));
  writeFileSync(path.join(bundle, "index.mjs"), "export const handler = () => {};\n");
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      const { method } = JSON.parse(body) as { method: string };
      const result = method === "Runtime.Build" ? { handler: "index.handler", out: bundle, errors: [], sourcemaps: [] } : {};
      res.end(JSON.stringify({ result }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.env.SST_SERVER = url;
  return { url, close: () => server.close() };
}
