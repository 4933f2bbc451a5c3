import { describe, expect, it } from "vitest";
import type { Incident } from "../../../core/store/service";
import type { IncidentAlerts } from "../../../local/assignments";
import { parseGroupingConfig } from "../../../core/grouping";
import { formatHeldBack, formatIncidents } from "../../../local/cli-output";

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

  it("says when an incident's pages are held, and by what, or that none went out", () => {
    const titles = (over: Partial<Incident>) => formatIncidents([{ incident: { ...incident, ...over }, alerts: [] }]);
    expect(titles({ paged: false, mutedReason: "maintenance", mutedBy: "nightly" })).toBe("  P2 orders: 3 alerts, also storefront [open, inc-1, pages held: in maintenance window nightly]");
    expect(titles({ paged: true, mutedReason: "inhibited", mutedBy: "inc-0" })).toMatch(/\[open, inc-1, pages held: inhibited by inc-0\]$/);
    expect(titles({ paged: false, status: "resolved" })).toMatch(/\[resolved, inc-1, never paged\]$/);
    expect(titles({ paged: true })).toMatch(/\[open, inc-1\]$/);
  });

  it("counts what it leaves out past the limit, and says so of records stored before links were kept", () => {
    const out = formatIncidents([{ incident, alerts: [record(1, {}), record(2, {}), record(3, {})] }], 2).split("\n");
    expect(out).toHaveLength(4);
    expect(out[1]).toMatch(/how it joined was not recorded$/);
    expect(out[3]).toBe("    … and 1 more");
  });
});

describe("formatHeldBack", () => {
  const config = parseGroupingConfig({});
  const flap = (minute: number) => record(minute, { fingerprint: "alarm:flappy", summary: "orders-Throttles-High OK → ALARM" });

  it("lists each held alarm once with its verdict, its bouts gathered, then what each verdict means", () => {
    const out = formatHeldBack(
      [
        { reason: "flapping", alerts: [flap(1), flap(2), flap(3)] },
        { reason: "transient", alerts: [record(5, { summary: "api-5xx OK → ALARM" }), record(7, { summary: "api-5xx ALARM → OK" })] },
        { reason: "flapping", alerts: [flap(20), flap(21)] },
      ],
      config,
    ).split("\n");
    expect(out[0]).toBe("  7 alert(s) in 3 group(s): 5 flapping, 2 transient");
    expect(out[1]).toMatch(/^ {4}14:01 {2}flapping +orders +orders-Throttles-High OK → ALARM {2}5 alerts in 2 bouts to 14:21$/);
    expect(out[2]).toMatch(/^ {4}14:05 {2}transient +orders +api-5xx OK → ALARM {2}2 alerts to 14:07$/);
    expect(out.slice(3)).toEqual(["  flapping: flapping (4 firings within 1h)", "  transient: cleared within the transient pause (5m)"]);
  });

  it("shows the largest groups in time order when asked for a summary, and says how many it left out", () => {
    const held = [
      { reason: "lone" as const, alerts: [record(1, { fingerprint: "a" })] },
      { reason: "pending" as const, alerts: [record(2, { fingerprint: "b" }), record(3, { fingerprint: "b" })] },
      { reason: "informational" as const, alerts: [record(4, { fingerprint: "c" }), record(4, { fingerprint: "d" }), record(4, { fingerprint: "e" })] },
    ];
    const out = formatHeldBack(held, config, { groups: 2, largest: true }).split("\n");
    expect(out.slice(1, 4).map((l) => l.slice(4, 9))).toEqual(["14:02", "14:04", "… and"]);
    expect(out[3]).toBe("    … and 1 more, smaller");
    expect(formatHeldBack([], config)).toBe("  none");
    const nextDay = { reason: "lone" as const, alerts: [record(9, { fingerprint: "f", eventTime: "2025-11-04T02:09:00.000Z" })] };
    expect(formatHeldBack([...held, nextDay], config).split("\n")[1]).toMatch(/^ {4}11-03 14:01 {2}lone /);
  });
});
