import { lambdaNodejs } from "./bundle";
import { opsBus } from "./bus";
import { BUNDLED_CONFIG, deployConfig } from "./config";
import { nameOnly } from "./links";
import type { PolicyStatement } from "./playbook-permissions";
import { table } from "./table";

/** The config this deploy ships, validated; infra derives the remediator's and the canary's IAM from it. */
export const deployed = deployConfig($cli.paths.root);

/** Lambda runtime of every function: Node.js 20, the version Vigil supports locally too. */
export const RUNTIME = "nodejs20.x";

/** What differs between Vigil's functions. */
export interface VigilFunctionArgs {
  /** `functions/<name>.handler`: a path, so wiring typechecks before the handler file exists. */
  handler: string;
  description: string;
  /** Every action the function calls, on exactly which resources: nothing comes from links. */
  permissions: $util.Input<PolicyStatement[]>;
  environment?: Record<string, $util.Input<string>>;
  timeout?: sst.aws.FunctionArgs["timeout"];
  url?: sst.aws.FunctionArgs["url"];
  /** Resources whose names it reads besides the table and the bus (`Resource.MetricsStream.name`), without grants. */
  links?: Parameters<typeof nameOnly>[0][];
}

/**
 * A Vigil function: Node.js 20, bundled with infra/bundle.ts's options, the table's and the bus's names linked
 * (`Resource.VigilTable.name`, `Resource.OpsBus.name`) without SST's broad grants, and the validated
 * config copied next to the handler when the app has one (functions run on the defaults otherwise).
 */
export function vigilFunction(name: string, args: VigilFunctionArgs) {
  return new sst.aws.Function(name, {
    runtime: RUNTIME,
    handler: args.handler,
    description: args.description,
    // The bundle options bench:cold measures (infra/bundle.ts); copied, since SST's types want mutable arrays.
    nodejs: { ...lambdaNodejs, esbuild: { ...lambdaNodejs.esbuild, mainFields: [...lambdaNodejs.esbuild.mainFields], external: [...lambdaNodejs.esbuild.external] } },
    link: [nameOnly(table), nameOnly(opsBus), ...(args.links ?? []).map(nameOnly)],
    permissions: args.permissions,
    timeout: args.timeout ?? "1 minute",
    ...(args.url !== undefined && { url: args.url }),
    copyFiles: [{ from: deployed.bundled, to: BUNDLED_CONFIG }],
    environment: {
      // Relative to the bundle root (LAMBDA_TASK_ROOT).
      VIGIL_CONFIG_FILE: BUNDLED_CONFIG,
      ...args.environment,
    },
    transform: {
      role: (role) => {
        // SST 3.19 picks the trust policy with `!dev` on an Output, which is always false, so every role also
        // trusts the account root (what `sst dev` needs to run functions locally under the role). Only Lambda, on deploy.
        if (!$dev) role.assumeRolePolicy = aws.iam.assumeRolePolicyForPrincipal({ Service: "lambda.amazonaws.com" });
      },
    },
  });
}
