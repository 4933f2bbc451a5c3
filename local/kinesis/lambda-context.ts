import { randomBytes, randomUUID } from "node:crypto";
import type { Context } from "aws-lambda";

/** What a local invocation's context is made from. */
export interface LambdaContextOptions {
  functionName: string;
  region: string;
  accountId: string;
  timeoutMs: number;
  memoryLimitInMB?: number;
}

/**
 * A Lambda `Context` for one local invocation: a fresh request id, the ARNs and log names Lambda
 * would give, and a deadline `timeoutMs` from now, so Powertools (logger, metrics, idempotency)
 * reads the same fields it reads on Lambda.
 */
export function createLambdaContext(options: LambdaContextOptions): Context {
  const deadline = Date.now() + options.timeoutMs;
  const day = new Date().toISOString().slice(0, 10).replaceAll("-", "/");
  const unsupported = (name: string) => () => {
    throw new Error(`context.${name}() is not supported locally: return a promise from the handler instead.`);
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: options.functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:${options.region}:${options.accountId}:function:${options.functionName}`,
    memoryLimitInMB: String(options.memoryLimitInMB ?? 128),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${options.functionName}`,
    logStreamName: `${day}/[$LATEST]${randomBytes(16).toString("hex")}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported("done"),
    fail: unsupported("fail"),
    succeed: unsupported("succeed"),
  };
}
