import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { applyInputPath } from "../../core/eventbridge/input-transformer";
import { matchesPattern } from "../../core/eventbridge/pattern";
import { buildTopology, normaliseEvent } from "../../core/grouping";
import { parseInboundEvent } from "../../events/inbound";
import { vigilEntry } from "../../events/outbound";
import { FUNCTION_PATTERNS, alertGrouperRoutes } from "../../events/patterns";
import { fixtureFiles, fixtureJson, fixturesPresent, MISSING_FIXTURES } from "./fixtures";
import { OUTBOUND_SAMPLES } from "./outbound-samples";

const SCENARIOS = path.resolve(process.cwd(), "../shared/scenarios");
const STORMS = ["small-1", "small-2", "small-3", "medium-1", "medium-2"];
const topology = buildTopology({});

type Event = Record<string, unknown>;

function envelope(source: string, detailType: string, detail: unknown, account = "123456789012"): Event {
  return { version: "0", id: "1", source, "detail-type": detailType, account, time: "2024-05-01T12:00:00Z", region: "us-east-1", resources: [], detail };
}

/** Every valid fixture event, Vigil's own anomaly, and the fallbacks the normalisers take when a field is absent. */
function fixtureEvents(): [string, Event][] {
  const out: [string, Event][] = [];
  for (const family of fixtureFiles(".").filter((f) => !f.includes("."))) {
    for (const file of fixtureFiles(family).filter((f) => f.endsWith(".json"))) {
      const value = fixtureJson(`${family}/${file}`) as Event;
      if (parseInboundEvent(value).ok) out.push([`${family}/${file}`, value]);
      else if (family === "cost-anomaly-detection") out.push([`${family}/${file}`, envelope("aws.ce", "Anomaly Detected", value, "999999999999")]);
    }
  }
  const anomaly = vigilEntry("Anomaly Detected", OUTBOUND_SAMPLES["Anomaly Detected"]);
  out.push(["vigil/Anomaly Detected", envelope(anomaly.Source, anomaly.DetailType, JSON.parse(anomaly.Detail), "999999999999")]);
  for (const [name, event] of [...out]) {
    const detail = event.detail as Record<string, unknown>;
    if (event.source === "aws.health" && "affectedAccount" in detail) {
      const { affectedAccount: _, ...rest } = detail;
      out.push([`${name} without affectedAccount`, { ...event, detail: rest }]);
    }
    if (event.source === "aws.ce") {
      const causes = (detail.rootCauses as Record<string, unknown>[]).map(({ linkedAccount: _, ...cause }) => cause);
      const { accountId: _, ...noAccount } = detail;
      out.push([`${name} without linked accounts`, { ...event, detail: { ...detail, rootCauses: causes, accountId: "111122223333" } }]);
      out.push([`${name} without any account in its detail`, { ...event, detail: { ...noAccount, rootCauses: causes } }]);
    }
  }
  return out;
}

function stormEvents(): [string, Event][] {
  return STORMS.flatMap((storm) => {
    const file = path.join(SCENARIOS, storm, "events.jsonl");
    if (!existsSync(file)) return [];
    const lines = readFileSync(file, "utf8").split("\n").filter((line) => line.trim() !== "");
    return lines.map((line, i): [string, Event] => [`${storm}#${i + 1}`, JSON.parse(line) as Event]);
  });
}

/** The account each alert-grouper route puts an event under, checked against the accounts its alerts are grouped by. */
function check(events: [string, Event][]) {
  let routed = 0;
  for (const [name, event] of events) {
    const routes = alertGrouperRoutes.filter((route) => matchesPattern(route.pattern, event));
    const consumed = FUNCTION_PATTERNS.alertGrouper.some((p) => matchesPattern(p, event));
    expect(routes.length, `${name}: routes`).toBe(consumed ? 1 : 0);
    const result = normaliseEvent(event, topology);
    const accounts = "alerts" in result ? [...new Set(result.alerts.map((a) => a.account))] : [];
    // An event the engine makes alerts of (a generic one included) must reach the grouper, or the pipeline drops what the engine groups.
    if (accounts.length > 0) expect(routes.length, `${name} (${String(event.source)} ${String(event["detail-type"])}) yields alerts: routes`).toBe(1);
    const route = routes[0];
    if (route === undefined) continue;
    const key = applyInputPath(route.partitionKeyPath, event);
    // An event yielding no alert (an own event, a malformed one) may go anywhere; one that does goes to its alerts' account.
    if (accounts.length > 0) expect([key], `${name}: partition key`).toEqual(accounts);
    routed++;
  }
  return routed;
}

describe.skipIf(!fixturesPresent)("alert-grouper routes: each alert goes to the shard of the account it is grouped under", () => {
  it("routes every fixture the grouper consumes exactly once, keyed by its alerts' account", () => {
    if (!fixturesPresent) throw new Error(MISSING_FIXTURES);
    const events = fixtureEvents();
    expect(check(events)).toBeGreaterThan(10);
    // The fallbacks really take other routes: envelope account, monitor account.
    const keys = events.filter(([n]) => n.includes("without")).map(([, e]) => applyInputPath(alertGrouperRoutes.find((r) => matchesPattern(r.pattern, e))!.partitionKeyPath, e));
    expect(keys).toContain("111122223333");
  });
});

describe.skipIf(!existsSync(SCENARIOS))("alert-grouper routes over the recorded storms", () => {
  it(`routes every storm event that yields alerts exactly once, keyed by its alerts' account (${STORMS.join(", ")})`, () => {
    const events = stormEvents();
    expect(events.length).toBeGreaterThan(1000);
    // Payer-account cost anomalies are among them: their envelope account is not the alert's.
    expect(events.some(([, e]) => e.source === "aws.ce" && JSON.stringify(e.detail).includes("linkedAccount"))).toBe(true);
    expect(check(events)).toBeGreaterThan(1000);
  }, 300_000);
});
