import { describe, expect, it } from "vitest";
import { alertFactory, finalGroups, MIN, runAlerts, T0 } from "./alert-factory";
import { type Alert, buildTopology, createGroupingState, type Decision, ingestScopeBatch, parseGroupingConfig } from "../../../core/grouping";

describe("correlate: a release reaching a second region within its cascade window", () => {
  // api ← storefront (storefront calls api); both run in two regions.
  const topology = buildTopology({ services: [{ name: "api", dependsOn: [] }, { name: "storefront", dependsOn: ["api"] }] });
  const ctx = { topology, config: parseGroupingConfig({}) };
  const alert = alertFactory({ service: "api", prefix: "spread-ev" });
  const fire = (fingerprint: string, service: string, at: number, region = "us-east-1") => alert({ fingerprint, service, region, eventTime: T0 + at * MIN });

  it("restarts the window there, so the second region's callers failing 7 minutes later join it", () => {
    const east = [fire("alarm:api-5xx", "api", 0), fire("alarm:api-errors", "api", 0.5), fire("alarm:storefront-5xx", "storefront", 3)];
    const west = [fire("alarm:api-5xx-west", "api", 10, "us-west-2"), fire("alarm:api-errors-west", "api", 11, "us-west-2")];
    const caller = fire("alarm:storefront-5xx-west", "storefront", 17, "us-west-2");
    const groups = finalGroups(runAlerts([...east, ...west, caller], ctx).decisions);
    expect(groups.get(west[0]!.eventId)).toBe(groups.get(east[0]!.eventId));
    expect(groups.get(caller.eventId)).toBe(groups.get(east[0]!.eventId));
  });
});

