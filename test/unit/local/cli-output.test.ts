import { describe, expect, it } from "vitest";
import type { Incident } from "../../../core/store/service";
import type { IncidentAlerts } from "../../../local/assignments";
import { formatIncidents } from "../../../local/cli-output";

const incident = { incidentId: "inc-1", status: "open", title: "P2 orders: 3 alerts, also storefront" } as Incident;
type Listed = IncidentAlerts["alerts"][number];
const record = (minute: number, over: Partial<Listed>): Listed => ({
  eventId: `e-${minute}`,
  fingerprint: `alarm:${minute}`,
  groupId: "inc-1",
  status: "firing",
  severity: "warning",
  source: "aws.cloudwatch",
  kind: "cloudwatch.alarm",
  eventTime: `2025-11-03T14:${String(minute).padStart(2, "0")}:00.000Z`,
  service: "orders",
  summary: `alarm ${minute}`,
  ...over,
});

describe("formatIncidents", () => {
  it("lists each incident's alerts in order with why each is there, a clear as the alarm's clear", () => {
    const out = formatIncidents([
      {
        incident,
        alerts: [
          record(41, { link: "new" }),
          record(42, { service: "storefront", link: "dependency", through: "orders" }),
          record(43, { service: "orders-db", link: "dependency", through: "orders", upstream: true }),
          record(44, { link: "zone", through: "us-east-1/us-east-1a" }),
          record(48, { status: "resolved", link: "fingerprint" }),
        ],
      },
    ]).split("\n");
    expect(out[0]).toBe("  P2 orders: 3 alerts, also storefront [open, inc-1]");
    expect(out.slice(1).map((l) => [l.slice(4, 9), l.trim().split(/\s{2,}/).at(-1)])).toEqual([
      ["14:41", "began the group"],
      ["14:42", "calls orders, failing in it"],
      ["14:43", "called by orders, failing in it"],
      ["14:44", "in impaired zone us-east-1a"],
      ["14:48", "its clear"],
    ]);
    expect(out[2]).toContain("storefront");
  });

  it("says when an alert joined a group merged in later, or joined none and was taken in", () => {
    const out = formatIncidents([{ incident, alerts: [record(1, { link: "service", joinedElsewhere: true }), record(2, { groupId: null, joinedElsewhere: true })] }]).split("\n");
    expect(out.slice(1).map((l) => l.trim().split(/\s{2,}/).at(-1))).toEqual(["same service, in a group merged or moved here", "taken in later"]);
  });

  it("counts what it leaves out past the limit, and says so of records stored before links were kept", () => {
    const out = formatIncidents([{ incident, alerts: [record(1, {}), record(2, {}), record(3, {})] }], 2).split("\n");
    expect(out).toHaveLength(4);
    expect(out[1]).toMatch(/how it joined was not recorded$/);
    expect(out[3]).toBe("    … and 1 more");
  });
});
