import { describe, expect, it } from "vitest";
import { alertFactory, finalGroups, MIN, runAlerts, T0 } from "./alert-factory";
import { type Alert, buildTopology, type Decision, parseGroupingConfig } from "../../../core/grouping";

describe("correlate: a slow burn fails its callers only once its service fails", () => {
  // search ← api: api calls search.
  const topology = buildTopology({ services: [{ name: "search", dependsOn: [] }, { name: "api", dependsOn: ["search"] }] });
  const ctx = { topology, config: parseGroupingConfig({}) };
  const alert = alertFactory({ service: "search", prefix: "burn-ev" });
  const run = (alerts: Alert[]): Decision[] => runAlerts(alerts, ctx).decisions;
  const leak = alert({ fingerprint: "alarm:search-mem", eventTime: T0, labels: { metricName: "MemoryUtilization", namespace: "AWS/ECS" } });

  it("keeps a caller's failure out of the group of a leak whose service has not failed", () => {
    const api5xx = alert({ fingerprint: "alarm:api-5xx", service: "api", eventTime: T0 + 2 * MIN });
    const apiLatency = alert({ fingerprint: "alarm:api-latency", service: "api", eventTime: T0 + 3 * MIN });
    const groups = finalGroups(run([leak, api5xx, apiLatency]));
    expect(groups.get(api5xx.eventId)).not.toBe(groups.get(leak.eventId));
    expect(groups.get(apiLatency.eventId)).toBe(groups.get(api5xx.eventId));
  });

  it("keeps its own service's errors out while that service has not failed (a memory alarm alone fails no request)", () => {
    const search5xx = alert({ fingerprint: "alarm:search-5xx", eventTime: T0 + 2 * MIN });
    const groups = finalGroups(run([leak, search5xx]));
    expect(groups.get(search5xx.eventId)).not.toBe(groups.get(leak.eventId));
  });

  it("draws the callers in once the leaking service's own errors fired in its group", () => {
    const restart = alert({ fingerprint: leak.fingerprint, status: "resolved", eventTime: T0 + 8 * MIN, labels: leak.labels });
    const search5xx = alert({ fingerprint: "alarm:search-5xx", eventTime: T0 + 9 * MIN });
    const api5xx = alert({ fingerprint: "alarm:api-5xx", service: "api", eventTime: T0 + 10 * MIN });
    const ds = run([leak, restart, search5xx, api5xx]);
    const groups = finalGroups(ds);
    expect(groups.get(search5xx.eventId)).toBe(groups.get(leak.eventId));
    expect(ds.some((d) => d.type === "alert.attached" && d.eventId === api5xx.eventId && d.link === "dependency")).toBe(true);
  });

  it("takes its service's blip right after an out-of-memory restart (the memory alarm clearing), ahead of another open incident on that service", () => {
    // Another failure of search is open meanwhile: by service alone, search's next errors would go there.
    // It begins after the leak's onset window, so it is no symptom of the leak's first cycle.
    const other = [alert({ fingerprint: "alarm:search-db-cpu", eventTime: T0 + 11 * MIN }), alert({ fingerprint: "alarm:search-latency", eventTime: T0 + 11 * MIN + 30_000 })];
    const restart = alert({ fingerprint: leak.fingerprint, status: "resolved", eventTime: T0 + 12 * MIN, labels: leak.labels });
    const blip = alert({ fingerprint: "alarm:search-5xx", eventTime: T0 + 13 * MIN });
    // Minutes after the restart, errors are judged by service again.
    const later = alert({ fingerprint: "alarm:search-unhealthy", eventTime: T0 + 17 * MIN });
    const ds = run([leak, ...other, restart, blip, later]);
    const groups = finalGroups(ds);
    expect(ds.some((d) => d.type === "incident.opened" && d.incidentId === groups.get(other[0]?.eventId ?? ""))).toBe(true);
    expect(groups.get(other[0]?.eventId ?? "")).not.toBe(groups.get(leak.eventId));
    expect(groups.get(blip.eventId)).toBe(groups.get(leak.eventId));
    expect(groups.get(later.eventId)).toBe(groups.get(other[0]?.eventId ?? ""));
  });

  it("takes the blip after a restart that ends a memory cycle longer than the correlation window", () => {
    const restart = alert({ fingerprint: leak.fingerprint, status: "resolved", eventTime: T0 + 18 * MIN, labels: leak.labels });
    const blip = alert({ fingerprint: "alarm:search-5xx", eventTime: T0 + 18 * MIN + 40_000 });
    const groups = finalGroups(run([leak, restart, blip]));
    expect(groups.get(blip.eventId)).toBe(groups.get(leak.eventId));
  });

  it("takes the blip after a restart of another instance of the leaking service", () => {
    const sibling = alert({ fingerprint: "alarm:search-mem-i-2", eventTime: T0 + 40 * MIN, labels: leak.labels });
    const restart = alert({ fingerprint: sibling.fingerprint, status: "resolved", eventTime: T0 + 50 * MIN, labels: leak.labels });
    const blip = alert({ fingerprint: "alarm:search-5xx", eventTime: T0 + 51 * MIN });
    const groups = finalGroups(run([leak, sibling, restart, blip]));
    expect(groups.get(sibling.eventId)).toBe(groups.get(leak.eventId));
    expect(groups.get(blip.eventId)).toBe(groups.get(leak.eventId));
  });

  it("still draws callers into a database's saturation (no slow burn: a busy database does slow its callers)", () => {
    const dbCpu = alert({ fingerprint: "alarm:search-db-cpu", eventTime: T0, labels: { metricName: "CPUUtilization", namespace: "AWS/RDS" } });
    const dbMemory = alert({ fingerprint: "alarm:search-db-mem", eventTime: T0 + 30_000, labels: { metricName: "FreeableMemory", namespace: "AWS/RDS" } });
    const api5xx = alert({ fingerprint: "alarm:api-5xx", service: "api", eventTime: T0 + 2 * MIN });
    const groups = finalGroups(run([dbCpu, dbMemory, api5xx]));
    expect(groups.get(api5xx.eventId)).toBe(groups.get(dbCpu.eventId));
  });
});

