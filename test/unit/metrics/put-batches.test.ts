import { describe, expect, it } from "vitest";
import { MAX_BYTES_PER_CALL, MAX_RECORDS_PER_CALL, putBatches, recordBytes } from "../../../core/metrics/put-batches";

describe("putBatches", () => {
  it("cuts at 500 records per call, in order", () => {
    const records = Array.from({ length: 1201 }, (_, i) => ({ partitionKey: `k${i}`, data: "x" }));
    const calls = putBatches(records);
    expect(calls.map((c) => c.length)).toEqual([MAX_RECORDS_PER_CALL, MAX_RECORDS_PER_CALL, 201]);
    expect(calls.flat()).toEqual(records);
  });

  it("cuts at 5 MiB of data and partition keys per call", () => {
    const records = Array.from({ length: 12 }, (_, i) => ({ partitionKey: `k${i}`, data: "x".repeat(1024 * 1024 - 2) }));
    const calls = putBatches(records);
    expect(calls.map((c) => c.length)).toEqual([5, 5, 2]);
    for (const c of calls) expect(c.reduce((n, r) => n + recordBytes(r), 0)).toBeLessThanOrEqual(MAX_BYTES_PER_CALL);
  });

  it("makes no call for no record", () => {
    expect(putBatches([])).toEqual([]);
  });
});
