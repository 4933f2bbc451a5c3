import { describe, expect, it } from "vitest";
import { MetricStreamKinesisEventSchema, parseMetricStreamRecord } from "../../events/inbound";
import { fixtureFiles, fixtureJson, fixtureText, fixturesPresent } from "./fixtures";

const FAMILY = "metric-streams-json";

describe.skipIf(!fixturesPresent)("parseMetricStreamRecord on ../shared/fixtures/metric-streams-json", () => {
  for (const file of fixtureFiles(FAMILY)) {
    it(file, () => {
      const text = fixtureText(`${FAMILY}/${file}`);
      const lines = text.split("\n").filter((l) => l.trim() !== "");
      const expected = file.endsWith(".ndjson") ? lines.length : 1;
      const { metrics, errors } = parseMetricStreamRecord(text);
      expect(errors).toEqual([]);
      expect(metrics).toHaveLength(expected);
      for (const m of metrics) {
        expect(m.namespace).toBe("AWS/EC2");
        expect(m.value.count).toBeGreaterThan(0);
      }
    });
  }

  it("keeps percentiles and trimmed means", () => {
    const { metrics } = parseMetricStreamRecord(fixtureText(`${FAMILY}/record-diskwriteops-percentiles-awsdocs.json`));
    expect(metrics[0]?.value).toMatchObject({ p99: 17.56, "p99.9": 17.8764, "TM(25%:75%)": 16.43 });
  });

  it("keeps the other lines when one in the middle is malformed, and numbers the bad ones", () => {
    const lines = fixtureText(`${FAMILY}/records-newline-delimited-otel-contrib.ndjson`).split("\n").filter((l) => l !== "");
    expect(lines.length).toBeGreaterThanOrEqual(3);
    const badJson = "{\"metric_stream_name\": truncated";
    const badValue = lines[0]?.replace('"count":3.0', '"count":"three"') ?? "";
    const record = [lines[0], badJson, lines[1], badValue, ...lines.slice(2)].join("\n");
    const { metrics, errors } = parseMetricStreamRecord(record);
    expect(metrics).toHaveLength(lines.length);
    expect(errors).toHaveLength(2);
    expect(errors[0]?.line).toBe(2);
    expect(errors[0]?.reason).toMatch(/^invalid JSON: /);
    expect(errors[1]).toEqual({ line: 4, reason: "value.count: expected number, received string" });
  });

  it("decodes a Kinesis batch to the record text", () => {
    const batch = fixtureJson("kinesis-lambda/kinesis-stream-event-powertools-python.json") as { Records: { kinesis: { data: string } }[] };
    const ndjson = fixtureText(`${FAMILY}/records-newline-delimited-otel-contrib.ndjson`);
    const records = batch.Records.map((r) => ({ ...r, kinesis: { ...r.kinesis, data: Buffer.from(ndjson).toString("base64") } }));
    const parsed = MetricStreamKinesisEventSchema.parse({ ...batch, Records: records });
    for (const record of parsed.Records) expect(parseMetricStreamRecord(record.kinesis.data).metrics.length).toBeGreaterThan(1);
  });
});

describe("parseMetricStreamRecord edge cases", () => {
  it("returns nothing for empty or blank input", () => {
    expect(parseMetricStreamRecord("")).toEqual({ metrics: [], errors: [] });
    expect(parseMetricStreamRecord("\n \n")).toEqual({ metrics: [], errors: [] });
  });

  it("reports a missing field by path", () => {
    const { errors } = parseMetricStreamRecord('{"metric_stream_name":"s"}');
    expect(errors).toEqual([{ line: 1, reason: "account_id: expected string, received undefined" }]);
  });

  it("reports a JSON value that is not an object", () => {
    expect(parseMetricStreamRecord("42").errors).toEqual([{ line: 1, reason: "(root): expected object, received number" }]);
  });
});