describe("correlate: a symptom that flickers while its service still fails", () => {
  // orders ← api: api calls orders.
  const topology = buildTopology({ services: [{ name: "orders", dependsOn: [] }, { name: "api", dependsOn: ["orders"] }] });
  const ctx = { topology, config: parseGroupingConfig({}) };
  const alert = alertFactory({ service: "orders", prefix: "flicker-ev" });
  const run = (alerts: Alert[]): Decision[] => runAlerts(alerts, ctx).decisions;
  const fire = (fingerprint: string, service: string, at: number) => alert({ fingerprint, service, eventTime: T0 + at * MIN });
  const clear = (fingerprint: string, service: string, at: number) => alert({ fingerprint, service, status: "resolved", eventTime: T0 + at * MIN });
  /** orders fails for ten minutes; api's 5xx flaps (a fourth firing at 25m, well after orders recovered). */
  const story = (latencyClearsAt?: number) => [
    fire("alarm:orders-5xx", "orders", 0),
    fire("alarm:orders-errors", "orders", 1),
    fire("alarm:api-latency", "api", 2),
    fire("alarm:api-5xx", "api", 3),
    clear("alarm:api-5xx", "api", 5),
    clear("alarm:orders-5xx", "orders", 10),
    clear("alarm:orders-errors", "orders", 10),
    fire("alarm:api-5xx", "api", 12),
    clear("alarm:api-5xx", "api", 14),
    fire("alarm:api-5xx", "api", 17),
    clear("alarm:api-5xx", "api", 19),
    ...(latencyClearsAt === undefined ? [] : [clear("alarm:api-latency", "api", latencyClearsAt)]),
    fire("alarm:api-5xx", "api", 25),
  ];

  it("rejoins its incident while another alarm of its service still fires there", () => {
    const alerts = story();
    const ds = run(alerts);
    const groups = finalGroups(ds);
    const last = alerts.at(-1) as Alert;
    expect(groups.get(last.eventId)).toBe(groups.get(alerts[0]?.eventId ?? ""));
    expect(ds.some((d) => d.type === "alert.attached" && d.eventId === last.eventId && d.link === "fingerprint")).toBe(true);
  });

  it("starts anew once its service has recovered in the incident", () => {
    const alerts = story(20);
    const groups = finalGroups(run(alerts));
    expect(groups.get((alerts.at(-1) as Alert).eventId)).not.toBe(groups.get(alerts[0]?.eventId ?? ""));
  });
});

