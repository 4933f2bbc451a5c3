import { SSMClient, StartAutomationExecutionCommand } from "@aws-sdk/client-ssm";
import type { PlaybookClientOptions } from "../clients";
import type { CommandClass } from "../operations";

/**
 * The SSM operations a playbook step, capture or rollback may name, and the client that sends them.
 * Loaded only when a plan calls SSM (functions/lib/playbooks/services.ts): the SDK client package is
 * most of a remediation bundle and most invocations call no AWS service at all.
 */
export const operations: Readonly<Record<string, CommandClass>> = {
  StartAutomationExecution: StartAutomationExecutionCommand,
};

/** An SSMClient with the playbooks' options. */
export const createClient = (options: PlaybookClientOptions) => new SSMClient(options);