describe("correlate: the same service failing on its own in a second region is a rollout", () => {
  // orders ← api ← storefront (api calls orders, storefront calls api); api and storefront run in two regions.
  const topology = buildTopology({
    services: [
      { name: "orders", dependsOn: [] },
      { name: "api", dependsOn: ["orders"] },
      { name: "storefront", dependsOn: ["api"] },
    ],
  });
  const ctx = { topology, config: parseGroupingConfig({}) };
  const alert = alertFactory({ service: "orders", prefix: "rollout-ev" });
  const fire = (fingerprint: string, service: string, at: number, region = "us-east-1", over: Partial<Alert> = {}) =>
    alert({ fingerprint, service, region, eventTime: T0 + at * MIN, ...over });
  const clear = (fingerprint: string, service: string, at: number, region = "us-east-1") => alert({ fingerprint, service, region, status: "resolved", eventTime: T0 + at * MIN });

  /** orders fails (a failover); api's release breaks it in us-east-1 3 minutes later, its caller storefront follows, and the release reaches us-west-2 at `westAt`. */
  const story = (westAt: number, options: { apiClearsAt?: number; westZone?: string } = {}) => {
    const east = [
      fire("alarm:orders-5xx", "orders", 0),
      fire("alarm:orders-latency", "orders", 1),
      fire("alarm:api-5xx", "api", 3),
      fire("alarm:api-unhealthy", "api", 4),
      fire("alarm:storefront-5xx", "storefront", 6),
      fire("alarm:storefront-latency", "storefront", 7),
      clear("alarm:orders-5xx", "orders", 9),
      clear("alarm:orders-latency", "orders", 9),
    ];
    const apiClears = options.apiClearsAt === undefined ? [] : [clear("alarm:api-5xx", "api", options.apiClearsAt), clear("alarm:api-unhealthy", "api", options.apiClearsAt)];
    const zone = options.westZone === undefined ? {} : { az: options.westZone };
    const west = [fire("alarm:api-5xx-west", "api", westAt, "us-west-2", zone), fire("alarm:api-latency-west", "api", westAt + 1, "us-west-2", zone)];
    return [...east, ...apiClears, ...west].sort((a, b) => a.eventTime - b.eventTime);
  };
  const run = (alerts: Alert[]): { ds: Decision[]; groups: Map<string, string> } => {
    const { decisions } = runAlerts(alerts, ctx);
    return { ds: decisions, groups: finalGroups(decisions, alerts) };
  };
  const idOf = (alerts: Alert[], fingerprint: string) => (alerts.find((a) => a.fingerprint === fingerprint) as Alert).eventId;

  it("moves the service's alarms, and its callers' that joined through it, out of the incident it was taken as a symptom of", () => {
    const alerts = story(18);
    const { ds, groups } = run(alerts);
    const west = groups.get(idOf(alerts, "alarm:api-5xx-west"));
    const failover = groups.get(idOf(alerts, "alarm:orders-5xx"));
    expect(west).not.toBe(failover);
    for (const fp of ["alarm:api-5xx", "alarm:api-unhealthy", "alarm:storefront-5xx", "alarm:storefront-latency"]) expect(groups.get(idOf(alerts, fp)), fp).toBe(west);
    expect(groups.get(idOf(alerts, "alarm:orders-latency"))).toBe(failover);
    const move = ds.find((d) => d.type === "alerts.moved");
    expect(move).toMatchObject({ type: "alerts.moved", from: failover, incidentId: west, fingerprints: ["alarm:api-5xx", "alarm:api-unhealthy", "alarm:storefront-5xx", "alarm:storefront-latency"] });
    // The rollout now began when api first failed in us-east-1.
    expect(runAlerts(alerts, ctx).state.groups[west as string]?.firstAt).toBe(T0 + 3 * MIN);
  });

  it("claims them too when the second region's incident opens on a caller's alarm, not on the service's own", () => {
    const east = story(18).filter((a) => a.region === "us-east-1");
    const west = [fire("alarm:api-5xx-west", "api", 18, "us-west-2"), fire("alarm:storefront-5xx-west", "storefront", 19, "us-west-2")];
    const alerts = [...east, ...west].sort((a, b) => a.eventTime - b.eventTime);
    const { ds, groups } = run(alerts);
    const rollout = groups.get(idOf(alerts, "alarm:api-5xx-west"));
    expect(ds.some((d) => d.type === "incident.opened" && d.incidentId === rollout)).toBe(true);
    for (const fp of ["alarm:api-5xx", "alarm:api-unhealthy", "alarm:storefront-5xx-west"]) expect(groups.get(idOf(alerts, fp)), fp).toBe(rollout);
    expect(groups.get(idOf(alerts, "alarm:orders-latency"))).not.toBe(rollout);
  });

  it("moves a caller's composite alarm with the child that joined through the service", () => {
    const health = fire("alarm:storefront-health", "storefront", 6.5, "us-east-1", { labels: { triggeringAlarms: "storefront-5xx" } });
    const alerts = [...story(18), health].sort((a, b) => a.eventTime - b.eventTime);
    const { groups } = run(alerts);
    expect(groups.get(health.eventId)).toBe(groups.get(idOf(alerts, "alarm:api-5xx-west")));
  });

  it("gathers the group its callers opened once the first incident's cascade was over", () => {
    // orders fails; api's release breaks it 13 minutes later; storefront fails past the failover's cascade window, so it opens its own.
    const alerts = [
      fire("alarm:orders-5xx", "orders", 0),
      fire("alarm:orders-latency", "orders", 1),
      fire("alarm:api-5xx", "api", 13),
      fire("alarm:storefront-5xx", "storefront", 17),
      fire("alarm:storefront-latency", "storefront", 17.5),
      fire("alarm:api-5xx-west", "api", 28, "us-west-2"),
      fire("alarm:api-latency-west", "api", 29, "us-west-2"),
    ];
    const { ds, groups } = run(alerts);
    const west = groups.get(idOf(alerts, "alarm:api-5xx-west"));
    expect(ds.find((d) => d.type === "alerts.moved")).toMatchObject({ fingerprints: ["alarm:api-5xx"] });
    expect(ds.some((d) => d.type === "incident.merged" && d.incidentId === west)).toBe(true);
    for (const fp of ["alarm:api-5xx", "alarm:storefront-5xx", "alarm:storefront-latency"]) expect(groups.get(idOf(alerts, fp)), fp).toBe(west);
  });

  it("leaves the alarms of the service that already cleared: they recovered with the incident they sit in", () => {
    const alerts = [...story(18), fire("alarm:api-latency", "api", 2), clear("alarm:api-latency", "api", 8)].sort((a, b) => a.eventTime - b.eventTime);
    const { ds, groups } = run(alerts);
    const failover = groups.get(idOf(alerts, "alarm:orders-5xx"));
    expect(groups.get(idOf(alerts, "alarm:api-latency"))).toBe(failover);
    expect(groups.get(idOf(alerts, "alarm:api-5xx"))).toBe(groups.get(idOf(alerts, "alarm:api-5xx-west")));
    expect(ds.find((d) => d.type === "alerts.moved")).toMatchObject({ fingerprints: ["alarm:api-5xx", "alarm:api-unhealthy", "alarm:storefront-5xx", "alarm:storefront-latency"] });
  });

  it("moves the alarms' event counts with them", () => {
    const alerts = story(18);
    const { state } = runAlerts(alerts, ctx);
    const counts = Object.values(state.groups).map((g) => g.eventCount).sort((a, b) => a - b);
    // failover: orders' two firings and two clears; rollout: api's four alarms and storefront's two.
    expect(counts).toEqual([4, 6]);
  });

  it("records the move for the stored pages and rewrites both incidents' items", () => {
    const step = ingestScopeBatch(createGroupingState(), story(18), ctx);
    const move = step.decisions.find((d) => d.type === "alerts.moved");
    if (move?.type !== "alerts.moved") throw new Error("no move");
    expect(step.records.moves).toEqual([[move.from, move.incidentId, move.fingerprints]]);
    const counts = new Map(step.outbox.incidents.map((i) => [i.incidentId, i.alertCount]));
    expect(counts.get(move.from)).toBe(4);
    expect(counts.get(move.incidentId)).toBe(6);
  });

  it("leaves the service's alarms that cleared in the first region; its callers' that joined through it and still fire move", () => {
    const alerts = story(18, { apiClearsAt: 12 });
    const { ds, groups } = run(alerts);
    expect(ds.find((d) => d.type === "alerts.moved")).toMatchObject({ fingerprints: ["alarm:storefront-5xx", "alarm:storefront-latency"] });
    expect(groups.get(idOf(alerts, "alarm:api-5xx"))).toBe(groups.get(idOf(alerts, "alarm:orders-5xx")));
    expect(groups.get(idOf(alerts, "alarm:storefront-5xx"))).toBe(groups.get(idOf(alerts, "alarm:api-5xx-west")));
  });

  it("leaves them where they are when the first region's failure began more than rolloutWindow earlier", () => {
    const alerts = story(40);
    const { ds, groups } = run(alerts);
    expect(ds.some((d) => d.type === "alerts.moved")).toBe(false);
    expect(groups.get(idOf(alerts, "alarm:api-5xx"))).toBe(groups.get(idOf(alerts, "alarm:orders-5xx")));
  });

  it("leaves them where they are when the incident's own cause fails in the second region too (it reaches there)", () => {
    // orders fails in us-west-2 as well, and a lone api alarm there founded a group that api's failure opens.
    const alerts = [
      ...story(18),
      fire("alarm:orders-5xx-west", "orders", 12, "us-west-2"),
      fire("alarm:api-status-west", "api", 14, "us-west-2"),
    ].sort((a, b) => a.eventTime - b.eventTime);
    const { ds, groups } = run(alerts);
    expect(groups.get(idOf(alerts, "alarm:orders-5xx-west"))).toBe(groups.get(idOf(alerts, "alarm:orders-5xx")));
    // orders failing in us-west-2 restarted its incident's window there, so api's alarm 6 minutes later is its symptom too.
    expect(groups.get(idOf(alerts, "alarm:api-5xx-west"))).toBe(groups.get(idOf(alerts, "alarm:orders-5xx")));
    expect(ds.some((d) => d.type === "alerts.moved")).toBe(false);
    expect(groups.get(idOf(alerts, "alarm:api-5xx"))).toBe(groups.get(idOf(alerts, "alarm:orders-5xx")));
  });

  it("takes no failure of one zone's hosts as a rollout", () => {
    const alerts = story(18, { westZone: "us-west-2/us-west-2a" });
    const { ds } = run(alerts);
    expect(ds.some((d) => d.type === "alerts.moved")).toBe(false);
  });

  it("claims nothing for an incident tied to a zone (its hosts failing there) or caused by a slow burn (a leak restarting)", () => {
    const statusCheck = fire("alarm:api-status-west", "api", 17.5, "us-west-2", { az: "us-west-2a", labels: { metricName: "StatusCheckFailed", namespace: "AWS/EC2" } });
    const hosts = [...story(18), statusCheck].sort((a, b) => a.eventTime - b.eventTime);
    expect(run(hosts).ds.some((d) => d.type === "alerts.moved")).toBe(false);
    // One of api's memory alarms in us-west-2 clears (an out-of-memory restart) a minute before its errors there.
    const memory = { labels: { metricName: "mem_used_percent", namespace: "CWAgent" } };
    const restart = [fire("alarm:api-mem-west", "api", 10, "us-west-2", memory), fire("alarm:api-mem-west-2", "api", 11, "us-west-2", memory), fire("alarm:api-mem-west", "api", 17, "us-west-2", { ...memory, status: "resolved" })];
    const leak = [...story(18), ...restart].sort((a, b) => a.eventTime - b.eventTime);
    const { ds, groups } = run(leak);
    expect(groups.get(idOf(leak, "alarm:api-5xx-west"))).toBe(groups.get(idOf(leak, "alarm:api-mem-west")));
    expect(ds.some((d) => d.type === "alerts.moved")).toBe(false);
  });
});