describe("correlate: an open incident keeps taking alerts about its own resources", () => {
  const topology = buildTopology({ services: [{ name: "fulfillment", dependsOn: [] }] });
  const ctx = { topology, config: parseGroupingConfig({}) };
  const alert = alertFactory({ service: "fulfillment", prefix: "own-ev" });
  const run = (alerts: Alert[]): Decision[] => runAlerts(alerts, ctx).decisions;
  const instance = "arn:aws:ec2:us-east-1:111111111111:instance/i-1";
  const finding = (id: string, at: number) =>
    alert({ fingerprint: `finding:${id}`, severity: "error", source: "aws.guardduty", kind: "guardduty.finding", resources: [instance], eventTime: at });
  const stopped = (at: number) =>
    alert({ fingerprint: `ec2-state:${instance}`, severity: "info", source: "aws.ec2", kind: "ec2.instance-state-change", resources: [instance], eventTime: at });

  it("attaches the compromised instance's stop, long after the last finding, while the incident is open", () => {
    const attack = [finding("brute-force", T0), finding("crypto-dns", T0 + 5 * MIN)];
    const stop = stopped(T0 + 50 * MIN);
    const ds = run([...attack, stop]);
    expect(ds.some((d) => d.type === "alert.attached" && d.eventId === stop.eventId && d.link === "resource")).toBe(true);
  });

  it("takes the instance's credentials used from another region (GuardDuty reports them there) as its compromise", () => {
    const attack = [finding("brute-force", T0), finding("crypto-dns", T0 + 5 * MIN)];
    const elsewhere = "arn:aws:ec2:us-west-2:111111111111:instance/i-1";
    const exfiltration = alert({ fingerprint: "finding:exfiltration", severity: "error", source: "aws.guardduty", kind: "guardduty.finding", region: "us-west-2", resources: [elsewhere], eventTime: T0 + 45 * MIN });
    const otherAccount = alert({ ...exfiltration, fingerprint: "finding:other", eventId: "own-ev-other", resources: ["arn:aws:ec2:us-west-2:222222222222:instance/i-1"] });
    const groups = finalGroups(run([...attack, exfiltration, otherAccount]));
    expect(groups.get(exfiltration.eventId)).toBe(groups.get(attack[0]!.eventId));
    expect(groups.get(otherAccount.eventId)).not.toBe(groups.get(attack[0]!.eventId));
  });

  it("leaves those credentials out of an incident the instance's own failure caused (no finding there)", () => {
    const check = alert({ fingerprint: "alarm:status-i-1", resources: ["status-i-1", instance], az: "us-east-1a", labels: { metricName: "StatusCheckFailed", namespace: "AWS/EC2" }, eventTime: T0 });
    const failing = [check, alert({ fingerprint: "alarm:fulfillment-5xx", eventTime: T0 + MIN })];
    const exfiltration = alert({ fingerprint: "finding:exfiltration", severity: "error", source: "aws.guardduty", kind: "guardduty.finding", region: "us-west-2", resources: ["arn:aws:ec2:us-west-2:111111111111:instance/i-1"], eventTime: T0 + 3 * MIN });
    const groups = finalGroups(run([...failing, exfiltration]));
    expect(groups.get(exfiltration.eventId)).not.toBe(groups.get(check.eventId));
  });

  it("judges its resource failing anew after a long silence as a new failure (a database failing over again)", () => {
    const db = "arn:aws:rds:us-east-1:111111111111:db:orders";
    const failover = (at: number) => alert({ fingerprint: `rds:${db}:failover`, severity: "error", source: "aws.rds", kind: "rds.event", resources: [db], eventTime: at });
    // The incident stays open and anchored: the errors that founded it never clear.
    const errors = [alert({ fingerprint: "alarm:fulfillment-5xx", eventTime: T0 }), alert({ fingerprint: "alarm:fulfillment-latency", eventTime: T0 + MIN })];
    const first = failover(T0 + 2 * MIN);
    const cleared = alert({ fingerprint: first.fingerprint, status: "resolved", resources: [db], source: "aws.rds", kind: "rds.event", eventTime: T0 + 3 * MIN });
    const again = failover(T0 + 50 * MIN);
    const ds = run([...errors, first, cleared, again]);
    const groups = finalGroups(ds);
    expect(ds.some((d) => d.type === "incident.opened" && d.incidentId === groups.get(first.eventId))).toBe(true);
    expect(groups.get(again.eventId)).not.toBe(groups.get(first.eventId));
  });

  const cpu = (at: number, over: Partial<Alert> = {}) =>
    alert({ fingerprint: "alarm:cpu-i-1", resources: ["cpu-i-1", instance], labels: { metricName: "CPUUtilization", namespace: "AWS/EC2" }, eventTime: at, ...over });

  it("takes the compromised instance's own CPU alarm: the compromise showing on its host", () => {
    const attack = [finding("brute-force", T0), finding("crypto-dns", T0 + 5 * MIN)];
    const load = cpu(T0 + 12 * MIN);
    const ds = run([...attack, load]);
    expect(ds.find((d) => d.type === "alert.attached" && d.eventId === load.eventId)).toMatchObject({ link: "resource" });
  });

  it("takes that CPU alarm while only low-severity findings (port probes) hold the instance, so the miner's finding opens one incident with it", () => {
    const probes = [0, 15].map((m) => alert({ fingerprint: "finding:probe", severity: "info", source: "aws.guardduty", kind: "guardduty.finding", resources: [instance], eventTime: T0 + m * MIN }));
    const load = cpu(T0 + 20 * MIN);
    const miner = finding("crypto-dns", T0 + 26 * MIN);
    const groups = finalGroups(run([...probes, load, miner]));
    expect(groups.get(load.eventId)).toBe(groups.get(probes[0]?.eventId ?? ""));
    expect(groups.get(miner.eventId)).toBe(groups.get(load.eventId));
  });

  it("takes that CPU alarm while a lone medium-severity finding from 40 minutes before still holds the instance, pending and silent", () => {
    const probe = alert({ fingerprint: "finding:brute-force", severity: "warning", source: "aws.guardduty", kind: "guardduty.finding", resources: [instance], eventTime: T0 });
    const load = cpu(T0 + 40 * MIN);
    const miner = finding("backdoor", T0 + 43 * MIN);
    const groups = finalGroups(run([probe, load, miner]));
    expect(groups.get(load.eventId)).toBe(groups.get(probe.eventId));
    expect(groups.get(miner.eventId)).toBe(groups.get(probe.eventId));
  });

  it("takes that CPU alarm when the findings have been quiet for a correlation window (they are re-published every 15 minutes)", () => {
    const attack = [finding("brute-force", T0), finding("crypto-dns", T0 + 5 * MIN)];
    const load = cpu(T0 + 22 * MIN);
    const ds = run([...attack, load]);
    expect(ds.find((d) => d.type === "alert.attached" && d.eventId === load.eventId)).toMatchObject({ link: "resource" });
  });

  it("leaves an alarm on the instance that tells of more than its host (errors, latency) to be judged by its service", () => {
    const attack = [finding("brute-force", T0), finding("crypto-dns", T0 + 5 * MIN)];
    const errors = cpu(T0 + 12 * MIN, { fingerprint: "alarm:errors-i-1", resources: ["errors-i-1", instance], labels: { metricName: "5XXError", namespace: "AWS/ApplicationELB" } });
    const groups = finalGroups(run([...attack, errors]));
    expect(groups.get(errors.eventId)).not.toBe(groups.get(attack[0]?.eventId ?? ""));
  });

  it("attaches the instance's stop after the incident resolved as its aftermath, without reopening it", () => {
    const attack = [finding("brute-force", T0), finding("crypto-dns", T0 + 5 * MIN)];
    const stop = stopped(T0 + 3 * 60 * MIN);
    const { decisions, state } = runAlerts([...attack, stop], ctx);
    const incident = finalGroups(decisions).get(attack[0]?.eventId ?? "");
    expect(decisions.find((d) => d.type === "alert.attached" && d.eventId === stop.eventId)).toMatchObject({ incidentId: incident, link: "resource", muted: true });
    expect(state.groups[incident ?? ""]?.status).toBe("resolved");
  });

  it("takes the instance's stop into the incident its stuck CPU alarm keeps open, however long after the findings (its containment)", () => {
    const attack = [finding("brute-force", T0), finding("crypto-dns", T0 + 5 * MIN)];
    const load = cpu(T0 + 12 * MIN);
    const stop = stopped(T0 + 4 * 60 * MIN);
    const { decisions, state } = runAlerts([...attack, load, stop], ctx);
    const incident = finalGroups(decisions).get(attack[0]?.eventId ?? "");
    expect(state.groups[incident ?? ""]?.status).toBe("open");
    expect(finalGroups(decisions).get(stop.eventId)).toBe(incident);
  });

  it("leaves the instance's stop alone once the incident resolved more than fingerprintMemory ago", () => {
    const attack = [finding("brute-force", T0), finding("crypto-dns", T0 + 5 * MIN)];
    const stop = stopped(T0 + 6 * 60 * MIN);
    const groups = finalGroups(run([...attack, stop]));
    expect(groups.get(stop.eventId)).not.toBe(groups.get(attack[0]?.eventId ?? ""));
  });
});

