/** What a counted grouping write wrote: a scope commit, a part of a scope too large for one item, an outbox clear, an alert page, an Incident item. */
export type GroupingWriteKind = "scope" | "part" | "outbox" | "page" | "incident";

/**
 * Item writes the grouping store functions made in this process (puts, conditional puts, updates and each
 * BatchWrite item), in all and by kind, so `npm run bench:grouping` can report DynamoDB writes per alert. A
 * plain counter: the local runtime runs the handlers in the bench's own process.
 */
export const groupingWrites = {
  count: 0,
  byKind: { scope: 0, part: 0, outbox: 0, page: 0, incident: 0 } as Record<GroupingWriteKind, number>,
  add(items: number, kind: GroupingWriteKind): void {
    this.count += items;
    this.byKind[kind] += items;
  },
};
