import { describe, expect, it } from "vitest";
import { pointFromDatum } from "../../../core/anomaly/points";
import { MAX_PARTITION_KEY_LENGTH, MAX_RECORD_BYTES, metricLines, partitionKeyOf, planForwarding, seriesIdOfLine } from "../../../core/metrics/forward-plan";
import { parseMetricStreamRecord } from "../../../events/inbound/metric-stream";
import { metricLine } from "./metric-lines";

const lambdaErrors = (fn: string, timestamp: number) => metricLine({ dimensions: { FunctionName: fn }, timestamp });

describe("seriesIdOfLine", () => {
  it("gives the id the scorer keys its state by, whatever the dimension order", () => {
    const line = metricLine({ dimensions: { Resource: "checkout:live", FunctionName: "checkout" } });
    const { metrics } = parseMetricStreamRecord(line);
    const point = pointFromDatum(metrics[0]!);
    expect("seriesId" in point && point.seriesId).toBe("123456789012/us-east-1/AWS/Lambda/Errors/FunctionName=checkout,Resource=checkout:live");
    expect(seriesIdOfLine(line)).toEqual({ seriesId: (point as { seriesId: string }).seriesId });
  });

  it.each([
    ["{not json", /invalid JSON/],
    ["[1,2]", /not a JSON object/],
    [metricLine({ namespace: 7 }), /namespace: expected a non-empty string/],
    [metricLine({ account_id: "" }), /account_id/],
    [metricLine({ dimensions: { FunctionName: 3 } }), /dimensions: expected an object of strings/],
  ])("refuses %s with a reason", (line, reason) => {
    expect(seriesIdOfLine(line)).toEqual({ reason: expect.stringMatching(reason) });
  });
});

describe("partitionKeyOf", () => {
  it("keeps ids Kinesis accepts, and hashes longer ones to one stable key", () => {
    expect(partitionKeyOf("a/b")).toBe("a/b");
    const long = "x".repeat(MAX_PARTITION_KEY_LENGTH + 1);
    expect(partitionKeyOf(long)).toHaveLength(64);
    expect(partitionKeyOf(long)).toBe(partitionKeyOf(long));
    expect(partitionKeyOf(long)).not.toBe(partitionKeyOf(`${long}y`));
  });
});

describe("metricLines", () => {
  it("reads newline-delimited lines, skipping blanks and CRs, and numbers them from 1", () => {
    expect(metricLines("a\r\n\nb\n")).toEqual([{ line: 1, text: "a" }, { line: 3, text: "b" }]);
  });

  it("reads one pretty-printed object as one compact line", () => {
    const pretty = JSON.stringify(JSON.parse(metricLine()), null, 2);
    expect(metricLines(pretty)).toEqual([{ line: 1, text: metricLine() }]);
  });
});

describe("planForwarding", () => {
  it("writes one record per series, partitioned by series id, with its lines in arrival order across Firehose records", () => {
    const plan = planForwarding([
      { recordId: "r1", text: [lambdaErrors("a", 1), lambdaErrors("b", 1), lambdaErrors("a", 2)].join("\n") },
      { recordId: "r2", text: `${lambdaErrors("a", 3)}\n` },
    ]);
    const idA = "123456789012/us-east-1/AWS/Lambda/Errors/FunctionName=a";
    expect(plan.entries).toEqual([
      { partitionKey: idA, data: `${[lambdaErrors("a", 1), lambdaErrors("a", 2), lambdaErrors("a", 3)].join("\n")}\n`, lines: 3, recordIds: ["r1", "r2"] },
      { partitionKey: idA.replace("=a", "=b"), data: `${lambdaErrors("b", 1)}\n`, lines: 1, recordIds: ["r1"] },
    ]);
    expect(plan).toMatchObject({ lines: 4, malformed: [] });
  });

  it("drops a malformed line alone, naming its record and line", () => {
    const plan = planForwarding([{ recordId: "r1", text: [lambdaErrors("a", 1), "{oops", lambdaErrors("a", 2)].join("\n") }]);
    expect(plan.malformed).toEqual([{ recordId: "r1", line: 2, reason: expect.stringMatching(/^invalid JSON/) }]);
    expect(plan.entries).toHaveLength(1);
    expect(plan.entries[0]).toMatchObject({ lines: 2, recordIds: ["r1"] });
  });

  it("splits one series beyond 1 MiB into consecutive records of the same key, each within the limit", () => {
    const padded = (i: number) => metricLine({ timestamp: i, unit: "x".repeat(200_000) });
    const plan = planForwarding([{ recordId: "r1", text: [0, 1, 2, 3, 4, 5].map(padded).join("\n") }]);
    expect(plan.entries.length).toBeGreaterThan(1);
    expect(new Set(plan.entries.map((e) => e.partitionKey)).size).toBe(1);
    for (const e of plan.entries) expect(Buffer.byteLength(e.data) + Buffer.byteLength(e.partitionKey)).toBeLessThanOrEqual(MAX_RECORD_BYTES);
    const timestamps = plan.entries.flatMap((e) => e.data.trim().split("\n").map((l) => JSON.parse(l).timestamp));
    expect(timestamps).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it("drops a line larger than a Kinesis record", () => {
    const plan = planForwarding([{ recordId: "r1", text: metricLine({ unit: "x".repeat(MAX_RECORD_BYTES) }) }]);
    expect(plan.entries).toEqual([]);
    expect(plan.malformed).toEqual([{ recordId: "r1", line: 1, reason: expect.stringMatching(/exceeds a Kinesis record/) }]);
  });
});
