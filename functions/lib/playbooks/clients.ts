import type { EC2Client } from "@aws-sdk/client-ec2";
import type { IAMClient } from "@aws-sdk/client-iam";
import type { S3Client } from "@aws-sdk/client-s3";
import type { SSMClient } from "@aws-sdk/client-ssm";
import type { Step } from "../../../core/remediation";
import { loadService } from "./services";

/** Attempts per call (first try included) when AWS_MAX_ATTEMPTS does not say: throttling is retried with backoff. */
export const DEFAULT_MAX_ATTEMPTS = 5;

/** The SDK clients the playbooks call. */
export interface PlaybookClients {
  ec2: EC2Client;
  s3: S3Client;
  iam: IAMClient;
  ssm: SSMClient;
}

/** What the playbooks set on every client they create. */
export interface PlaybookClientOptions {
  maxAttempts?: number;
}

let clients: Partial<PlaybookClients> = {};

// No endpoint or region in code: the standard chain (AWS_ENDPOINT_URL[_<SERVICE>], AWS_REGION,
// credentials) decides, which is how replays point the very same playbooks at moto_server.
function options(): PlaybookClientOptions {
  return process.env.AWS_MAX_ATTEMPTS ? {} : { maxAttempts: DEFAULT_MAX_ATTEMPTS };
}

/**
 * The client of one service, created on first use (its SDK package imported then, see ./services)
 * and shared by every later call in the process.
 */
export async function clientFor<S extends Step["service"]>(service: S): Promise<PlaybookClients[S]> {
  const existing = clients[service];
  if (existing) return existing;
  const { createClient } = await loadService(service);
  // Two first calls may both import; the first client stored wins, so every caller shares one.
  clients[service] ??= createClient(options()) as PlaybookClients[S];
  return clients[service] as PlaybookClients[S];
}

/** Destroys the clients, so the next call reads the environment again (tests that move endpoints). */
export function resetPlaybookClients(): void {
  for (const client of Object.values(clients)) client.destroy();
  clients = {};
}
