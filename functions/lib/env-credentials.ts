import { fromEnv } from "@aws-sdk/credential-provider-env";

/**
 * What every Lambda bundle has in place of `@aws-sdk/credential-provider-node` (infra/lambda-plugins.mjs
 * swaps it in; only bundles see this module). Lambda hands a function its role's credentials in
 * AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, the first link of the SDK's default
 * chain and the only one a Lambda reaches; the rest of the chain (SSO, ini files, credential_process,
 * web identity, container and instance metadata) and the STS/SSO clients it carries are ~130 KB of
 * bundle that no invocation runs. Missing variables fail as the chain's first link does.
 */
export const defaultProvider = (init: Parameters<typeof fromEnv>[0] = {}) => fromEnv(init);

type Credentials = Awaited<ReturnType<ReturnType<typeof fromEnv>>>;

/** As the SDK's: credentials with an expiry are refreshed... */
export const credentialsWillNeedRefresh = (credentials?: Credentials): boolean => credentials?.expiration !== undefined;

/** ...five minutes before it. */
export const credentialsTreatedAsExpired = (credentials?: Credentials): boolean =>
  credentials?.expiration !== undefined && credentials.expiration.getTime() - Date.now() < 300_000;
