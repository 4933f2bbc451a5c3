import { MetricUnit } from "@aws-lambda-powertools/metrics";
import * as z from "zod";
import { groupingContext, groupingDeps, reportStateOverflow } from "./lib/grouping-context";
import { tickDueScopes, type GroupingReport } from "./lib/grouping-run";
import { groupingTimerLagMs } from "./lib/grouping-timer-lag";
import { lambda, metrics } from "./lib/powertools";

/** The `Scheduled Event` an EventBridge schedule sends; only its time matters. */
const ScheduledEventSchema = z.object({
  source: z.literal("aws.events"),
  "detail-type": z.literal("Scheduled Event"),
  time: z.iso.datetime(),
});

/**
 * Every minute: moves every grouping scope with something due (a page after group_wait/group_interval/
 * repeat_interval, a pending group's verdict, a resolve timeout) to the schedule's time, commits it and
 * publishes the pages. The schedule's own time, less `GROUPING_TIMER_LAG_MS` (alerts may still wait that
 * long in the stream), is the clock, so a replay on a virtual clock decides alike.
 */
export const handler = lambda(async (event: unknown): Promise<GroupingReport> => {
  const { time } = ScheduledEventSchema.parse(event);
  const report = await tickDueScopes(groupingDeps(), Date.parse(time) - groupingTimerLagMs(), groupingContext());
  metrics.addMetric("ScopesTicked", MetricUnit.Count, report.scopes);
  metrics.addMetric("IncidentEventsPublished", MetricUnit.Count, report.published);
  reportStateOverflow(report);
  return report;
});
