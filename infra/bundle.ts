import { dirname } from "node:path";
import type { BuildOptions } from "esbuild";
import lambdaPlugins from "./lambda-plugins.mjs";

/**
 * How every Vigil Lambda is bundled, in the two shapes that need it: `lambdaNodejs` is the `nodejs`
 * argument of `sst.aws.Function` (what deploys), `lambdaEsbuildOptions` the esbuild options SST
 * derives from it (what `npm run bench:cold` builds and measures). One source, so the bench measures
 * exactly what deploys.
 *
 * SST v3 (3.19) builds ESM itself with: bundle, platform node, metafile, `keepNames`, `mainFields`
 * `["module", "main"]`, the `createRequire` banner below, and minifies when `nodejs.minify` is set
 * (its Go builder; checked against the sst 3.19 binary's option names). It reads only `target`, `sourcemap`, `keepNames`, `define`, `external`, `nodePaths`,
 * `mainFields` and `conditions` from `nodejs.esbuild`, and `target` only as `esNNNN`/`esnext`
 * (a `node20` target is silently ignored), hence `es2023`, which Node 20 and 22 run natively.
 *
 * AWS SDK v3: inlined, not left to the runtime. Marking `@aws-sdk/*` external halves most bundles
 * (audit-writer 828 -> 406 KB, remediator 1,729 -> 467 KB) but the function then loads the runtime's
 * whole, un-tree-shaken SDK packages at cold start: `npm run bench:cold -- --compare-sdk` measured
 * that import 1.5x slower (audit-writer) to 3x slower (remediator, EC2 client). It would also run
 * whatever SDK release the runtime carries, not the version the tests and aws-sdk-client-mock ran
 * against: version skew, where a newer client's fix or changed default is missing or different in
 * production, and changes under the function whenever AWS updates the runtime.
 *
 * `keepNames` stays on (SST's default) not only for stack traces: Powertools' BatchProcessor checks
 * `this.constructor.name === "BatchProcessor"`, which minified names would break.
 *
 * Plugins: SST 3.19 takes them as `nodejs.plugins`, the path of a JavaScript file exporting an array
 * (an option its docs mark internal; its Go builder runs each import through
 * .sst/platform/functions/nodejs-runtime/plugin.mjs, which test/infra/bundle.test.ts drives directly).
 * Vigil's first plugin (infra/lambda-plugins.mjs) swaps the SDK's default credential chain for the
 * environment-only provider Lambda needs: audit-writer 829 -> 694 KB, metrics-forwarder 377 -> 231 KB.
 * The path is relative to the directory sst runs in, the app root. The plugins also give ElectroDB only the
 * parts of its dependencies a Lambda runs (infra/lambda-plugins.mjs): 88 KB less per function using it, and
 * no re-validation of the constant models, three quarters of the time building the store took; and they
 * declare core/ and events/ free of side effects, so a module no function uses is left out with the zod
 * schemas it would build at load (incident-timer 1,067 -> 246 schemas).
 *
 * Splitting (`nodejs.splitting`): each dynamically imported module becomes its own file beside the handler,
 * read only when imported. SST (its Go builder) then writes to the handler's folder (`outdir`) with `.mjs`
 * chunks instead of one `outfile`; the entry keeps its name. What that leaves out of the import: the
 * remediation playbooks' EC2, S3, IAM and SSM clients, imported per service when a plan calls it
 * (functions/lib/playbooks/services.ts; remediator 1,624 -> 705 KB read at import, approve 1,601 -> 667),
 * the config validator deployed functions never load (functions/lib/config.ts), and SDK code Lambda never
 * runs (event streams, the browser user-agent parser).
 */

/**
 * The banner SST prepends to every ESM bundle (and the bench with it): CommonJS dependencies call
 * `require`, and some read `__filename`/`__dirname`, none of which exist in an ES module. SST adds
 * it itself, so it is NOT repeated in `lambdaNodejs.banner` (a second `const require` would not parse).
 */
export const ESM_REQUIRE_BANNER = [
  `import { createRequire as topLevelCreateRequire } from "module";`,
  `const require = topLevelCreateRequire(import.meta.url);`,
  `import { fileURLToPath as topLevelFileUrlToPath, URL as topLevelURL } from "url";`,
  `const __filename = topLevelFileUrlToPath(import.meta.url);`,
  `const __dirname = topLevelFileUrlToPath(new topLevelURL(".", import.meta.url));`,
].join("\n");

/** Packages SST never bundles (native add-ons it installs beside the bundle instead). */
export const SST_FORCED_EXTERNALS = ["sharp", "pg-native"] as const;

/** The file SST loads the plugins from (relative to the app root), and the bench imports. */
export const LAMBDA_PLUGINS_FILE = "infra/lambda-plugins.mjs";

/** The `@aws-sdk/*` pattern, for measuring the runtime-SDK alternative (`externalAwsSdk`). */
export const AWS_SDK_EXTERNAL = "@aws-sdk/*";

/**
 * The `nodejs` argument of every Vigil `sst.aws.Function`: `{ ...baseArgs, nodejs: lambdaNodejs }`.
 * Minified and tree-shaken ESM; no source map asked for in the deployed package (SST's documented
 * default; the bench builds none).
 */
export const lambdaNodejs = {
  format: "esm",
  minify: true,
  sourcemap: false,
  splitting: true,
  plugins: LAMBDA_PLUGINS_FILE,
  esbuild: {
    target: "es2023",
    keepNames: true,
    // ESM builds first: they tree-shake; `main` is the CommonJS fallback.
    mainFields: ["module", "main"] as string[],
    // Mutable arrays, as SST's FunctionArgs types want them.
    external: [] as string[],
  },
} as const satisfies {
  format: "esm" | "cjs";
  minify: boolean;
  sourcemap: boolean;
  splitting: boolean;
  plugins: string;
  esbuild: Pick<BuildOptions, "target" | "keepNames" | "mainFields" | "external">;
};

/** What the bench may vary; deploys always use the defaults. */
export interface LambdaBundleVariant {
  /** Leave `@aws-sdk/*` to the Lambda runtime's own copy (for comparison only). */
  externalAwsSdk?: boolean;
}

/**
 * The esbuild options SST v3 builds a function with from {@link lambdaNodejs}, for one entry whose
 * handler is written to `outfile`. Tree-shaking is esbuild's default for bundles and stays on. With
 * splitting, as SST does: `outdir` is the handler's folder and every output ends in `.mjs`.
 *
 * @param entry - the handler's source file
 * @param outfile - where the handler's `.mjs` is written (named after the entry, as SST names it)
 * @param variant - a comparison variant (bench only)
 */
export function lambdaEsbuildOptions(entry: string, outfile: string, variant: LambdaBundleVariant = {}): BuildOptions & { metafile: true } {
  const { esbuild } = lambdaNodejs;
  return {
    entryPoints: [entry],
    ...(lambdaNodejs.splitting ? { outdir: dirname(outfile), outExtension: { ".js": ".mjs" }, splitting: true } : { outfile }),
    bundle: true,
    platform: "node",
    format: lambdaNodejs.format,
    target: esbuild.target,
    minify: lambdaNodejs.minify,
    treeShaking: true,
    keepNames: esbuild.keepNames,
    mainFields: [...esbuild.mainFields],
    sourcemap: lambdaNodejs.sourcemap,
    banner: { js: ESM_REQUIRE_BANNER },
    external: [...SST_FORCED_EXTERNALS, ...esbuild.external, ...(variant.externalAwsSdk ? [AWS_SDK_EXTERNAL] : [])],
    plugins: lambdaPlugins,
    metafile: true,
  };
}
