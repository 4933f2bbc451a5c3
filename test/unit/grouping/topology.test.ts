import { describe, expect, it } from "vitest";
import {
  buildTopology,
  indexTopology,
  InvalidTopologyError,
  nameWords,
  serviceFromName,
  serviceFromTags,
  TopologySchema,
} from "../../../core/grouping";
import { MISSING_SCENARIOS, scenarioNames, scenariosPresent, scenarioTopology } from "./shared-data";

const TOPOLOGY = {
  accounts: [{ id: "111111111111", alias: "acme-prod" }, { id: "222222222222" }],
  regions: [
    { name: "us-east-1", availabilityZones: [{ name: "us-east-1a", zoneId: "use1-az4" }, { name: "us-east-1b", zoneId: "use1-az6" }] },
  ],
  services: [
    { name: "web", team: "frontend", dependsOn: ["api"], account: "111111111111" },
    { name: "api", team: "core", account: "111111111111" },
    { name: "orders", account: "111111111111" },
    { name: "shipping-rates", account: "111111111111" },
    { name: "billing", account: "222222222222" },
  ],
  edges: [
    { from: "api", to: "orders", kind: "calls" },
    { from: "orders", to: "arn:aws:rds:us-east-1:111111111111:db:orders-db", kind: "uses" },
    { from: "api", to: "arn:aws:dynamodb:us-east-1:111111111111:table/sessions", kind: "uses" },
  ],
  resources: [
    { id: "orders-db", arn: "arn:aws:rds:us-east-1:111111111111:db:orders-db", service: "orders", account: "111111111111", region: "us-east-1", az: "us-east-1b", attrs: { dbiResourceId: "db-ABC" } },
    { id: "sessions", arn: "arn:aws:dynamodb:us-east-1:111111111111:table/sessions", service: "orders", account: "111111111111", region: "us-east-1" },
    { id: "https://sqs.us-east-1.amazonaws.com/111111111111/jobs", arn: "arn:aws:sqs:us-east-1:111111111111:jobs", name: "jobs", service: "api", account: "111111111111", region: "us-east-1" },
    { id: "cache", name: "cache", service: "web", account: "111111111111", region: "us-east-1" },
    { id: "cache", name: "cache", service: "api", account: "111111111111", region: "us-west-2" },
  ],
  alarms: [{ name: "web-5xx", arn: "arn:aws:cloudwatch:us-east-1:111111111111:alarm:web-5xx", service: "web", kind: "metric" }],
};

describe("indexTopology", () => {
  it("indexes a validated topology as buildTopology does after validating it (deployed functions skip the second validation)", () => {
    const built = buildTopology(TOPOLOGY);
    const indexed = indexTopology(TopologySchema.parse(TOPOLOGY));
    const probe = (t: typeof built) => ({
      services: t.serviceNames,
      tags: t.serviceTagKeys,
      web: t.service("web"),
      shipping: t.service("ShippingRates"),
      orders: [t.resource("db-ABC"), t.serviceOf("arn:aws:rds:us-east-1:111111111111:db:orders-db"), t.serviceOf("jobs")],
      cache: [t.resource("cache", { region: "us-west-2" }), t.serviceOf("cache")],
      alarm: [t.alarm("web-5xx"), t.serviceOf("web-5xx")],
      accounts: [t.servicesInAccount("111111111111"), t.servicesInAccount("222222222222")],
      graph: ["web", "api", "orders"].map((n) => [t.dependenciesOf(n), t.dependentsOf(n)]),
      zones: [t.azName("use1-az6"), t.zoneId("us-east-1a")],
      named: t.serviceInName("orders-dlq-depth"),
    });
    expect(probe(indexed)).toEqual(probe(built));
    expect(indexed.dependentsOf("api")).toEqual(["web"]);
  });
});

