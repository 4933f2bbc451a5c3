import { describe, expect, it } from "vitest";
import { CsvHeaderError, parseTimestamp, scoreCsv, scoreCsvDetailed } from "../../../local/score";
import { seasonalValues } from "./series-factory";

const csvOf = (rows: string[]): string => `timestamp,value\n${rows.join("\n")}\n`;
const stamp = (i: number): string => new Date(Date.UTC(2014, 3, 1) + i * 300_000).toISOString().slice(0, 19).replace("T", " ");

describe("scoreCsv", () => {
  it("writes one row per input row, in input order, with the input timestamps", () => {
    const rows = seasonalValues(500, 2).map((v, i) => `${stamp(i)},${v}`);
    const out = scoreCsv(csvOf(rows)).trimEnd().split("\n");
    expect(out[0]).toBe("timestamp,anomaly_score");
    expect(out).toHaveLength(rows.length + 1);
    out.slice(1).forEach((line, i) => {
      const [ts, score] = line.split(",");
      expect(ts).toBe(stamp(i));
      expect(Number(score)).toBeGreaterThanOrEqual(0);
      expect(Number(score)).toBeLessThanOrEqual(1);
    });
  });

  it("keeps malformed, duplicate and out-of-order rows in place with score 0 and reports them", () => {
    const rows = seasonalValues(300, 3).map((v, i) => `${stamp(i)},${v}`);
    rows[200] = `${stamp(200)},not-a-number`;
    rows[201] = `garbage,12`;
    rows[202] = `${stamp(199)},50`;
    rows[203] = `${stamp(198)},50`;
    rows[204] = `${stamp(204)}`;
    const { csv, problems } = scoreCsvDetailed(csvOf(rows));
    const out = csv.trimEnd().split("\n").slice(1);
    expect(out).toHaveLength(300);
    expect(out.slice(200, 205)).toEqual([`${stamp(200)},0`, "garbage,0", `${stamp(199)},0`, `${stamp(198)},0`, `${stamp(204)},0`]);
    expect(Number(out[205]!.split(",")[1])).toBeGreaterThanOrEqual(0);
    expect(problems.map((p) => p.line)).toEqual([202, 203, 204, 205, 206]);
    expect(problems.map((p) => p.reason).join(" ")).toMatch(/value.*timestamp.*duplicate.*out of order.*value/);
  });

  it("needs timestamp and value columns", () => {
    expect(() => scoreCsv("time,metric\n1,2\n")).toThrowError(CsvHeaderError);
  });
});

describe("parseTimestamp", () => {
  it.each([
    ["2014-04-10 07:15:00", Date.UTC(2014, 3, 10, 7, 15)],
    ["2014-04-10T07:15:00Z", Date.UTC(2014, 3, 10, 7, 15)],
    ["2014-04-10T09:15:00+02:00", Date.UTC(2014, 3, 10, 7, 15)],
    ["1397114100", Date.UTC(2014, 3, 10, 7, 15)],
    ["1397114100000", Date.UTC(2014, 3, 10, 7, 15)],
  ])("reads %s", (text, ms) => {
    expect(parseTimestamp(text)).toBe(ms);
  });

  it("gives NaN for text that is no timestamp", () => {
    expect(parseTimestamp("yesterday")).toBeNaN();
  });
});
