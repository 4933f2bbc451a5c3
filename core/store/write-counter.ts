/**
 * Item writes the grouping store functions made in this process (puts, conditional puts, updates and each
 * BatchWrite item), so `npm run bench:grouping` can report DynamoDB writes per alert. A plain counter: the
 * local runtime runs the handlers in the bench's own process.
 */
export const groupingWrites = {
  count: 0,
  add(items: number): void {
    this.count += items;
  },
};