describe("buildTopology", () => {
  const topology = buildTopology(TOPOLOGY);

  it("maps resources by ARN, id, name, SQS URL and alternate resource id to their service", () => {
    expect(topology.serviceOf("arn:aws:rds:us-east-1:111111111111:db:orders-db")).toBe("orders");
    expect(topology.serviceOf("orders-db")).toBe("orders");
    expect(topology.serviceOf("db-ABC")).toBe("orders");
    expect(topology.serviceOf("https://sqs.us-east-1.amazonaws.com/111111111111/jobs")).toBe("api");
    expect(topology.serviceOf("jobs")).toBe("api");
    expect(topology.serviceOf("web-5xx")).toBe("web");
    expect(topology.serviceOf("arn:aws:cloudwatch:us-east-1:111111111111:alarm:web-5xx")).toBe("web");
    expect(topology.serviceOf("unknown-thing")).toBeUndefined();
  });

  it("uses account and region to pick between resources that share a name, and refuses to guess without them", () => {
    expect(topology.serviceOf("cache", { account: "111111111111", region: "us-east-1" })).toBe("web");
    expect(topology.serviceOf("cache", { account: "111111111111", region: "us-west-2" })).toBe("api");
    expect(topology.serviceOf("cache")).toBeUndefined();
  });

  it("derives dependencies from dependsOn, calls edges and owners of used data stores, and their inverse", () => {
    expect([...topology.dependenciesOf("web")]).toEqual(["api"]);
    expect([...topology.dependenciesOf("api")].sort()).toEqual(["orders"]);
    expect([...topology.dependentsOf("orders")]).toEqual(["api"]);
    expect([...topology.dependentsOf("api")]).toEqual(["web"]);
    expect(topology.dependenciesOf("nope")).toEqual([]);
  });

  it("converts AZ names and zone ids both ways and knows account aliases", () => {
    expect(topology.azName("use1-az6")).toBe("us-east-1b");
    expect(topology.azName("us-east-1a")).toBe("us-east-1a");
    expect(topology.zoneId("us-east-1a")).toBe("use1-az4");
    expect(topology.accountAlias("111111111111")).toBe("acme-prod");
    expect(topology.accountAlias("222222222222")).toBeUndefined();
    expect(topology.servicesInAccount("222222222222")).toEqual(["billing"]);
  });

  it("finds services by any spelling of their name", () => {
    expect(topology.service("ShippingRates")?.name).toBe("shipping-rates");
    expect(topology.service("web")?.team).toBe("frontend");
  });

  it("accepts an empty topology (the config default)", () => {
    const empty = buildTopology({});
    expect(empty.serviceNames).toEqual([]);
    expect(empty.serviceOf("anything")).toBeUndefined();
    expect(buildTopology(undefined).serviceTagKeys).toContain("service");
  });

  it("rejects a malformed topology with a coded error naming the field", () => {
    const bad = () => buildTopology({ services: [{ team: "x" }] });
    expect(bad).toThrow(InvalidTopologyError);
    expect(bad).toThrow(/services\[0\]\.name/);
    try {
      bad();
    } catch (e) {
      expect((e as InvalidTopologyError).code).toBe("grouping.invalid_topology");
    }
  });
});

describe.skipIf(!scenariosPresent)("topology.json of every shared scenario", () => {
  if (!scenariosPresent) it.skip(MISSING_SCENARIOS, () => {});
  for (const name of scenarioNames()) {
    it(`${name}: parses, and every listed resource and alarm maps back to its service`, () => {
      const raw = scenarioTopology(name);
      const parsed = TopologySchema.parse(raw);
      expect(parsed.services.length).toBeGreaterThan(0);
      const topology = buildTopology(raw);
      for (const r of parsed.resources) {
        if (r.arn !== undefined && r.service !== undefined) expect(topology.serviceOf(r.arn)).toBe(r.service);
      }
      for (const a of parsed.alarms) {
        if (a.arn !== undefined && a.service !== undefined) expect(topology.serviceOf(a.arn)).toBe(a.service);
      }
      for (const s of parsed.services) {
        for (const d of s.dependsOn) expect(topology.dependentsOf(d)).toContain(s.name);
      }
    });
  }
});

describe("serviceFromTags", () => {
  it("reads the first service tag key present, case-insensitively, from every tag shape", () => {
    expect(serviceFromTags({ Service: "api" })).toBe("api");
    expect(serviceFromTags([{ key: "service", value: "orders" }])).toBe("orders");
    expect(serviceFromTags([{ Key: "app", Value: "web" }])).toBe("web");
    expect(serviceFromTags({ team: "x", component: "queue" }, ["component"])).toBe("queue");
    expect(serviceFromTags({ service: "  " })).toBeUndefined();
    expect(serviceFromTags({ Name: "api-1" })).toBeUndefined();
    expect(serviceFromTags(undefined)).toBeUndefined();
  });
});

describe("serviceFromName", () => {
  const services = ["api", "orders", "shipping-rates", "shipping", "catalog"];

  it("splits every naming style into words", () => {
    expect(nameWords("ShippingRates-LAMBDA-Errors-handler-High")).toEqual(["shipping", "rates", "lambda", "errors", "handler", "high"]);
    expect(nameWords("catalog/prod/tg/unhealthy-hosts")).toEqual(["catalog", "prod", "tg", "unhealthy", "hosts"]);
    expect(nameWords("Orders-ALB-HTTPCode_Target_5XX_Count-High")).toEqual(["orders", "alb", "http", "code", "target", "5", "xx", "count", "high"]);
  });

  it.each([
    ["prod-api-alb-5xx", "api"],
    ["Orders-ALB-TargetResponseTime-High", "orders"],
    ["ShippingRates-ServiceHealth-Composite", "shipping-rates"],
    ["prod-shipping-rates-lambda-errors", "shipping-rates"],
    ["catalog/prod/alb/error-rate", "catalog"],
    ["api-prod-1a-1", "api"],
    ["shipping_worker", "shipping"],
  ])("%s → %s", (name, expected) => {
    expect(serviceFromName(name, services)).toBe(expected);
  });

  it("matches whole words only", () => {
    expect(serviceFromName("order-events-prod", services)).toBeUndefined();
    expect(serviceFromName("rapid-deploy", services)).toBeUndefined();
    expect(serviceFromName("", services)).toBeUndefined();
  });
});
