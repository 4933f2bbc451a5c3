import { describeLink } from "../core/grouping/alert-record";
import type { GroupingConfig } from "../core/grouping/config";
import type { HeldBack, HeldReason, IncidentAlerts } from "./assignments";
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

/** What a person must know of an incident's pages: held now, and by what (a silence, a maintenance window, another incident), or none sent. */
function pagingNote(incident: IncidentAlerts["incident"]): string[] {
  const held = { silenced: "silenced by", maintenance: "in maintenance window", inhibited: "inhibited by" } as const;
  if (incident.mutedReason !== undefined) return [`pages held: ${held[incident.mutedReason]} ${incident.mutedBy ?? "?"}`];
  if (incident.paged !== false) return [];
  return [incident.status === "open" ? "not paged yet" : "never paged"];
}

/**
 * Each incident with its alerts in event time and why each is there (`describeLink`): what a person opening the
 * incident wants to see first. At most `perIncident` alerts each; the rest are counted.
 */
export function formatIncidents(incidents: readonly IncidentAlerts[], perIncident = 12): string {
  const lines: string[] = [];
  for (const { incident, alerts } of incidents) {
    lines.push(`  ${incident.title} [${[incident.status, incident.incidentId, ...pagingNote(incident)].join(", ")}]`);
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

const minutes = (ms: number) => (ms % 3_600_000 === 0 ? `${ms / 3_600_000}h` : `${Math.round(ms / 60_000)}m`);

/** What each verdict means, with the settings that decided it. */
function heldLegend(config: Pick<GroupingConfig, "transientPause" | "flapCount" | "flapWindow" | "loneSustain">): Record<HeldReason, string> {
  return {
    transient: `cleared within the transient pause (${minutes(config.transientPause)})`,
    flapping: `flapping (${config.flapCount} firings within ${minutes(config.flapWindow)})`,
    lone: `nothing related joined it, and it was no failure on its own (an error firing ${minutes(config.loneSustain)} is)`,
    informational: "information, no failure",
    pending: "held, no verdict yet (still firing, or its verdict not yet due)",
    unrecorded: "held back before this version of Vigil kept verdicts",
  };
}

/**
 * The alerts Vigil kept from paging, one line per group they were held in: verdict, first alert, how many and until
 * when; then what each verdict means. What a person reads to see why an alarm never paged. At most `groups` groups,
 * in time order, or with `largest` the groups holding most alerts (a summary).
 */
export function formatHeldBack(
  held: readonly HeldBack[],
  config: Pick<GroupingConfig, "transientPause" | "flapCount" | "flapWindow" | "loneSustain">,
  { groups = Number.POSITIVE_INFINITY, largest = false }: { groups?: number; largest?: boolean } = {},
): string {
  if (held.length === 0) return "  none";
  const counts = new Map<HeldReason, number>();
  for (const h of held) counts.set(h.reason, (counts.get(h.reason) ?? 0) + h.alerts.length);
  const total = held.reduce((n, h) => n + h.alerts.length, 0);
  const lines = [`  ${total} alert(s) in ${held.length} group(s): ${[...counts].map(([r, n]) => `${n} ${r}`).join(", ")}`];
  // A flapping alarm's bouts are groups of their own: one line per alarm and verdict, with how many bouts.
  const byAlarm = new Map<string, { reason: HeldReason; alerts: HeldBack["alerts"]; bouts: number }>();
  for (const { reason, alerts } of held) {
    const key = `${reason}\u0000${alerts[0]!.fingerprint}`;
    const line = byAlarm.get(key);
    if (line === undefined) byAlarm.set(key, { reason, alerts: [...alerts], bouts: 1 });
    else {
      line.alerts.push(...alerts);
      line.bouts++;
    }
  }
  const all = [...byAlarm.values()];
  // Times as HH:MM, with the day too when the alerts span more than one.
  const days = new Set(held.flatMap((h) => [h.alerts[0]!.eventTime.slice(0, 10), h.alerts.at(-1)!.eventTime.slice(0, 10)]));
  const at = (iso: string) => (days.size > 1 ? `${iso.slice(5, 10)} ${iso.slice(11, 16)}` : iso.slice(11, 16));
  const largestFirst = largest ? new Set([...all].sort((a, b) => b.alerts.length - a.alerts.length).slice(0, groups)) : undefined;
  const shown = largestFirst === undefined ? all.slice(0, groups) : all.filter((line) => largestFirst.has(line));
  for (const { reason, alerts, bouts } of shown) {
    const first = alerts[0]!;
    const what = first.summary.length > 64 ? `${first.summary.slice(0, 63)}…` : first.summary;
    const span = alerts.length === 1 ? "" : `  ${alerts.length} alerts${bouts > 1 ? ` in ${bouts} bouts` : ""} to ${at(alerts.at(-1)!.eventTime)}`;
    lines.push(`    ${at(first.eventTime)}  ${reason.padEnd(13)} ${(first.service ?? "-").padEnd(12)} ${what}${span}`);
  }
  if (all.length > shown.length) lines.push(`    … and ${all.length - shown.length} more${largest ? ", smaller" : ""}`);
  const legend = heldLegend(config);
  for (const reason of counts.keys()) lines.push(`  ${reason}: ${legend[reason]}`);
  return lines.join("\n");
}
