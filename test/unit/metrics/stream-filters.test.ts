import { describe, expect, it } from "vitest";
import { validateConfig } from "../../../core/config/validate";
import { DEFAULT_METRIC_STREAM_INCLUDE, metricStreamIncludeFilters } from "../../../core/metrics/stream-filters";

describe("metricStreamIncludeFilters", () => {
  it("always streams the replication metrics the DR watch reads", () => {
    expect(metricStreamIncludeFilters([{ namespace: "AWS/EC2" }])).toEqual([
      { namespace: "AWS/EC2" },
      { namespace: "AWS/S3", metricNames: ["ReplicationLatency", "BytesPendingReplication", "OperationsPendingReplication", "OperationsFailedReplication"] },
      { namespace: "AWS/DynamoDB", metricNames: ["ReplicationLatency"] },
    ]);
  });

  it("unites metric lists of one namespace and keeps a whole namespace whole", () => {
    const filters = metricStreamIncludeFilters([
      { namespace: "AWS/DynamoDB", metricNames: ["ThrottledRequests"] },
      { namespace: "AWS/S3" },
      { namespace: "AWS/DynamoDB", metricNames: ["ThrottledRequests", "SystemErrors"] },
    ]);
    expect(filters).toEqual([
      { namespace: "AWS/DynamoDB", metricNames: ["ThrottledRequests", "SystemErrors", "ReplicationLatency"] },
      { namespace: "AWS/S3" },
    ]);
  });

  it("gives one filter per namespace for the default selection, replication metrics included", () => {
    const filters = metricStreamIncludeFilters(DEFAULT_METRIC_STREAM_INCLUDE);
    expect(filters.map((f) => f.namespace)).toEqual(["AWS/ApplicationELB", "AWS/Lambda", "AWS/RDS", "AWS/DynamoDB", "AWS/S3"]);
    expect(filters.find((f) => f.namespace === "AWS/S3")?.metricNames).toContain("ReplicationLatency");
  });
});

describe("config: metricStream.include", () => {
  it("defaults to the default selection", () => {
    expect(validateConfig({}).metricStream.include).toEqual(DEFAULT_METRIC_STREAM_INCLUDE);
  });

  it("takes a namespace with or without metric names, and refuses an empty list or an unknown key", () => {
    expect(validateConfig({ metricStream: { include: [{ namespace: "AWS/EC2", metricNames: ["CPUUtilization"] }] } }).metricStream.include).toEqual([
      { namespace: "AWS/EC2", metricNames: ["CPUUtilization"] },
    ]);
    expect(() => validateConfig({ metricStream: { include: [] } })).toThrow(/metricStream\.include/);
    expect(() => validateConfig({ metricStream: { include: [{ namespace: "AWS/EC2", metric: "x" }] } })).toThrow(/metricStream\.include/);
  });
});
