import * as z from "zod";

/** The tag that protects a resource from every policy unless a policy names its own protected tags. */
export const DEFAULT_PROTECTED_TAGS: Readonly<Record<string, string>> = Object.freeze({ "vigil:protect": "true" });

/** Days of the week, as change windows name them. */
export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const HourMinute = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be HH:MM on a 24-hour clock");

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const RateLimitSchema = z.strictObject({
  /** Most actions allowed within the window. */
  max: z.number().int().positive(),
  windowMinutes: z.number().int().positive(),
});
export type RateLimit = z.infer<typeof RateLimitSchema>;

/** Cloud Custodian's max-resources / max-resources-percent, per time window. */
const BlastRadiusSchema = z
  .strictObject({
    /** Most distinct resources acted on within the window. */
    maxResources: z.number().int().positive().optional(),
    /** Most resources acted on within the window, as a percentage of those in scope. */
    maxPercent: z.number().positive().max(100).optional(),
    windowMinutes: z.number().int().positive(),
  })
  .refine((b) => b.maxResources !== undefined || b.maxPercent !== undefined, {
    message: "needs maxResources or maxPercent",
  });
export type BlastRadius = z.infer<typeof BlastRadiusSchema>;

/** When actions may run; a window whose end is before its start runs past midnight. */
const ChangeWindowSchema = z
  .strictObject({
    /** Days the window opens on, in its time zone. */
    days: z.array(z.enum(WEEKDAYS)).min(1),
    start: HourMinute,
    end: HourMinute,
    /** IANA time zone, e.g. `Europe/Paris`. */
    timezone: z.string().refine(isTimeZone, "must be an IANA time zone, e.g. Europe/Paris").default("UTC"),
  })
  .refine((w) => w.start !== w.end, { message: "start and end must differ", path: ["end"] });
export type ChangeWindow = z.infer<typeof ChangeWindowSchema>;

/** Limits on what a policy may do, checked before every action. */
export const GuardrailsSchema = z.strictObject({
  /** Tags (key → value) that put a resource out of reach. */
  protectedTags: z.record(z.string().min(1), z.string()).default({ ...DEFAULT_PROTECTED_TAGS }),
  rateLimit: z
    .strictObject({ perPolicy: RateLimitSchema.optional(), perAccount: RateLimitSchema.optional() })
    .optional(),
  blastRadius: BlastRadiusSchema.optional(),
  /** Actions run only inside one of these; always, when absent or empty. */
  changeWindows: z.array(ChangeWindowSchema).default([]),
});
export type Guardrails = z.infer<typeof GuardrailsSchema>;
