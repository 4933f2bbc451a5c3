import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

/** Real AWS sample events (read-only, outside the repo). */
export const FIXTURES_DIR = resolve(process.cwd(), "../shared/fixtures");
export const fixturesPresent = existsSync(FIXTURES_DIR);
export const MISSING_FIXTURES = `fixtures not found at ${FIXTURES_DIR} (../shared/fixtures): skipped`;

/** One fixture, parsed (a fresh copy each time, so tests may edit it). */
export function fixture(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(FIXTURES_DIR, file), "utf8")) as Record<string, unknown>;
}

/** Wraps a bare detail (CloudTrail record, GuardDuty finding) in the envelope EventBridge delivers it in. */
export function envelope(source: string, detailType: string, detail: unknown, id = "11111111-2222-3333-4444-555555555555") {
  return { version: "0", id, "detail-type": detailType, source, account: "123456789012", time: "2025-05-26T11:00:00Z", region: "us-west-2", resources: [], detail };
}

/** A bare CloudTrail record as EventBridge delivers it. */
export function cloudTrail(file: string, edit: (record: Record<string, any>) => void = () => {}) {
  const record = fixture(file) as Record<string, any>;
  edit(record);
  return envelope(`aws.${String(record.eventSource).split(".")[0]}`, "AWS API Call via CloudTrail", record);
}
