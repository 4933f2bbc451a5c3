import { describe, expect, it } from "vitest";
import { scoreBatch, type SeriesPoint } from "../../../core/anomaly/batch";
import { anomalyDetail, deterministicId } from "../../../core/anomaly/emit";
import { pointFromDatum } from "../../../core/anomaly/points";
import { seriesIdOf } from "../../../core/anomaly/series-id";
import { AnomalyDetectedDetailSchema } from "../../../events/outbound";
import { datum, seriesWithSpike } from "../../support/metric-records";

const key = { account: "111122223333", region: "us-east-1", namespace: "AWS/EC2", metricName: "CPUUtilization", dimensions: { InstanceId: "i-1" } };
const points = (values: number[], seriesId = "s1"): SeriesPoint[] =>
  values.map((value, i) => ({ seriesId, key, timestamp: 1_000_000 + i * 60_000, value }));

describe("seriesIdOf", () => {
  it("is readable and independent of dimension order", () => {
    const a = seriesIdOf({ ...key, dimensions: { B: "2", A: "1" } });
    expect(a).toBe("111122223333/us-east-1/AWS/EC2/CPUUtilization/A=1,B=2");
    expect(seriesIdOf({ ...key, dimensions: { A: "1", B: "2" } })).toBe(a);
  });

  it("stays under 512 characters, keeping distinct long ids distinct", () => {
    const long = (v: string) => seriesIdOf({ ...key, dimensions: { Name: "x".repeat(600) + v } });
    expect(long("a").length).toBeLessThanOrEqual(512);
    expect(long("a")).not.toBe(long("b"));
  });
});

describe("pointFromDatum", () => {
  it("takes the period's average", () => {
    expect(pointFromDatum(datum(0, 7) as never)).toMatchObject({ value: 7, seriesId: "111122223333/us-east-1/AWS/EC2/CPUUtilization/InstanceId=i-0abc" });
  });

  it("refuses a period without samples and a malformed account, saying why", () => {
    expect(pointFromDatum(datum(0, 1, { value: { max: 0, min: 0, sum: 0, count: 0 } }) as never)).toEqual({ skipped: "no samples in the period (count 0)" });
    expect(pointFromDatum(datum(0, 1, { account_id: "42" }) as never)).toEqual({ skipped: 'account_id "42" is not a 12-digit AWS account id' });
  });
});

describe("scoreBatch", () => {
  it("finds the spike, and scoring in one batch equals scoring in two", () => {
    const all = points(seriesWithSpike(400, 300));
    const once = scoreBatch(all, new Map());
    expect(once.anomalies.map((a) => a.timestamp)).toContain(all[300]!.timestamp);
    const first = scoreBatch(all.slice(0, 200), new Map());
    const stored = new Map([["s1", { state: first.series[0]!.state, recentAnomalies: first.series[0]!.recentAnomalies }]]);
    const second = scoreBatch(all.slice(200), stored);
    expect(second.series[0]!.state).toBe(once.series[0]!.state);
    expect([...first.anomalies, ...second.anomalies]).toEqual(once.anomalies);
  });

  it("skips redelivered points, changes nothing, and re-emits the anomalies they had produced", () => {
    const all = points(seriesWithSpike(400, 300));
    const once = scoreBatch(all, new Map());
    const stored = new Map([["s1", { state: once.series[0]!.state, recentAnomalies: once.series[0]!.recentAnomalies }]]);
    const again = scoreBatch(all.slice(290, 310), stored);
    expect(again.series[0]!.changed).toBe(false);
    expect(again.series[0]!.state).toBe(once.series[0]!.state);
    expect(again.scored).toBe(0);
    expect(again.skipped).toHaveLength(20);
    expect(again.anomalies.map((a) => a.timestamp)).toEqual([all[300]!.timestamp]);
  });

  it("keeps series apart", () => {
    const out = scoreBatch([...points([1, 2, 3], "a"), ...points([4, 5], "b")], new Map());
    expect(out.series.map((s) => [s.seriesId, s.lastTimestamp])).toEqual([
      ["a", 1_000_000 + 2 * 60_000],
      ["b", 1_000_000 + 60_000],
    ]);
  });
});

describe("anomalyDetail", () => {
  const finding = { seriesId: "s1", key, timestamp: Date.parse("2025-11-03T14:42:00Z"), value: 97.2, score: 0.93, expected: { low: 20, high: 45 }, reason: "value far above level", anomalous: true };

  it("is a valid Anomaly Detected detail", () => {
    expect(AnomalyDetectedDetailSchema.safeParse(anomalyDetail(finding)).success).toBe(true);
  });

  it("derives its eventId from the series and time, so a re-emission is the same event", () => {
    expect(anomalyDetail(finding).eventId).toBe(anomalyDetail({ ...finding, score: 0.5 }).eventId);
    expect(anomalyDetail(finding).eventId).not.toBe(anomalyDetail({ ...finding, timestamp: finding.timestamp + 60_000 }).eventId);
    expect(deterministicId("x")).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
