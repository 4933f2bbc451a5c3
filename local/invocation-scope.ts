import { AsyncLocalStorage } from "node:async_hooks";
import type { Context } from "aws-lambda";

/** A function's handler as the local runtime calls it. */
export type LocalHandler = (event: unknown, context: Context) => Promise<unknown>;

type InvocationContext = Record<string | symbol, unknown>;

/** Keys Lambda's invoke store (`@aws/lambda-invoke-store`, PROTECTED_KEYS) gives the request and trace ids. */
const REQUEST_ID = Symbol.for("_AWS_LAMBDA_REQUEST_ID");
const X_RAY_TRACE_ID = Symbol.for("_AWS_LAMBDA_X_RAY_TRACE_ID");

/**
 * Lambda's invoke store as Lambda Managed Instances run it (concurrent invocations in one process): one
 * AsyncLocalStorage context per invocation, with the methods Powertools and the AWS SDK read. Code running outside any
 * invocation (a test or a CLI command calling a handler directly) shares one context, as it did before there was a store.
 */
class InvocationStore {
  readonly #storage = new AsyncLocalStorage<InvocationContext>();
  readonly #outside: InvocationContext = {};
  getContext(): InvocationContext {
    return this.#storage.getStore() ?? this.#outside;
  }
  hasContext(): boolean {
    return true;
  }
  get<T = unknown>(key: string | symbol): T | undefined {
    return this.getContext()[key] as T | undefined;
  }
  set(key: string | symbol, value: unknown): void {
    this.getContext()[key] = value;
  }
  run<T>(context: InvocationContext, fn: () => T): T {
    return this.#storage.run(context, fn);
  }
  getRequestId(): string {
    return this.get<string>(REQUEST_ID) ?? "-";
  }
  getXRayTraceId(): string | undefined {
    return this.get<string>(X_RAY_TRACE_ID);
  }
  getTenantId(): string | undefined {
    return undefined;
  }
}

const store = new InvocationStore();

/**
 * The local runtime runs every function in one process, several at once: shards polled in parallel, bus targets, a
 * timed-out invocation still running beside its retry. Powertools keeps per-invocation state (the logger's Lambda
 * context and keys, the batch processor's records and failures) in module singletons, so concurrent invocations would
 * log under each other's function name and mix their batch failures, unless Lambda says invocations run concurrently
 * (`AWS_LAMBDA_MAX_CONCURRENCY`, as on Lambda Managed Instances): then it keeps that state in Lambda's invoke store
 * (`globalThis.awslambda.InvokeStore`), one context per invocation.
 *
 * This installs such a store (replacing a single-context one the AWS SDK may have made on its first call), runs `load`
 * (the module's initialisation: clients, batch processors) in a context of its own, as Lambda initialises a function
 * before any invocation, and returns the handler run each time in a context of its own.
 *
 * @param load - imports the function's module and returns its handler
 */
export async function loadInOwnInvocations(load: () => Promise<LocalHandler>): Promise<LocalHandler> {
  const lambda = ((globalThis as { awslambda?: { InvokeStore?: unknown } }).awslambda ??= {});
  lambda.InvokeStore = store;
  const handler = await store.run({}, load);
  process.env.AWS_LAMBDA_MAX_CONCURRENCY ??= "16";
  return (event, context) => store.run({ [REQUEST_ID]: context.awsRequestId }, () => handler(event, context));
}
