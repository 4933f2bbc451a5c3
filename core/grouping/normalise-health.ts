import type { HealthEvent } from "../../events/inbound";
import type { NormaliseResult, Severity } from "./alert";
import { instanceArn } from "./arn";
import { buildAlert, eventTimeOf } from "./draft";
import { resolveContext } from "./resolve";
import type { Topology } from "./topology";

/** Prefix of every Health event's fingerprint (`health:<eventArn>:<account>`). */
export const HEALTH_FINGERPRINT = "health:";

/**
 * Severity of a Health event by `eventTypeCategory`: `issue` (AWS is impaired now) → error, `investigation` →
 * warning, `scheduledChange` → warning while it is happening (`open`) and info before (`upcoming`),
 * `accountNotification` and anything else → info.
 *
 * @param category - `detail.eventTypeCategory`
 * @param statusCode - `detail.statusCode`
 */
export function healthSeverity(category: string, statusCode: string | undefined): Severity {
  if (category === "issue") return "error";
  if (category === "investigation") return "warning";
  if (category === "scheduledChange") return statusCode === "open" ? "warning" : "info";
  return "info";
}

/**
 * Normalises an `AWS Health Event`. Fingerprint: the Health `eventArn` and the affected account (a public event
 * arrives once per account; its updates and its `closed` notice share the fingerprint). Resolved when
 * `statusCode` is `closed`. Resources: the affected entities (instance ids become ARNs); the AZ comes from a
 * zone id or AZ name in the description (`use1-az6`), which is how public issues name the impaired zone.
 *
 * @param event - a parsed Health event
 * @param topology - the indexed topology
 */
export function normaliseHealth(event: HealthEvent, topology: Topology): NormaliseResult {
  const { detail } = event;
  const loose = detail as Record<string, unknown>;
  const account = typeof loose.affectedAccount === "string" ? loose.affectedAccount : event.account;
  const region = typeof loose.eventRegion === "string" && loose.eventRegion !== "global" ? loose.eventRegion : event.region;
  const entities = detail.affectedEntities ?? [];
  const ids = [...entities.map((e) => e.entityValue), ...event.resources];
  const refs = [...new Set(ids)].map((id) => (/^i-[0-9a-f]+$/.test(id) ? instanceArn(region, account, id) : id));
  const description = detail.eventDescription[0]?.latestDescription ?? detail.eventTypeCode;
  const ctx = resolveContext(topology, {
    account,
    region,
    refs,
    tags: entities.map((e) => e.tags),
    text: [description],
  });
  const lastUpdated = typeof loose.lastUpdatedTime === "string" ? loose.lastUpdatedTime : undefined;
  return {
    alerts: [
      buildAlert(
        event,
        {
          fingerprint: `${HEALTH_FINGERPRINT}${detail.eventArn}:${account}`,
          status: detail.statusCode === "closed" ? "resolved" : "firing",
          severity: healthSeverity(detail.eventTypeCategory, detail.statusCode),
          kind: "health.event",
          title: detail.eventTypeCode,
          summary: `AWS Health ${detail.eventTypeCategory} ${detail.eventTypeCode} (${detail.statusCode ?? "open"}): ${description}`,
          eventTime: eventTimeOf(event, lastUpdated),
          account,
          region,
          labels: {
            healthEventArn: detail.eventArn,
            eventTypeCode: detail.eventTypeCode,
            eventTypeCategory: detail.eventTypeCategory,
            healthService: detail.service,
            healthScope: typeof loose.eventScopeCode === "string" ? loose.eventScopeCode : undefined,
            statusCode: detail.statusCode,
          },
        },
        ctx,
      ),
    ],
  };
}
