import middy from "@middy/core";
import { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import type { Context } from "aws-lambda";

/** The one place Powertools is configured; every function uses these instances. */
export const logger = new Logger({ serviceName: "vigil" });
export const metrics = new Metrics({ namespace: "Vigil", serviceName: "vigil" });

/**
 * Wraps a handler in Vigil's middy chain: context-enriched logs (reset per invocation) and
 * EMF metrics flushed at the end. The event is logged only when POWERTOOLS_LOGGER_LOG_EVENT
 * is set, which `sst dev` users turn on and production leaves off.
 */
export function lambda<TEvent, TResult>(handler: (event: TEvent, context: Context) => Promise<TResult>) {
  return middy(handler)
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics));
}
