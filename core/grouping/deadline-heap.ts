/**
 * A binary min-heap of `[deadline, groupId]` entries: the engine's timer index. It lives beside the engine
 * state (never serialised), so `tick` pops only the groups that are due instead of scanning every group;
 * entries go stale when a group's deadline moves, and the caller skips those (lazy deletion).
 */
export class DeadlineHeap {
  private readonly at: number[] = [];
  private readonly ids: string[] = [];

  /** Number of entries, stale ones included. */
  get size(): number {
    return this.at.length;
  }

  /** The earliest deadline, or +Infinity when empty. */
  peek(): number {
    return this.at[0] ?? Number.POSITIVE_INFINITY;
  }

  /** The group id of the earliest entry (undefined when empty). */
  peekId(): string | undefined {
    return this.ids[0];
  }

  /** Adds a deadline for a group; infinite deadlines are not stored. */
  push(deadline: number, groupId: string): void {
    if (!Number.isFinite(deadline)) return;
    let i = this.at.length;
    this.at.push(deadline);
    this.ids.push(groupId);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((this.at[parent] as number) <= deadline) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  /** Removes the earliest entry. */
  pop(): void {
    const last = this.at.length - 1;
    if (last < 0) return;
    this.swap(0, last);
    this.at.pop();
    this.ids.pop();
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < this.at.length && (this.at[l] as number) < (this.at[m] as number)) m = l;
      if (r < this.at.length && (this.at[r] as number) < (this.at[m] as number)) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }

  private swap(a: number, b: number): void {
    const t = this.at[a] as number;
    this.at[a] = this.at[b] as number;
    this.at[b] = t;
    const s = this.ids[a] as string;
    this.ids[a] = this.ids[b] as string;
    this.ids[b] = s;
  }
}
