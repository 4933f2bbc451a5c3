import { describeLink } from "../core/grouping/alert-record";
import type { IncidentAlerts } from "./assignments";
import type { ReplaySummary } from "./replay";
import type { ReplayProblem } from "./replay-input";

/** A one-line progress bar on a TTY; nothing when output is piped. */
export function progressBar(stream: NodeJS.WriteStream = process.stderr) {
  if (!stream.isTTY) return { update: () => undefined, done: () => undefined };
  let last = 0;
  return {
    update(done: number, total: number) {
      const now = Date.now();
      if (now - last < 100 && done < total) return;
      last = now;
      const width = 30;
      const filled = Math.round((done / Math.max(total, 1)) * width);
      stream.write(`\r  [${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total}`);
    },
    done: () => stream.write("\r\x1b[K"),
  };
}

export const formatProblem = (p: ReplayProblem) => `${p.file}:${p.line}: ${p.reason}`;

/** The end-of-replay summary a person reads. */
export function formatSummary(summary: ReplaySummary): string {
  const lines = [
    `Replayed ${summary.events} event(s) and ${summary.metrics} metric point(s) in ${summary.seconds.toFixed(2)} s ` +
      `(${Math.round((summary.events + summary.metrics) / Math.max(summary.seconds, 1e-9))} items/s).`,
  ];
  if (summary.skipped.length > 0) lines.push(`Skipped ${summary.skipped.length} bad input line(s) (listed above).`);
  const byType = new Map<string, number>();
  for (const e of summary.emitted) byType.set(e["detail-type"], (byType.get(e["detail-type"]) ?? 0) + 1);
  lines.push(`Vigil emitted ${summary.emitted.length} event(s)${byType.size ? ":" : "."}`);
  for (const [type, count] of [...byType].sort()) lines.push(`  ${String(count).padStart(5)}  ${type}`);
  if (summary.deadLetters > 0) lines.push(`${summary.deadLetters} delivery(ies) failed every retry and went to the dead-letter list.`);
  return lines.join("\n");
}

/**
 * Each incident with its alerts in event time and why each is there (`describeLink`): what a person opening the
 * incident wants to see first. At most `perIncident` alerts each; the rest are counted.
 */
export function formatIncidents(incidents: readonly IncidentAlerts[], perIncident = 12): string {
  const lines: string[] = [];
  for (const { incident, alerts } of incidents) {
    lines.push(`  ${incident.title} [${incident.status}, ${incident.incidentId}]`);
    for (const a of alerts.slice(0, perIncident)) {
      const what = a.summary.length > 64 ? `${a.summary.slice(0, 63)}…` : a.summary;
      const how = a.groupId === null ? "taken in later" : a.status === "resolved" && a.link === "fingerprint" ? "its clear" : describeLink(a.link, a);
      const why = a.joinedElsewhere === true && a.groupId !== null ? `${how}, in a group merged or moved here` : how;
      lines.push(`    ${a.eventTime.slice(11, 16)}  ${a.status.padEnd(8)} ${(a.service ?? "-").padEnd(12)} ${what.padEnd(64)}  ${why}`);
    }
    if (alerts.length > perIncident) lines.push(`    … and ${alerts.length - perIncident} more`);
  }
  return lines.join("\n");
}
