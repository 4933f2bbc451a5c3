/**
 * The runtime's clock. A replay moves it to each event's time, so hours of events run in
 * seconds and every timer fires at the same virtual moment it would have fired for real.
 */
export interface Clock {
  now(): number;
}

interface Timer {
  at: number;
  seq: number;
  run: () => Promise<void> | void;
}

export class VirtualClock implements Clock {
  private current: number;
  private timers: Timer[] = [];
  private seq = 0;

  constructor(start = 0) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  /** Runs `run` when the clock reaches `at` (immediately on the next advance if already past). */
  at(at: number, run: Timer["run"]): void {
    this.timers.push({ at, seq: this.seq++, run });
  }

  /** Runs `run` every `intervalMs`, first at the next multiple of the interval. */
  every(intervalMs: number, run: (at: number) => Promise<void> | void): void {
    const schedule = (at: number) =>
      this.at(at, async () => {
        await run(at);
        schedule(at + intervalMs);
      });
    schedule(Math.floor(this.current / intervalMs) * intervalMs + intervalMs);
  }

  /**
   * Moves time forward to `to`, running every due timer in time order with the clock set to
   * the timer's own time; a timer that schedules another due one sees it run in this call too.
   * Time never goes backwards: an earlier `to` is ignored.
   */
  async advanceTo(to: number): Promise<void> {
    for (;;) {
      const due = this.nextDue(to);
      if (!due) break;
      this.current = Math.max(this.current, due.at);
      await due.run();
    }
    this.current = Math.max(this.current, to);
  }

  pendingTimers(): number {
    return this.timers.length;
  }

  private nextDue(to: number): Timer | undefined {
    let best = -1;
    this.timers.forEach((t, i) => {
      const b = this.timers[best];
      if (t.at <= to && (!b || t.at < b.at || (t.at === b.at && t.seq < b.seq))) best = i;
    });
    return best < 0 ? undefined : this.timers.splice(best, 1)[0];
  }
}

export const systemClock: Clock = { now: () => Date.now() };
