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