describe("correlate: between equally strong links, a proven failure before an unproven one", () => {
  // api calls both db and cache.
  const topology = buildTopology({ services: [{ name: "db", dependsOn: [] }, { name: "cache", dependsOn: [] }, { name: "api", dependsOn: ["db", "cache"] }] });
  const ctx = { topology, config: parseGroupingConfig({}) };
  const alert = alertFactory({ service: "db", prefix: "rank-ev" });
  const dbErrors = alert({ fingerprint: "alarm:db-errors", eventTime: T0 });
  const dbLatency = alert({ fingerprint: "alarm:db-latency", eventTime: T0 + MIN });
  // One warning on cache, later than db's failure: a pending group whose cause changed last.
  const cacheEvictions = alert({ fingerprint: "alarm:cache-evictions", service: "cache", eventTime: T0 + 3 * MIN });
  const api5xx = alert({ fingerprint: "alarm:api-5xx", service: "api", eventTime: T0 + 4 * MIN });

  it("joins the open incident, not the pending group founded after it", () => {
    const ds = runAlerts([dbErrors, dbLatency, cacheEvictions, api5xx], ctx).decisions;
    const groups = finalGroups(ds);
    expect(ds.some((d) => d.type === "incident.opened" && d.incidentId === groups.get(dbErrors.eventId))).toBe(true);
    expect(groups.get(cacheEvictions.eventId)).not.toBe(groups.get(dbErrors.eventId));
    expect(groups.get(api5xx.eventId)).toBe(groups.get(dbErrors.eventId));
    expect(ds.some((d) => d.type === "alert.attached" && d.eventId === api5xx.eventId && d.link === "dependency")).toBe(true);
  });
});

