import { WEEKDAYS, type ChangeWindow, type Weekday } from "./guardrails-schema";

const MINUTES_PER_DAY = 24 * 60;

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(":").map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

// Weekday and minute of the day of `now` on the wall clock of `timeZone`.
function wallClock(now: Date, timeZone: string): { day: Weekday; minute: number } {
  const parts = new Intl.DateTimeFormat("en-US", { timeZone, weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(now);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  const day = get("weekday").toLowerCase().slice(0, 3) as Weekday;
  return { day, minute: Number(get("hour")) * 60 + Number(get("minute")) };
}

/**
 * Whether `now` falls inside the window. A window whose end is before its start runs past midnight
 * and belongs to the day it opens on (`fri 22:00–02:00` covers Saturday 01:00).
 */
export function inChangeWindow(window: ChangeWindow, now: Date): boolean {
  const { day, minute } = wallClock(now, window.timezone);
  const start = minutesOf(window.start);
  const end = minutesOf(window.end);
  if (start < end) return window.days.includes(day) && minute >= start && minute < end;
  const yesterday = WEEKDAYS[(WEEKDAYS.indexOf(day) + WEEKDAYS.length - 1) % WEEKDAYS.length]!;
  return (window.days.includes(day) && minute >= start && minute < MINUTES_PER_DAY) || (window.days.includes(yesterday) && minute < end);
}
