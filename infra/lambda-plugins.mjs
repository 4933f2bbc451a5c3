// The esbuild plugins every Vigil Lambda is bundled with: SST reads this file through
// `nodejs.plugins` (infra/bundle.ts), the bench passes the same array to esbuild. Plain JavaScript,
// because SST imports it with node (.sst/platform/functions/nodejs-runtime/plugin.mjs).
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** What replaces the SDK's default credential chain in bundles (see that file's header). */
export const ENV_CREDENTIALS_MODULE = fileURLToPath(new URL("../functions/lib/env-credentials.ts", import.meta.url));

/** The package whose default chain is replaced. */
export const DEFAULT_CHAIN_PACKAGE = "@aws-sdk/credential-provider-node";

/**
 * Resolves `@aws-sdk/credential-provider-node` to functions/lib/env-credentials.ts. The filter is
 * `.*` and the path is tested in the callback: SST 3.19's bridge tests each filter against the
 * message instead of the import path, so a narrower filter would never fire under `sst deploy`.
 */
export const envCredentialsPlugin = {
  name: "vigil-env-credentials",
  setup(build) {
    build.onResolve({ filter: /.*/ }, (args) => (args.path === DEFAULT_CHAIN_PACKAGE ? { path: ENV_CREDENTIALS_MODULE } : undefined));
  },
};

/** What ElectroDB's model check gets instead of `jsonschema` (see that file's header). */
export const ELECTRODB_MODEL_CHECK_MODULE = fileURLToPath(new URL("../functions/lib/electrodb-model-check.ts", import.meta.url));

/**
 * The document commands ElectroDB's v3 client wrapper constructs (electrodb/src/client.js,
 * DocumentClientV3Wrapper), each with the DynamoDB command it wraps.
 */
export const ELECTRODB_DOCUMENT_COMMANDS = {
  Get: "GetItem",
  Put: "PutItem",
  Update: "UpdateItem",
  Delete: "DeleteItem",
  BatchGet: "BatchGetItem",
  BatchWrite: "BatchWriteItem",
  Query: "Query",
  Scan: "Scan",
  TransactGet: "TransactGetItems",
  TransactWrite: "TransactWriteItems",
};

const VIRTUAL = "vigil-electrodb";
const ELECTRODB_CLIENT = /[\\/]electrodb[\\/]src[\\/]client\.js$/;
const ELECTRODB_VALIDATIONS = /[\\/]electrodb[\\/]src[\\/]validations\.js$/;
const ELECTRODB_DOCUMENT_COMMAND_FILE = new RegExp(`[\\\\/]@aws-sdk[\\\\/]lib-dynamodb[\\\\/]dist-es[\\\\/]commands[\\\\/](${Object.keys(ELECTRODB_DOCUMENT_COMMANDS).join("|")})Command\\.js$`);

/** The two modules the plugin writes: what ElectroDB requires, and what those ten document commands import. */
const VIRTUAL_MODULES = {
  "document-commands": Object.keys(ELECTRODB_DOCUMENT_COMMANDS)
    .map((c) => `export { ${c}Command } from "@aws-sdk/lib-dynamodb/dist-es/commands/${c}Command.js";`)
    .join("\n"),
  "dynamodb-commands": Object.values(ELECTRODB_DOCUMENT_COMMANDS)
    .map((c) => `export { ${c}Command } from "@aws-sdk/client-dynamodb/dist-es/commands/${c}Command.js";`)
    .join("\n"),
};

/**
 * ElectroDB, as Lambda bundles need it:
 * - its `require("jsonschema")` resolves to functions/lib/electrodb-model-check.ts (see that file);
 * - its `require("@aws-sdk/lib-dynamodb")` resolves to a module exporting only the ten document commands it
 *   uses, imported from their own files, and those ten import their DynamoDB commands from their own files.
 *   A package entry that CommonJS code requires is bundled whole and run at load, with every module it
 *   reaches: through lib-dynamodb's and client-dynamodb's entries, every DynamoDB command class (about 60,
 *   each built at load) and 45 KB that tree-shaking keeps in any function that uses ElectroDB. The app's own
 *   ES imports of both packages are untouched and tree-shaken as before.
 * Same `.*` filter as above, for the same reason; the virtual modules resolve from the importer's folder,
 * so they bind the very copies of the packages the importer would.
 */
export const electrodbPlugin = {
  name: "vigil-electrodb",
  setup(build) {
    build.onResolve({ filter: /.*/ }, (args) => {
      const importer = args.importer ?? "";
      if (args.path === "jsonschema" && ELECTRODB_VALIDATIONS.test(importer)) return { path: ELECTRODB_MODEL_CHECK_MODULE };
      if (args.path === "@aws-sdk/lib-dynamodb" && ELECTRODB_CLIENT.test(importer)) {
        return { path: `document-commands:${args.resolveDir}`, namespace: VIRTUAL };
      }
      if (args.path === "@aws-sdk/client-dynamodb" && ELECTRODB_DOCUMENT_COMMAND_FILE.test(importer)) {
        return { path: `dynamodb-commands:${args.resolveDir}`, namespace: VIRTUAL };
      }
      return undefined;
    });
    build.onLoad({ filter: /.*/ }, (args) => {
      if (args.namespace !== VIRTUAL) return undefined;
      const at = args.path.indexOf(":");
      return { contents: VIRTUAL_MODULES[args.path.slice(0, at)], loader: "js", resolveDir: args.path.slice(at + 1) };
    });
  },
};

/** The app's folders whose modules have no side effects at import: the pure domain and the contracts. */
export const SIDE_EFFECT_FREE_FOLDERS = ["core", "events"].map((folder) => fileURLToPath(new URL(`../${folder}/`, import.meta.url)));

/**
 * Declares the modules of core/ and events/ free of side effects, as a package does with `"sideEffects": false`:
 * they only define functions, constants and zod schemas (whose registry metadata only the JSON Schema export
 * reads, at deploy). esbuild then leaves out a module none of whose exports a function uses, even when a barrel
 * (`core/grouping/index.ts`) re-exports it, instead of keeping its top-level zod schema constructions because
 * it cannot prove them pure: incident-timer built 1,067 zod schemas at import, 246 with this. The app's
 * extensionless relative imports are resolved here as esbuild would (`.ts`, then `/index.ts`), since SST's
 * plugin bridge offers no `build.resolve`; anything else is left to esbuild.
 */
export const sideEffectFreeAppPlugin = {
  name: "vigil-side-effect-free-app",
  setup(build) {
    build.onResolve({ filter: /.*/ }, (args) => {
      if (!args.path.startsWith(".") || !args.resolveDir) return undefined;
      const base = resolve(args.resolveDir, args.path);
      if (!SIDE_EFFECT_FREE_FOLDERS.some((folder) => base.startsWith(folder))) return undefined;
      const file = [`${base}.ts`, join(base, "index.ts")].find((candidate) => existsSync(candidate));
      return file ? { path: file, sideEffects: false } : undefined;
    });
  },
};

export default [envCredentialsPlugin, electrodbPlugin, sideEffectFreeAppPlugin];