describe("correlate: a failure reaches its callers' callers through the services it fails", () => {
  // orders ← api ← storefront, and cart ← storefront: storefront calls api and cart, api calls orders.
  const topology = buildTopology({
    services: [
      { name: "orders", dependsOn: [] },
      { name: "cart", dependsOn: [] },
      { name: "api", dependsOn: ["orders"] },
      { name: "storefront", dependsOn: ["api", "cart"] },
    ],
  });
  const ctx = { topology, config: parseGroupingConfig({}) };
  const alert = alertFactory({ service: "orders", prefix: "chain-ev" });
  const at = (fingerprint: string, service: string, minutes: number) => alert({ fingerprint, service, eventTime: T0 + minutes * MIN });
  const failover = [at("alarm:orders-5xx", "orders", 0), at("alarm:orders-latency", "orders", 1), at("alarm:api-5xx", "api", 3)];

  it("joins the incident where a service it calls fails as a symptom, and remembers that service", () => {
    const storefront = at("alarm:storefront-5xx", "storefront", 5);
    const { decisions, state } = runAlerts([...failover, storefront], ctx);
    const groups = finalGroups(decisions);
    expect(groups.get(storefront.eventId)).toBe(groups.get(failover[0]!.eventId));
    expect(decisions.find((d) => d.type === "alert.attached" && d.eventId === storefront.eventId)).toMatchObject({ link: "dependency" });
    expect(state.fingerprints["alarm:storefront-5xx"]?.via).toBe("api@us-east-1");
  });

  it("does not reach through a symptom whose failure is older than the cascade window", () => {
    // orders' failure goes on (its 5xx clears and fires again), while api's alarm last fired 16 minutes before storefront's.
    const again = [alert({ fingerprint: "alarm:orders-5xx", status: "resolved", eventTime: T0 + 10 * MIN }), at("alarm:orders-5xx", "orders", 17)];
    const storefront = at("alarm:storefront-5xx", "storefront", 19);
    const groups = finalGroups(runAlerts([...failover, ...again, storefront], ctx).decisions);
    expect(groups.get(storefront.eventId)).not.toBe(groups.get(failover[0]!.eventId));
  });

  it("ranks a chain below a direct dependency on a failing cause", () => {
    const cart = [at("alarm:cart-5xx", "cart", 2), at("alarm:cart-latency", "cart", 2.5)];
    const storefront = at("alarm:storefront-5xx", "storefront", 5);
    const groups = finalGroups(runAlerts([...failover, ...cart, storefront].sort((a, b) => a.eventTime - b.eventTime), ctx).decisions);
    expect(groups.get(storefront.eventId)).toBe(groups.get(cart[0]!.eventId));
    expect(groups.get(cart[0]!.eventId)).not.toBe(groups.get(failover[0]!.eventId));
  });
});

