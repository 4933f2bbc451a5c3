/** A Metric Streams JSON line as AWS writes it, for `dimensions` of one series. */
export function metricLine(overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({
    metric_stream_name: "vigil",
    account_id: "123456789012",
    region: "us-east-1",
    namespace: "AWS/Lambda",
    metric_name: "Errors",
    dimensions: { FunctionName: "checkout" },
    timestamp: 1_764_000_000_000,
    value: { max: 1, min: 0, sum: 3, count: 5 },
    unit: "Count",
    ...overrides,
  });
}
