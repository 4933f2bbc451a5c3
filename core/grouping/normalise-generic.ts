import type { AlertStatus, NormaliseResult, Severity } from "./alert";
import { buildAlert, eventTimeOf, type Envelope } from "./draft";
import { resolveContext } from "./resolve";
import type { Topology } from "./topology";

/** An EventBridge event of a type Vigil has no schema for. */
export interface UnknownEvent extends Envelope {
  "detail-type": string;
  detail: unknown;
}

/** Detail keys that identify the thing an unknown event is about, best first. */
const ID_KEYS = ["eventArn", "arn", "id", "uuid", "resource_id", "resourceId", "resource-id", "findingId"];
/** Detail keys whose value says how bad or whether it cleared. */
const STATUS_KEYS = ["severity", "status", "state", "result"];
/** Leaves scanned in a detail; bounds the work on a huge event. */
const MAX_LEAVES = 500;
const ARN_OR_INSTANCE = /^(arn:aws[\w-]*:|i-[0-9a-f]{8,}$)/;

interface Leaf {
  key: string;
  value: string;
}

function leaves(value: unknown, key = "", out: Leaf[] = []): Leaf[] {
  if (out.length >= MAX_LEAVES) return out;
  if (typeof value === "string") out.push({ key, value });
  else if (Array.isArray(value)) for (const v of value) leaves(v, key, out);
  else if (typeof value === "object" && value !== null) for (const [k, v] of Object.entries(value)) leaves(v, k, out);
  return out;
}

function statusAndSeverity(found: Leaf[]): { status: AlertStatus; severity: Severity } {
  const words = found.filter((l) => STATUS_KEYS.includes(l.key.toLowerCase())).map((l) => l.value);
  if (words.some((w) => /^(ok|resolved|closed|passed|compliant|succeeded)$/i.test(w))) return { status: "resolved", severity: "info" };
  if (words.some((w) => /critical/i.test(w))) return { status: "firing", severity: "critical" };
  if (words.some((w) => /error|fail|high/i.test(w))) return { status: "firing", severity: "error" };
  if (words.some((w) => /warn|medium/i.test(w))) return { status: "firing", severity: "warning" };
  return { status: "firing", severity: "info" };
}

/**
 * Normalises an event whose `source`/`detail-type` Vigil has no schema for (e.g. Trusted Advisor check refreshes)
 * into a generic alert rather than dropping it: the signal may belong to an incident. Resources: the envelope's
 * `resources` and any ARN or instance id in the detail; names: detail values under keys containing `name`.
 * Fingerprint: source, detail-type and the first identifying detail value (`eventArn`, `arn`, `id`, `uuid`,
 * `resource_id`…), else the envelope resources, else the event id. Status and severity from a detail
 * `severity`/`status`/`state`/`result` word (OK/resolved/closed/passed → resolved; critical; error/fail/high →
 * error; warn/medium → warning), else firing `info`.
 *
 * @param event - a valid EventBridge envelope of an unknown type
 * @param topology - the indexed topology
 */
export function normaliseGeneric(event: UnknownEvent, topology: Topology): NormaliseResult {
  const found = leaves(event.detail);
  const refs = [...event.resources, ...found.filter((l) => ARN_OR_INSTANCE.test(l.value)).map((l) => l.value)];
  const names = found.filter((l) => /name/i.test(l.key) && l.value.length <= 200).map((l) => l.value);
  const idLeaf = ID_KEYS.map((k) => found.find((l) => l.key === k)).find((l) => l !== undefined);
  const identity = idLeaf?.value ?? (event.resources.length > 0 ? [...event.resources].sort().join(",") : event.id);
  const text = found.filter((l) => l.value.length <= 200).map((l) => l.value);
  const ctx = resolveContext(topology, { account: event.account, region: event.region, refs, names, text });
  const headline = found.find((l) => /^(check-name|title|message|description)$/i.test(l.key))?.value;
  return {
    alerts: [
      buildAlert(
        event,
        {
          fingerprint: `generic:${event.source}:${event["detail-type"]}:${identity}`,
          ...statusAndSeverity(found),
          kind: "generic",
          title: event["detail-type"],
          summary: `${event.source} ${event["detail-type"]}${headline ? `: ${headline}` : ""}`,
          eventTime: eventTimeOf(event),
          // Trusted Advisor names its check here; which check it is tells a cost finding from a security one (see `isSpendSignal`).
          labels: { detailType: event["detail-type"], checkName: found.find((l) => l.key === "check-name")?.value },
        },
        ctx,
      ),
    ],
  };
}