describe("correlate: a data store's alarm in another region is no rollout", () => {
  const topology = buildTopology({ services: [{ name: "cart", dependsOn: [] }] });
  const ctx = { topology, config: parseGroupingConfig({}) };
  const alert = alertFactory({ service: "cart", prefix: "store-ev" });
  // cart's release fails it in us-east-1; 6 minutes later an alarm of cart in us-west-2 fires.
  const story = (west: Partial<Alert>) => {
    const alerts = [
      alert({ fingerprint: "alarm:cart-5xx", eventTime: T0, labels: { namespace: "AWS/ApplicationELB" } }),
      alert({ fingerprint: "alarm:cart-errors", eventTime: T0 + MIN, labels: { namespace: "Shop/Cart" } }),
      alert({ fingerprint: "alarm:cart-west", region: "us-west-2", eventTime: T0 + 6 * MIN, ...west }),
    ];
    return finalGroups(runAlerts(alerts, ctx).decisions, alerts);
  };

  it("keeps a cache's evictions there out of the release's incident", () => {
    const groups = story({ labels: { namespace: "AWS/ElastiCache", metricName: "Evictions" } });
    expect(groups.get("store-ev-3")).not.toBe(groups.get("store-ev-1"));
  });

  it("still takes the service's own errors there as the release rolling out", () => {
    const groups = story({ labels: { namespace: "AWS/ApplicationELB", metricName: "HTTPCode_Target_5XX_Count" } });
    expect(groups.get("store-ev-3")).toBe(groups.get("store-ev-1"));
  });
});