describe("correlate: a caller between two failing dependencies", () => {
  // catalog ← api → orders: api calls both.
  const topology = buildTopology({ services: [{ name: "catalog", dependsOn: [] }, { name: "orders", dependsOn: [] }, { name: "api", dependsOn: ["catalog", "orders"] }] });
  const ctx = { topology, config: parseGroupingConfig({}) };
  const alert = alertFactory({ service: "orders", prefix: "between-ev" });
  const at = (fingerprint: string, service: string, minutes: number, status: "firing" | "resolved" = "firing") =>
    alert({ fingerprint, service, status, eventTime: T0 + minutes * MIN });

  it("joins the incident of the dependency still failing, not the one whose alarms changed last but cleared", () => {
    const orders = [at("alarm:orders-5xx", "orders", 0), at("alarm:orders-errors", "orders", 1)];
    const catalog = [at("alarm:catalog-5xx", "catalog", 3), at("alarm:catalog-errors", "catalog", 4), at("alarm:catalog-5xx", "catalog", 6, "resolved"), at("alarm:catalog-errors", "catalog", 6, "resolved")];
    const api = at("alarm:api-5xx", "api", 7);
    const groups = finalGroups(runAlerts([...orders, ...catalog, api], ctx).decisions);
    expect(groups.get(catalog[0]?.eventId ?? "")).not.toBe(groups.get(orders[0]?.eventId ?? ""));
    expect(groups.get(api.eventId)).toBe(groups.get(orders[0]?.eventId ?? ""));
  });

  it("tells a diagnostics hook of both dependencies' groups it weighed, before it picked one", () => {
    const orders = [at("alarm:orders-5xx", "orders", 0), at("alarm:orders-errors", "orders", 1)];
    const catalog = [at("alarm:catalog-5xx", "catalog", 3), at("alarm:catalog-errors", "catalog", 4)];
    const api = at("alarm:api-5xx", "api", 5);
    const weighed: string[] = [];
    const onLinkCandidate = (a: Alert, groupId: string, kind: string) => void (a.eventId === api.eventId && weighed.push(`${groupId} ${kind}`));
    const groups = finalGroups(runAlerts([...orders, ...catalog, api], { ...ctx, onLinkCandidate }).decisions);
    const [ordersGroup, catalogGroup] = [groups.get(orders[0]!.eventId), groups.get(catalog[0]!.eventId)];
    expect(weighed.sort()).toEqual([`${catalogGroup} dependency`, `${ordersGroup} dependency`].sort());
  });
});

describe("correlate: a service's alarm after its own incident's alarms cleared", () => {
  // api → payments: api calls payments.
  const topology = buildTopology({ services: [{ name: "payments", dependsOn: [] }, { name: "api", dependsOn: ["payments"] }] });
  const ctx = { topology, config: parseGroupingConfig({}) };
  const alert = alertFactory({ service: "api", prefix: "bygone-ev" });
  const at = (fingerprint: string, service: string, minutes: number, status: "firing" | "resolved" = "firing") =>
    alert({ fingerprint, service, status, eventTime: T0 + minutes * MIN });
  // An api host fails and is replaced (its alarms clear at minute 6); payments begins failing at minute 5.
  const host = [at("alarm:api-status-check", "api", 0), at("alarm:api-unhealthy-hosts", "api", 1), at("alarm:api-status-check", "api", 4, "resolved")];
  const payments = [at("alarm:payments-5xx", "payments", 5), at("alarm:payments-errors", "payments", 5.5)];

  it("joins the dependency failing now, not its own service's incident where nothing of the service fails any more", () => {
    const cleared = at("alarm:api-unhealthy-hosts", "api", 6, "resolved");
    const api5xx = at("alarm:api-5xx", "api", 8);
    const groups = finalGroups(runAlerts([...host, ...payments, cleared, api5xx], ctx).decisions);
    expect(groups.get(payments[0]!.eventId)).not.toBe(groups.get(host[0]!.eventId));
    expect(groups.get(api5xx.eventId)).toBe(groups.get(payments[0]!.eventId));
  });

  it("joins a dependency that began failing onsetGap (5m) after its own service's incident did, not that incident", () => {
    // api's own failure from minute 20 (its 5xx firing again at 30 keeps the incident live); payments fails at 34.
    const own = [at("alarm:api-5xx", "api", 20), at("alarm:api-latency", "api", 21), at("alarm:api-5xx", "api", 28, "resolved"), at("alarm:api-5xx", "api", 30)];
    const later = (minute: number) => [at("alarm:payments-5xx", "payments", minute), at("alarm:payments-errors", "payments", minute + 0.5)];
    const rejected = at("alarm:api-rejected", "api", 36);
    const groupsOf = (alerts: Alert[]) => finalGroups(runAlerts(alerts.sort((a, b) => a.eventTime - b.eventTime), ctx).decisions);
    const late = later(34);
    const groups = groupsOf([...own, ...late, rejected]);
    expect(groups.get(late[0]!.eventId)).not.toBe(groups.get(own[0]!.eventId));
    expect(groups.get(rejected.eventId)).toBe(groups.get(late[0]!.eventId));
    // Begun 4.5 minutes after api's failure, payments' failure is no likelier cause than api's own.
    const close = later(24.5);
    const near = groupsOf([...own, ...close, rejected]);
    expect(near.get(close[0]!.eventId)).not.toBe(near.get(own[0]!.eventId));
    expect(near.get(rejected.eventId)).toBe(near.get(own[0]!.eventId));
  });

  it("joins its own service's incident while an alarm of the service still fails there", () => {
    const api5xx = at("alarm:api-5xx", "api", 8);
    const groups = finalGroups(runAlerts([...host, ...payments, api5xx], ctx).decisions);
    expect(groups.get(api5xx.eventId)).toBe(groups.get(host[0]!.eventId));
  });
});

