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
 *   (`Runtime.Build`, recorded here as {@link BuildRequest}s) and look up bootstrap data; a loopback
 *   stub answers with an empty bundle;
 * - the names SST gives the resources inside its components (`<name>Function`, `<name>Role`,
 *   `<bus>Subscriber<name>Rule`…), the shape its role policies reach the mocks in, and Pulumi's
 *   secret envelope: tests go through {@link lambdaOf}, {@link roleStatements}, {@link subscriptionOf},
 *   {@link cronOf} and {@link unsecret} instead of spelling them.
 * Paths point into `.sst/platform`, which `npm run sst:types` installs.
 */

const ROOT = path.resolve(import.meta.dirname, "../..");
const PLATFORM = path.join(ROOT, ".sst/platform");
const PULUMI = path.join(PLATFORM, "node_modules/@pulumi/pulumi/index.js");

/** True when `scripts/sst-types.sh` has installed SST's platform, which these tests run. */
export const hasSstPlatform = existsSync(path.join(PLATFORM, "src/components/index.ts")) && existsSync(PULUMI);

/** What a function's build asked SST's CLI for: its handler, linked resources' properties, copied files, esbuild options. */
export interface BuildRequest {
  functionID: string;
  handler: string;
  runtime: string;
  links: Record<string, Record<string, unknown>>;
  copyFiles: { from: string; to: string }[];
  properties: Record<string, unknown>;
}

/** Everything one run of the program registered or asked for. */
export interface InfraRun {
  resources: RegisteredResource[];
  builds: BuildRequest[];
}

