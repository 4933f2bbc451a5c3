import { VIGIL_SOURCE } from "../outbound/envelope";
import type { EventPattern } from "../patterns";

/**
 * An incident that is still open: `Incident Opened`, or `Incident Updated` while open. Filtering on the status
 * keeps a late `Incident Updated` about a resolved incident from paging again.
 */
export const INCIDENT_ACTIVE = {
  source: [VIGIL_SOURCE],
  "detail-type": ["Incident Opened", "Incident Updated"],
  detail: { incident: { status: ["open"] } },
} as const satisfies EventPattern;

/** An incident that is over: `Incident Resolved`, or `Incident Updated` about a resolved incident. */
export const INCIDENT_OVER = {
  source: [VIGIL_SOURCE],
  "detail-type": ["Incident Updated", "Incident Resolved"],
  detail: { incident: { status: ["resolved"] } },
} as const satisfies EventPattern;