describe("correlate: a caller's alarm after its dependency recovered", () => {
  const topology = buildTopology({ services: [{ name: "orders", dependsOn: [] }, { name: "api", dependsOn: ["orders"] }] });
  const ctx = { topology, config: parseGroupingConfig({}) };
  const alert = alertFactory({ service: "orders", prefix: "lag-ev" });
  const at = (fingerprint: string, service: string, minutes: number, status: "firing" | "resolved" = "firing") =>
    alert({ fingerprint, service, status, eventTime: T0 + minutes * MIN });
  const orders = [at("alarm:orders-5xx", "orders", 0), at("alarm:orders-errors", "orders", 1), at("alarm:orders-5xx", "orders", 5, "resolved"), at("alarm:orders-errors", "orders", 5, "resolved")];

  it("is its symptom within symptomLag (3m) of the recovery, and not later", () => {
    const lagging = at("alarm:api-5xx", "api", 7);
    const late = at("alarm:api-latency", "api", 9);
    const groups = finalGroups(runAlerts([...orders, lagging, late], ctx).decisions);
    expect(groups.get(lagging.eventId)).toBe(groups.get(orders[0]?.eventId ?? ""));
    expect(groups.get(late.eventId)).not.toBe(groups.get(orders[0]?.eventId ?? ""));
  });
});

describe("correlate: a caller's alarm long into its dependency's failure", () => {
  const topology = buildTopology({ services: [{ name: "orders", dependsOn: [] }, { name: "api", dependsOn: ["orders"] }] });
  const ctx = { topology, config: parseGroupingConfig({}) };
  const alert = alertFactory({ service: "orders", prefix: "onset-ev" });
  const at = (fingerprint: string, service: string, minutes: number, status: "firing" | "resolved" = "firing") =>
    alert({ fingerprint, service, status, eventTime: T0 + minutes * MIN });
  // orders' errors fire from minute 1 and never clear; its 5xx clears and fires again at 17, so the incident is live at 20.
  const orders = [at("alarm:orders-5xx", "orders", 0), at("alarm:orders-errors", "orders", 1), at("alarm:orders-5xx", "orders", 12, "resolved"), at("alarm:orders-5xx", "orders", 17)];

  it("is a symptom within symptomOnset (15m) of the dependency beginning to fail, and not later", () => {
    const early = at("alarm:api-5xx", "api", 4);
    const late = at("alarm:api-latency", "api", 20);
    const groups = finalGroups(runAlerts([...orders.slice(0, 2), early, ...orders.slice(2), late], ctx).decisions);
    expect(groups.get(early.eventId)).toBe(groups.get(orders[0]!.eventId));
    expect(groups.get(orders[3]!.eventId)).toBe(groups.get(orders[0]!.eventId));
    expect(groups.get(late.eventId)).not.toBe(groups.get(orders[0]!.eventId));
  });

  it("holds for a caller of a failing symptom too (a chain)", () => {
    const chain = buildTopology({ services: [{ name: "db", dependsOn: [] }, { name: "orders", dependsOn: ["db"] }, { name: "api", dependsOn: ["orders"] }] });
    const chainCtx = { topology: chain, config: parseGroupingConfig({}) };
    // orders fails under db from minute 1 (its errors never clear); its 5xx and db's errors clear and fire again, so at 20 the
    // incident is live and orders failed within the cascade window.
    const db = [at("alarm:db-errors", "db", 0), at("alarm:db-latency", "db", 0.5), at("alarm:orders-errors", "orders", 1), at("alarm:orders-5xx", "orders", 2)];
    const again = [at("alarm:db-errors", "db", 12, "resolved"), at("alarm:orders-5xx", "orders", 12, "resolved"), at("alarm:db-errors", "db", 16), at("alarm:orders-5xx", "orders", 16)];
    const early = at("alarm:api-5xx", "api", 4);
    const late = at("alarm:api-latency", "api", 20);
    const groups = finalGroups(runAlerts([...db, early, ...again, late], chainCtx).decisions);
    expect(groups.get(early.eventId)).toBe(groups.get(db[0]!.eventId));
    expect(groups.get(late.eventId)).not.toBe(groups.get(db[0]!.eventId));
  });
});

