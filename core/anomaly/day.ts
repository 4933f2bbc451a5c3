/** Milliseconds in a UTC day. */
export const DAY_MS = 86_400_000;

/**
 * `((t % DAY_MS) + DAY_MS) % DAY_MS`, the time into the UTC day, to the bit. For a safe-integer `t` (epoch
 * milliseconds are) every step is an exact integer operation, so the floor division gives the same value
 * without the two floating-point remainders (`%` on doubles is a C call, ~3x the cost); any other `t`
 * takes the remainders themselves.
 */
export function msIntoDay(t: number): number {
  if (!Number.isSafeInteger(t)) return ((t % DAY_MS) + DAY_MS) % DAY_MS;
  // The quotient can round up onto the next integer just below a day boundary: one day back then.
  const r = t - Math.floor(t / DAY_MS) * DAY_MS;
  return r < 0 ? r + DAY_MS : r;
}
