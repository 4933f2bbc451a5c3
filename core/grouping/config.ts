import * as z from "zod";

const DURATION = /^(\d+)(ms|s|m|h|d)$/;
const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/**
 * A duration as Alertmanager writes it (`30s`, `5m`, `4h`, `1d`, `500ms`), parsed to milliseconds.
 * Milliseconds are accepted too, so a parsed config is itself a valid config.
 */
export const DurationSchema = z.union([
  z.number().int().nonnegative(),
  z
    .string()
    .regex(DURATION, "expected a duration such as 30s, 5m, 4h or 1d")
    .transform((text) => {
      const [, amount, unit] = DURATION.exec(text) as RegExpExecArray;
      return Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS];
    }),
]);

/** An ISO-8601 time, parsed to ms since epoch (which is accepted as is). */
const InstantSchema = z.union([z.number().int(), z.iso.datetime({ offset: true }).transform((s) => Date.parse(s))]);

/**
 * Label matchers: every key must equal the incident's value. Keys: `service`, `region`, `account`,
 * `severity`, `priority`, or any alert label (`team`, `zoneId`…).
 */
export const MatchersSchema = z.record(z.string(), z.string()).refine((m) => Object.keys(m).length > 0, "a silence needs at least one matcher");

/** A one-off silence: matching incidents are still tracked, their pages are held; resolves always go out. */
export const SilenceSchema = z.object({
  id: z.string().min(1),
  matchers: MatchersSchema,
  startsAt: InstantSchema,
  endsAt: InstantSchema,
  comment: z.string().optional(),
});

/** A weekly maintenance window in UTC: `weekdays` (0 = Sunday), a start `HH:MM` and a length. */
export const MaintenanceWindowSchema = z.object({
  name: z.string().min(1),
  matchers: MatchersSchema,
  weekdays: z.array(z.number().int().min(0).max(6)).min(1).default([0, 1, 2, 3, 4, 5, 6]),
  start: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "expected HH:MM (UTC)"),
  duration: DurationSchema,
});

/**
 * The `grouping` section of `vigil.config.yaml`: correlation windows, hold-back of noise, lifecycle and
 * Alertmanager-style notification timing, silences and maintenance windows. Every field has a default, so
 * `{}` is a complete configuration; the defaults are one setting for every estate, not tuned per storm.
 */
