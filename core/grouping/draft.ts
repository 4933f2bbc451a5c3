import type { Alert, AlertStatus, Severity } from "./alert";
import { oneLine } from "./alert";
import type { ResolvedContext } from "./resolve";

/** The envelope fields every normaliser reads. */
export interface Envelope {
  id: string;
  source: string;
  account: string;
  region: string;
  time: string;
  resources: readonly string[];
}

/** What a family normaliser decides; `buildAlert` adds the resolved context. */
export interface AlertDraft {
  fingerprint: string;
  status: AlertStatus;
  severity: Severity;
  kind: string;
  title: string;
  summary: string;
  eventTime: number;
  labels?: Record<string, string | undefined>;
  /** Account and region the signal is about when they differ from the envelope's (cost root cause, ASFF resource). */
  account?: string;
  region?: string;
}

/**
 * The first of `candidates` that parses as a time, else the envelope's `time`, in ms. AWS writes times as
 * ISO 8601 with `Z` or `+0000`, or RFC 1123; all parse with `Date.parse`.
 *
 * @param envelope - the event, whose `time` is the fallback
 * @param candidates - more precise detail timestamps, best first
 */
export function eventTimeOf(envelope: Envelope, ...candidates: (string | null | undefined)[]): number {
  for (const c of candidates) {
    const t = c === null || c === undefined ? Number.NaN : Date.parse(c);
    if (Number.isFinite(t)) return t;
  }
  return Date.parse(envelope.time);
}

/**
 * Assembles an alert from a family's draft and the resolved context; drops undefined labels.
 *
 * @param envelope - the event
 * @param draft - the family's decision
 * @param ctx - service, AZ and resources from `resolveContext`
 */
export function buildAlert(envelope: Envelope, draft: AlertDraft, ctx: ResolvedContext): Alert {
  const labels: Record<string, string> = { ...ctx.labels };
  const own = draft.labels;
  if (own !== undefined) {
    for (const k in own) {
      const v = own[k];
      if (v !== undefined && v !== "") labels[k] = oneLine(v);
    }
  }
  return {
    fingerprint: draft.fingerprint,
    status: draft.status,
    severity: draft.severity,
    resources: ctx.resources,
    ...(ctx.service !== undefined ? { service: ctx.service } : {}),
    account: draft.account ?? envelope.account,
    region: draft.region ?? envelope.region,
    ...(ctx.az !== undefined ? { az: ctx.az } : {}),
    eventTime: draft.eventTime,
    eventId: envelope.id,
    source: envelope.source,
    kind: draft.kind,
    title: oneLine(draft.title),
    summary: oneLine(draft.summary),
    labels,
  };
}