/** A resource the program registered, with its inputs as the mocks received them. */
export interface RegisteredResource {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

/** The mocked ARN every registered resource gets, so tests can follow references between resources. */
export const mockArn = (type: string, name: string) => `arn:aws:mock:us-east-1:123456789012:${type}/${name}`;

/** Outputs AWS computes that components read back (a function URL's address, a queue's URL). */
const MOCK_OUTPUTS: Record<string, (name: string) => Record<string, string>> = {
  "aws:lambda/functionUrl:FunctionUrl": (name) => ({ functionUrl: mockFunctionUrl(name) }),
  "aws:sqs/queue:Queue": (name) => ({ url: `https://sqs.us-east-1.amazonaws.com/123456789012/${name}` }),
};

/** The mocked address of the function URL registered as `name`. */
export const mockFunctionUrl = (name: string) => `https://${name.toLowerCase()}.lambda-url.us-east-1.on.aws/`;

/**
 * Runs the app's own `run()` from sst.config.ts (so the modules load in the order it composes
 * them) on stage `stage`, and resolves once the program stops registering resources. `secrets` are the values `sst secret set`
 * would hold: SST fails the program on any declared secret without one.
 */
export async function runInfra(
  { stage = "test", secrets = {}, env = {} }: { stage?: string; secrets?: Record<string, string>; env?: Record<string, string> } = {},
): Promise<InfraRun> {
  for (const [name, value] of Object.entries(secrets)) process.env[`SST_SECRET_${name}`] = value;
  Object.assign(process.env, env);
  const rpc = await startRpcStub();
  try {
    const resources: RegisteredResource[] = [];
    const pulumi = await import(PULUMI);
    await pulumi.runtime.setMocks(
      {
        newResource: ({ type, name, inputs }: RegisteredResource) => {
          resources.push({ type, name, inputs });
          return { id: `${name}-id`, state: { ...inputs, ...MOCK_OUTPUTS[type]?.(name), arn: mockArn(type, name), name: inputs.name ?? name } };
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
    const app = (await import(path.join(ROOT, "sst.config.ts"))).default as SstApp;
    await app.run();
    // Each sst.aws.Function registers its Lambda only after its build and code archive: wait for all of them.
    const count = (type: string) => resources.filter((r) => r.type === type).length;
    await settled(() => resources.length + rpc.calls(), () => count("sst:aws:Function") === count("aws:lambda/function:Function"));
    return { resources, builds: rpc.builds };
  } finally {
    rpc.close();
  }
}

/**
 * Waits until nothing happened for a while (no resource registered, no RPC call from a component) and
 * `ready` holds: outputs resolve asynchronously, and resources created inside `apply` come last.
 */
async function settled(activity: () => number, ready: () => boolean, quietMs = 1_000, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let seen = -1;
  while ((seen !== activity() || !ready()) && Date.now() < deadline) {
    seen = activity();
    await new Promise((resolve) => setTimeout(resolve, quietMs));
  }
}

async function startRpcStub(): Promise<{ url: string; close: () => void; calls: () => number; builds: BuildRequest[] }> {
  let calls = 0;
  const builds: BuildRequest[] = [];
  const bundle = mkdtempSync(path.join(os.tmpdir(), "vigil-sst-bundle-"));
  writeFileSync(path.join(bundle, "index.mjs"), "export const handler = () => {};\n");
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      calls++;
      const { method, params } = JSON.parse(body) as { method: string; params: [BuildRequest] };
      if (method === "Runtime.Build") builds.push(params[0]);
      const result = method === "Runtime.Build" ? { handler: "index.handler", out: bundle, errors: [], sourcemaps: [] } : {};
      res.end(JSON.stringify({ result }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.env.SST_SERVER = url;
  return {
    url,
    calls: () => calls,
    builds,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

/** sst.config.ts's definition, as `$config` receives it. */
interface SstApp {
  app(input: { stage: string }): { removal: string; protect: boolean };
  run(): Promise<unknown>;
}

/** The `app()` settings sst.config.ts gives a stage (removal policy, protection). */
export async function appSettings(stage: string): Promise<{ removal: string; protect: boolean }> {
  Object.assign(globalThis, { $config: (definition: unknown) => definition });
  const app = (await import(path.join(ROOT, "sst.config.ts"))).default as SstApp;
  return app.app({ stage });
}

/** A value Pulumi marked secret reaches the mocks wrapped in this envelope; plain values pass through. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
export function unsecret<T>(value: T): T {
  if (value && typeof value === "object" && SECRET_SIG in value) return (value as unknown as { value: T }).value;
  return value;
}

/** An IAM statement as the mocked `getPolicyDocument` received it. */
export interface MockStatement {
  effect?: string;
  actions: string[];
  resources: string[];
  conditions?: { test: string; variable: string; values: string[] }[];
}

/** The Lambda function SST's `sst.aws.Function` named `name` creates (`<name>Function`). */
export function lambdaOf(resources: RegisteredResource[], name: string): RegisteredResource {
  return only(resources, "aws:lambda/function:Function", `${name}Function`);
}

/** The statements of the inline policy SST puts on the role of the function named `name` (`<name>Role`). */
export function roleStatements(resources: RegisteredResource[], name: string): MockStatement[] {
  const role = only(resources, "aws:iam/role:Role", `${name}Role`);
  const policies = unsecret(role.inputs.inlinePolicies) as { name: string; policy: unknown }[];
  return policies.flatMap((p) => (JSON.parse(String(unsecret(p.policy))) as { statements: MockStatement[] }).statements);
}

/** The trust policy of the function's role. */
export function roleTrust(resources: RegisteredResource[], name: string): unknown {
  const policy = unsecret(only(resources, "aws:iam/role:Role", `${name}Role`).inputs.assumeRolePolicy);
  return typeof policy === "string" ? JSON.parse(policy) : policy;
}

/** The rules and targets SST's `bus.subscribe(name, …)` creates on the bus named `bus` (`<bus>Subscriber<name>Rule` / `Target`). */
export function subscriptionOf(resources: RegisteredResource[], bus: string, name: string) {
  return {
    rule: only(resources, "aws:cloudwatch/eventRule:EventRule", `${bus}Subscriber${name}Rule`),
    target: only(resources, "aws:cloudwatch/eventTarget:EventTarget", `${bus}Subscriber${name}Target`),
  };
}

/** The rule and target of SST's `sst.aws.Cron` named `name`. */
export function cronOf(resources: RegisteredResource[], name: string) {
  return {
    rule: only(resources, "aws:cloudwatch/eventRule:EventRule", `${name}Rule`),
    target: only(resources, "aws:cloudwatch/eventTarget:EventTarget", `${name}Target`),
  };
}

/** The one registered resource of `type` named `name`. */
export function only(resources: RegisteredResource[], type: string, name: string): RegisteredResource {
  const found = resources.filter((r) => r.type === type && r.name === name);
  if (found.length !== 1) throw new Error(`expected one ${type} named ${name}, found ${found.length}; registered: ${resources.filter((r) => r.type === type).map((r) => r.name).join(", ")}`);
  return found[0]!;
}
