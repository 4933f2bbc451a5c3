/** Wraps a real detail (SNS body, bare finding) in the EventBridge envelope EventBridge would deliver it in. */
export function envelope(source: string, detailType: string, detail: unknown, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    version: "0",
    id: "00000000-0000-0000-0000-000000000001",
    "detail-type": detailType,
    source,
    account: "123456789012",
    time: "2025-05-26T11:00:00Z",
    region: "us-east-1",
    resources: [],
    detail,
    ...overrides,
  };
}

