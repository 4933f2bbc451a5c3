import type { Severity } from "../../events/outbound/envelope";

export type { Severity } from "../../events/outbound/envelope";

/** Whether an alert reports a problem (`firing`) or that the same problem cleared (`resolved`). */
export type AlertStatus = "firing" | "resolved";

/**
 * One inbound signal, normalised: what every correlation, dedup and notification step reads.
 * `fingerprint` is the same for every event about the same thing (one alarm, one finding, one rule on one
 * resource…), so a `resolved` alert clears the `firing` one with the same fingerprint.
 */
export interface Alert {
  /** Stable identity of the thing alerting, e.g. `alarm:arn:aws:cloudwatch:…`; equal across firing and resolved. */
  fingerprint: string;
  status: AlertStatus;
  severity: Severity;
  /** ARNs of the resources involved where known, else their ids; first is the main one. */
  resources: string[];
  /** The owning service, from the topology, else resource tags, else names (see `labels.serviceFrom`). */
  service?: string;
  /** 12-digit account the signal is about. */
  account: string;
  region: string;
  /** AZ name (`us-east-1b`), when the signal is tied to one zone. */
  az?: string;
  /** When it happened (ms since epoch), from the most precise timestamp in the event. */
  eventTime: number;
  /** The EventBridge event id; duplicate deliveries repeat it. */
  eventId: string;
  /** The event's `source`, e.g. `aws.cloudwatch`. */
  source: string;
  /** The inbound kind (`cloudwatch.alarm-state-change`…) or `generic` for event types Vigil has no schema for. */
  kind: string;
  /** Short name of what alerts, e.g. the alarm name or finding type; one line. */
  title: string;
  /** One line for humans: what happened to what. */
  summary: string;
  /** Facts for correlation (alarm kind, metric, finding type, zone id, team…); values are one-line strings. */
  labels: Record<string, string>;
}

/** Options that change how events map to alerts. */
export interface NormaliseOptions {
  /** Severity of a metric alarm in ALARM (alarms carry none of their own); `warning` when unset. */
  alarmSeverity?: Severity;
  /** Severity of a composite alarm in ALARM: they aggregate what a team pages on; `error` when unset. */
  compositeAlarmSeverity?: Severity;
}

/** Why an event produced no alert; `code` is stable and dotted, `ignored` names the event and the reason. */
export interface Ignored {
  ignored: string;
  code: IgnoreCode;
}

/**
 * Stable codes for events that yield no alert:
 * - `grouping.not_an_alert`: a recognised event that reports no problem and clears none (a successful EBS
 *   operation, a configuration item change, CloudTrail, S3);
 * - `grouping.own_event`: Vigil's own incident/remediation/replication events, never re-ingested as alerts;
 * - `grouping.malformed_event`: not an EventBridge event, or a known type whose detail fails its schema;
 * - `grouping.unknown_state`: a known type in a state Vigil cannot read as firing or resolved.
 */
export type IgnoreCode = "grouping.not_an_alert" | "grouping.own_event" | "grouping.malformed_event" | "grouping.unknown_state";

/** What normalising one event gives: at least one alert (a Security Hub batch gives one per finding), or why not. */
export type NormaliseResult = { alerts: [Alert, ...Alert[]] } | Ignored;

/**
 * Builds an `Ignored` result.
 *
 * @param code - the stable reason code
 * @param reason - names the event and why it yields no alert
 */
export function ignore(code: IgnoreCode, reason: string): Ignored {
  return { ignored: reason, code };
}

const MAX_LINE = 1024;
/** Whitespace other than single spaces between words, or at either end. */
const NEEDS_FLATTENING = /[^\S ]| {2}|^ | $/;

/**
 * Makes text safe for a one-line `summary`/`title`: whitespace runs (line breaks included) become one
 * space, and it is cut to 1024 characters (the outbound `summary` limit).
 *
 * @param text - any human text from an event
 */
export function oneLine(text: string): string {
  // Most titles are one line already: test before building a new string.
  const flat = NEEDS_FLATTENING.test(text) ? text.replace(/\s+/g, " ").trim() : text;
  return flat.length <= MAX_LINE ? flat : `${flat.slice(0, MAX_LINE - 1)}…`;
}