describe("correlate: a service failing in a second region while a symptom in the first", () => {
  // orders ← api → catalog: api calls both; orders fails in us-east-1 only.
  const topology = buildTopology({
    services: [
      { name: "orders", dependsOn: [] },
      { name: "catalog", dependsOn: [] },
      { name: "api", dependsOn: ["orders", "catalog"] },
    ],
  });
  const ctx = { topology, config: parseGroupingConfig({}) };
  const alert = alertFactory({ service: "orders", prefix: "second-region-ev" });
  const fire = (fingerprint: string, service: string, at: number, region = "us-east-1") => alert({ fingerprint, service, region, eventTime: T0 + at * MIN });
  const east = [fire("alarm:orders-5xx", "orders", 0), fire("alarm:orders-latency", "orders", 1), fire("alarm:api-5xx", "api", 3)];

  it("founds its own group there rather than joining a lone dependency's pending group, and claims its first region's alarms", () => {
    const catalog = fire("alarm:catalog-5xx-west", "catalog", 10, "us-west-2");
    const west = [fire("alarm:api-5xx-west", "api", 12, "us-west-2"), fire("alarm:api-latency-west", "api", 13, "us-west-2")];
    const alerts = [...east, catalog, ...west];
    const groups = finalGroups(runAlerts(alerts, ctx).decisions, alerts);
    const rollout = groups.get(west[0]!.eventId);
    expect(rollout).not.toBe(groups.get(catalog.eventId));
    expect(groups.get(west[1]!.eventId)).toBe(rollout);
    expect(groups.get(east[2]!.eventId)).toBe(rollout);
    expect(groups.get(east[0]!.eventId)).not.toBe(rollout);
  });

  it("still joins that group when its cause fails in the first region too (the dependency is what rolls out)", () => {
    const catalogEast = fire("alarm:catalog-5xx", "catalog", 2);
    const catalog = fire("alarm:catalog-5xx-west", "catalog", 10, "us-west-2");
    const west = fire("alarm:api-5xx-west", "api", 12, "us-west-2");
    const alerts = [...east, catalogEast, catalog, west].sort((a, b) => a.eventTime - b.eventTime);
    const groups = finalGroups(runAlerts(alerts, ctx).decisions, alerts);
    expect(groups.get(west.eventId)).toBe(groups.get(catalog.eventId));
  });
});
