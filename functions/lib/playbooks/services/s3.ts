import {
  S3Client,
  DeletePublicAccessBlockCommand,
  GetBucketTaggingCommand,
  GetPublicAccessBlockCommand,
  PutPublicAccessBlockCommand,
} from "@aws-sdk/client-s3";
import type { PlaybookClientOptions } from "../clients";
import type { CommandClass } from "../operations";

/**
 * The S3 operations a playbook step, capture or rollback may name, and the client that sends them.
 * Loaded only when a plan calls S3 (functions/lib/playbooks/services.ts): the SDK client package is
 * most of a remediation bundle and most invocations call no AWS service at all.
 */
export const operations: Readonly<Record<string, CommandClass>> = {
  DeletePublicAccessBlock: DeletePublicAccessBlockCommand,
  GetPublicAccessBlock: GetPublicAccessBlockCommand,
  PutPublicAccessBlock: PutPublicAccessBlockCommand,
};

/** An S3Client with the playbooks' options. */
export const createClient = (options: PlaybookClientOptions) => new S3Client(options);

/** Reads a target's tags for the protected-tag guardrail (functions/lib/resource-tags.ts). */
export { GetBucketTaggingCommand };
