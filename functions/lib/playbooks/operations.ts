import type { Step } from "../../../core/remediation";
import { UnknownOperationError } from "./errors";
import { loadService } from "./services";

/** Any SDK v3 command class: built from an input, sent by a client. */
export type CommandClass = new (input: never) => object;

/**
 * The command class of one operation. Every operation a playbook step, capture or rollback may name
 * is listed one by one, per service, in functions/lib/playbooks/services/, so a plan cannot make the
 * executor call anything else.
 *
 * @throws UnknownOperationError when the operation is not listed for that service
 */
export async function commandClass(service: Step["service"], operation: string): Promise<CommandClass> {
  const { operations } = await loadService(service);
  const found = Object.hasOwn(operations, operation) ? operations[operation] : undefined;
  if (!found) throw new UnknownOperationError(service, operation);
  return found;
}
