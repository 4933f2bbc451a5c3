import { EC2Client } from "@aws-sdk/client-ec2";
import { IAMClient } from "@aws-sdk/client-iam";
import { S3Client } from "@aws-sdk/client-s3";
import { SSMClient } from "@aws-sdk/client-ssm";
import type { Step } from "../../../core/remediation";

/** Attempts per call (first try included) when AWS_MAX_ATTEMPTS does not say: throttling is retried with backoff. */
export const DEFAULT_MAX_ATTEMPTS = 5;

/** The SDK clients the playbooks call. */
export interface PlaybookClients {
  ec2: EC2Client;
  s3: S3Client;
  iam: IAMClient;
  ssm: SSMClient;
}

let clients: Partial<PlaybookClients> = {};

// No endpoint or region in code: the standard chain (AWS_ENDPOINT_URL[_<SERVICE>], AWS_REGION,
// credentials) decides, which is how replays point the very same playbooks at moto_server.
function options() {
  return process.env.AWS_MAX_ATTEMPTS ? {} : { maxAttempts: DEFAULT_MAX_ATTEMPTS };
}

const FACTORIES: { [S in Step["service"]]: () => PlaybookClients[S] } = {
  ec2: () => new EC2Client(options()),
  s3: () => new S3Client(options()),
  iam: () => new IAMClient(options()),
  ssm: () => new SSMClient(options()),
};

/** The client of one service, created on first use and shared by every later call in the process. */
export function clientFor<S extends Step["service"]>(service: S): PlaybookClients[S] {
  const existing = clients[service];
  if (existing) return existing;
  const created = FACTORIES[service]();
  clients[service] = created;
  return created;
}

/** Destroys the clients, so the next call reads the environment again (tests that move endpoints). */
export function resetPlaybookClients(): void {
  for (const client of Object.values(clients)) client.destroy();
  clients = {};
}
