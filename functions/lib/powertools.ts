import middy from "@middy/core";
import { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import type { Context } from "aws-lambda";

/** The one place Powertools is configured; every function uses these instances. */
export const logger = new Logger({ serviceName: "vigil" });
export const metrics = new Metrics({ namespace: "Vigil", serviceName: "vigil", logger });

/**
 * Wraps a handler in Vigil's middy chain: context-enriched logs (reset per invocation), EMF
 * metrics flushed at the end, and failures logged with their cause before they propagate. The event is logged only when POWERTOOLS_LOGGER_LOG_EVENT
 * is set, which `sst dev` users turn on and production leaves off.
 */
export function lambda<TEvent, TResult>(handler: (event: TEvent, context: Context) => Promise<TResult>) {
  return middy(handler)
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics))
    .use({
      // Log the failure with its cause (e.g. which field failed validation), then let it
      // propagate so Lambda retries and, finally, the dead-letter queue get the event.
      onError: (request) => {
        logger.error("invocation failed", request.error as Error);
      },
    });
}
