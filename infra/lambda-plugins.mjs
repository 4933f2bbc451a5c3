// The esbuild plugins every Vigil Lambda is bundled with: SST reads this file through
// `nodejs.plugins` (infra/bundle.ts), the bench passes the same array to esbuild. Plain JavaScript,
// because SST imports it with node (.sst/platform/functions/nodejs-runtime/plugin.mjs).
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

export default [envCredentialsPlugin];