describe("correlate: a caller two hops up whose service between stays below its thresholds", () => {
  // storefront → api → catalog: api never alarms.
  const topology = buildTopology({ services: [{ name: "catalog", dependsOn: [] }, { name: "api", dependsOn: ["catalog"] }, { name: "storefront", dependsOn: ["api"] }] });
  const ctx = { topology, config: parseGroupingConfig({}) };
  const alert = alertFactory({ service: "catalog", prefix: "far-ev" });
  const at = (fingerprint: string, service: string, minutes: number) => alert({ fingerprint, service, eventTime: T0 + minutes * MIN });
  const catalog = [at("alarm:catalog-5xx", "catalog", 0), at("alarm:catalog-errors", "catalog", 1)];

  it("joins the open incident of its dependency's dependency", () => {
    const storefront = at("alarm:storefront-5xx", "storefront", 4);
    const groups = finalGroups(runAlerts([...catalog, storefront], ctx).decisions);
    expect(groups.get(storefront.eventId)).toBe(groups.get(catalog[0]!.eventId));
  });

  it("not once that dependency has failed for longer than symptomOnset", () => {
    const again = [at("alarm:catalog-5xx", "catalog", 10), at("alarm:catalog-latency", "catalog", 12)];
    const resolved = alert({ fingerprint: "alarm:catalog-5xx", service: "catalog", status: "resolved", eventTime: T0 + 8 * MIN });
    const storefront = at("alarm:storefront-5xx", "storefront", 18);
    const groups = finalGroups(runAlerts([...catalog, resolved, ...again, storefront], ctx).decisions);
    expect(groups.get(again[1]!.eventId)).toBe(groups.get(catalog[0]!.eventId));
    expect(groups.get(storefront.eventId)).not.toBe(groups.get(catalog[0]!.eventId));
  });
});

describe("correlate: a caller between two failing dependencies", () => {
  // admin calls orders and catalog; catalog calls pricing.
  const topology = buildTopology({
    services: [
      { name: "orders", dependsOn: [] },
      { name: "pricing", dependsOn: [] },
      { name: "catalog", dependsOn: ["pricing"] },
      { name: "admin", dependsOn: ["orders", "catalog"] },
    ],
  });
  const ctx = { topology, config: parseGroupingConfig({}) };
  const alert = alertFactory({ service: "orders", prefix: "gap-ev" });
  const at = (fingerprint: string, service: string, minutes: number) => alert({ fingerprint, service, eventTime: T0 + minutes * MIN });
  // orders fails from `ordersAt`; pricing's release fails it at 9 and its caller catalog at 10; admin's 5xx fires at 11.
  const story = (ordersAt: number) => {
    const alerts = [
      at("alarm:orders-5xx", "orders", ordersAt),
      at("alarm:orders-errors", "orders", ordersAt + 0.5),
      at("alarm:pricing-errors", "pricing", 9),
      at("alarm:pricing-5xx", "pricing", 9.5),
      at("alarm:catalog-errors", "catalog", 10),
      at("alarm:admin-5xx", "admin", 11),
    ].sort((a, b) => a.eventTime - b.eventTime);
    const groups = finalGroups(runAlerts(alerts, ctx).decisions);
    const of = (fp: string) => groups.get(alerts.find((a) => a.fingerprint === fp)!.eventId);
    return { admin: of("alarm:admin-5xx"), orders: of("alarm:orders-5xx"), pricing: of("alarm:pricing-errors") };
  };

  it("joins the failure that just began (through catalog) over a dependency failing for minutes without it", () => {
    const { admin, orders, pricing } = story(0);
    expect(admin).toBe(pricing);
    expect(admin).not.toBe(orders);
  });

  it("joins its direct dependency when both began within onsetGap (5m) of each other", () => {
    const { admin, orders } = story(6);
    expect(admin).toBe(orders);
  });
});
