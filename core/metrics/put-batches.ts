/** PutRecords limits: 500 records and 5 MiB (data plus partition keys) per call. */
export const MAX_RECORDS_PER_CALL = 500;
export const MAX_BYTES_PER_CALL = 5 * 1024 * 1024;

/** What a record weighs against the PutRecords limits. */
export interface Sized {
  partitionKey: string;
  data: string;
}

/** Bytes a record counts for in a PutRecords call: its data and its partition key. */
export const recordBytes = (r: Sized) => Buffer.byteLength(r.data) + Buffer.byteLength(r.partitionKey);

/**
 * Splits records into PutRecords calls of at most 500 records and 5 MiB, keeping their order.
 *
 * @param records - each at most 1 MiB (as core/metrics/forward-plan builds them)
 */
export function putBatches<T extends Sized>(records: readonly T[]): T[][] {
  const calls: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const r of records) {
    const size = recordBytes(r);
    if (current.length === MAX_RECORDS_PER_CALL || (current.length > 0 && bytes + size > MAX_BYTES_PER_CALL)) {
      calls.push(current);
      current = [];
      bytes = 0;
    }
    current.push(r);
    bytes += size;
  }
  if (current.length > 0) calls.push(current);
  return calls;
}
