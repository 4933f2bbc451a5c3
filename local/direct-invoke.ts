import { FUNCTIONS } from "./functions";
import { loadInOwnInvocations, type LocalHandler } from "./invocation-scope";
import { createLambdaContext } from "./kinesis/lambda-context";
import type { Runtime } from "./runtime";


/** A local function invoked directly (S3 notifications, schedules) names none that exists. */
export class UnknownLocalFunctionError extends Error {
  override readonly name = "UnknownLocalFunctionError";
  readonly code = "local.unknown_function";
}

/**
 * Invokes a local function's handler as Lambda does for a direct trigger (an S3 bucket notification,
 * a schedule). The module is the one the runtime loaded (imports are cached), so it shares its clients.
 *
 * @param name - the function's name in FUNCTIONS
 * @param event - the Lambda event
 */
export async function invokeFunction(name: string, event: unknown): Promise<unknown> {
  const fn = FUNCTIONS.find((f) => f.name === name);
  if (fn === undefined) throw new UnknownLocalFunctionError(`no local function named "${name}"`);
  const handler = await loadInOwnInvocations(async () => {
    const mod = (await fn.load()) as { handler?: unknown };
    if (typeof mod.handler !== "function") throw new UnknownLocalFunctionError(`function ${name} exports no handler`);
    return mod.handler as LocalHandler;
  });
  return handler(event, createLambdaContext({ functionName: name, region: "us-east-1", accountId: "000000000000", timeoutMs: 30_000 }));
}

const started = new WeakSet<Runtime>();

/**
 * Starts every function's schedule on the runtime's clock, once per runtime: each tick invokes the
 * function with the `Scheduled Event` an EventBridge schedule sends, dated at the tick, unless the
 * runtime's probe shows the tick would do nothing (see local/schedule-skip.ts).
 *
 * @param runtime - a started runtime; its clock should already be near the time being replayed
 */
export function startSchedules(runtime: Runtime): void {
  if (started.has(runtime)) return;
  started.add(runtime);
  for (const fn of FUNCTIONS) {
    if (fn.schedule === undefined) continue;
    const idle = runtime.scheduleSkips.probes.get(fn.name);
    runtime.clock.every(fn.schedule.everyMs, async (at) => {
      if (idle !== undefined && (await idle(at))) return;
      await fireSchedule(fn.name, at);
    });
  }
}

/** Invokes a scheduled function with the event its EventBridge schedule sends at `at`. */
export async function fireSchedule(name: string, at: number): Promise<void> {
  await invokeFunction(name, {
    version: "0",
    id: `schedule-${name}-${at}`,
    "detail-type": "Scheduled Event",
    source: "aws.events",
    account: "000000000000",
    time: new Date(at).toISOString(),
    region: "us-east-1",
    resources: [`arn:aws:events:us-east-1:000000000000:rule/${name}-schedule`],
    detail: {},
  });
}
