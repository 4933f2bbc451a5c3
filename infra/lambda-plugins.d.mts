import type { Plugin } from "esbuild";

/** Absolute path of functions/lib/env-credentials.ts. */
export declare const ENV_CREDENTIALS_MODULE: string;
/** `@aws-sdk/credential-provider-node`. */
export declare const DEFAULT_CHAIN_PACKAGE: string;
/** Resolves the SDK's default credential chain to the environment-only provider. */
export declare const envCredentialsPlugin: Plugin;
/** Absolute path of functions/lib/electrodb-model-check.ts. */
export declare const ELECTRODB_MODEL_CHECK_MODULE: string;
/** The document commands ElectroDB's v3 client wrapper constructs, each with the DynamoDB command it wraps. */
export declare const ELECTRODB_DOCUMENT_COMMANDS: Readonly<Record<string, string>>;
/** Gives ElectroDB only the parts of jsonschema and lib-dynamodb a Lambda runs. */
export declare const electrodbPlugin: Plugin;
/** Absolute paths (with a trailing separator) of core/ and events/. */
export declare const SIDE_EFFECT_FREE_FOLDERS: string[];
/** Declares the modules of core/ and events/ free of side effects. */
export declare const sideEffectFreeAppPlugin: Plugin;
/** Every plugin Vigil's Lambdas are bundled with. */
declare const plugins: Plugin[];
export default plugins;
