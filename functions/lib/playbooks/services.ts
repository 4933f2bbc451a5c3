import type { Step } from "../../../core/remediation";

/**
 * Each service's playbook module (its operations and client), imported on first use. A remediation
 * function loads only the SDK clients of the steps it runs: EC2's alone is about 550 KB of bundle, and
 * most invocations (dry runs, approvals, events no policy matches) call no AWS service at all. With
 * SST's `nodejs.splitting` (infra/bundle.ts) each becomes its own file, read only when imported.
 */
const LOADERS = {
  ec2: () => import("./services/ec2"),
  s3: () => import("./services/s3"),
  iam: () => import("./services/iam"),
  ssm: () => import("./services/ssm"),
} as const;

/** The playbook module of one service. */
export type ServiceModule<S extends Step["service"]> = Awaited<ReturnType<(typeof LOADERS)[S]>>;

/** Imports (once; later calls share the module) the playbook module of `service`. */
export function loadService<S extends Step["service"]>(service: S): Promise<ServiceModule<S>> {
  return LOADERS[service]() as Promise<ServiceModule<S>>;
}