export const GroupingConfigSchema = z.object({
  /** How long after a group's last alert a related alert still joins it (service, dependency, rule, resource). */
  correlationWindow: DurationSchema.prefault("12m"),
  /** How long after the latest state change of a group's cause (its anchors) service and dependency links still pull alerts in. */
  cascadeWindow: DurationSchema.prefault("15m"),
  /** How soon after a group's first alert a failing dependency of its cause may still alert and be taken as the cause. */
  causeLead: DurationSchema.prefault("3m"),
  /**
   * How recently a service's current failure in one region may have begun for the same service failing on its own in
   * another region to be taken as one rollout (a release or a global change reaching region after region), see
   * `claimRollout`.
   */
  rolloutWindow: DurationSchema.prefault("30m"),
  /**
   * How soon after a slow burn's memory alarm clears (the process restarted out of memory) its service's errors, latency
   * and unhealthy hosts belong to that slow burn, ahead of service and dependency links to other groups.
   */
  restartWindow: DurationSchema.prefault("3m"),
  /**
   * How long after a dependency recovered (its last alarm in a group cleared there) a caller's alarm may still be its symptom
   * by dependency: callers' alarms lag their dependency by an evaluation period or two, but none begins well after it is over.
   */
  symptomLag: DurationSchema.prefault("3m"),
  /**
   * How long after a service began failing in a region (the earliest of its alarms still firing there in a group fired) a
   * caller's alarm may still begin as its symptom, by dependency or through a chain: callers fail within minutes of what they
   * call, and one that begins long into a failure that went on without it is failing for another reason.
   */
  symptomOnset: DurationSchema.prefault("15m"),
  /**
   * Between two open incidents a caller's alarm reaches by dependency, one whose dependency began failing there more than
   * this much later than the other's is the likelier cause: callers fail within a minute or two of what they call, so a
   * failure just begun explains a new alarm better than one that went on for minutes without it.
   */
  onsetGap: DurationSchema.prefault("5m"),
  /** How long after a pending group's first alert symptoms may still join it by service or dependency (symptoms follow their cause within minutes). */
  onsetWindow: DurationSchema.prefault("7m"),
  /** How long before an AWS Health zone impairment is announced its symptoms may have started (they are gathered into one incident). */
  zoneLead: DurationSchema.prefault("20m"),
  /**
   * Zone-tied availability alerts (status checks, per-AZ unhealthy hosts, failovers) from this many distinct services
   * within `zoneBurstWindow` are taken as a zone impairment before AWS Health announces it (it often lags by 15 minutes).
   */
  zoneBurstServices: z.number().int().min(2).default(4),
  zoneBurstWindow: DurationSchema.prefault("5m"),
  /**
   * Dependency hops (`dependentsOf`/`dependenciesOf`) along which a cascade still correlates. One by default: a
   * failure's direct callers alert with it, while two hops away most alerts belong to some other failure.
   */
  dependencyHops: z.number().int().min(0).max(3).default(1),
  /** How long a fingerprint that fired in a group rejoins that group when it fires again (slow burns). */
  fingerprintMemory: DurationSchema.prefault("3h"),
  /**
   * How soon after it cleared an alarm firing again rejoins its open group just because that group is still busy (a flap
   * within the failure); an alarm clear for longer rejoins only while the group's cause is active. Within `correlationWindow`.
   */
  rejoinWindow: DurationSchema.prefault("7m"),
  /** A lone alarm that clears within this pause never pages (PagerDuty auto-pause). */
  transientPause: DurationSchema.prefault("5m"),
  /** A lone alert of `error`/`critical` severity that stays firing this long opens an incident on its own. */
  loneSustain: DurationSchema.prefault("15m"),
  /** Transitions to firing within `flapWindow` that mark a fingerprint as flapping. */
  flapCount: z.number().int().min(2).default(4),
  flapWindow: DurationSchema.prefault("1h"),
  /** Distinct independent alert roots (a composite counts as its children) that open an incident. */
  minRoots: z.number().int().min(1).default(2),
  /** An open incident resolves this long after its last alert resolved, unless one fires again. */
  resolveTimeout: DurationSchema.prefault("10m"),
  /**
   * An alert whose source never sends a clear (GuardDuty findings, one-shot RDS/EC2/EBS/cost events) counts as over
   * this long after it was last reported (Alertmanager's `resolve_timeout` for alerts without end). Longer than the
   * re-publication period of a live finding (GuardDuty: 15 minutes or 1 hour), so an active attack stays open.
   */
  silenceTimeout: DurationSchema.prefault("1h"),
  /**
   * An alert that does clear but stays firing with no new report this long (an alarm stuck in ALARM, a violation
   * nobody fixes) no longer holds its incident open (PagerDuty's incident auto-resolution); its clear still joins it.
   */
  staleTimeout: DurationSchema.prefault("6h"),
  /**
   * How long a group of spend signals (idle instances, billing alarms, cost anomalies, Trusted Advisor cost checks; see
   * `isSpendSignal`) keeps taking its account's spend signals after its last one, and how long such a signal that never
   * clears (a cost anomaly, a Trusted Advisor item) holds it open. Spend reports come hours apart: billing estimates a few
   * times a day, Cost Anomaly Detection about three runs a day, Trusted Advisor's refreshes in batches.
   */
  spendWindow: DurationSchema.prefault("24h"),
  /** How late (event time behind the clock) an alert may arrive and still be placed correctly. */
  allowedLateness: DurationSchema.prefault("10m"),
  /** How long event ids are remembered for dedup of repeated deliveries. */
  dedupWindow: DurationSchema.prefault("1h"),
  /** Alertmanager timing: wait before the first page, between update pages, and before repeating one. */
  groupWait: DurationSchema.prefault("30s"),
  groupInterval: DurationSchema.prefault("5m"),
  repeatInterval: DurationSchema.prefault("4h"),
  silences: z.array(SilenceSchema).default([]),
  maintenanceWindows: z.array(MaintenanceWindowSchema).default([]),
});

/** The `grouping` section as written in the config file. */
export type GroupingConfigInput = z.input<typeof GroupingConfigSchema>;
/** The `grouping` section parsed: durations in milliseconds, times in ms since epoch. */
export type GroupingConfig = z.output<typeof GroupingConfigSchema>;
export type Silence = z.output<typeof SilenceSchema>;
export type MaintenanceWindow = z.output<typeof MaintenanceWindowSchema>;

/**
 * Parses a `grouping` section (or `{}` for the defaults); throws the zod error naming the first bad field.
 *
 * @param input - the section as read from YAML/JSON
 */
export function parseGroupingConfig(input: GroupingConfigInput = {}): GroupingConfig {
  return GroupingConfigSchema.parse(input);
}
