import type { Plugin } from "esbuild";

/** Absolute path of functions/lib/env-credentials.ts. */
export declare const ENV_CREDENTIALS_MODULE: string;
/** `@aws-sdk/credential-provider-node`. */
export declare const DEFAULT_CHAIN_PACKAGE: string;
/** Resolves the SDK's default credential chain to the environment-only provider. */
export declare const envCredentialsPlugin: Plugin;
/** Every plugin Vigil's Lambdas are bundled with. */
declare const plugins: Plugin[];
export default plugins;
