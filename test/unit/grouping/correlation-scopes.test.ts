import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { accountScope, buildTopology, namedScopes, perAccountScopes, TopologySchema, type TopologyInput } from "../../../core/grouping";
import { MISSING_SCENARIOS, scenarioNames, scenariosPresent, scenarioTopology } from "./shared-data";

const A = "111111111111";
const B = "222222222222";
const C = "333333333333";
const D = "444444444444";

const scopes = (topology: TopologyInput) => buildTopology(topology).scopes;

describe("correlationScopes", () => {
  it("puts the accounts of a caller and a dependency in one group named after the smallest", () => {
    const s = scopes({ services: [{ name: "orders", account: B, dependsOn: ["payments"] }, { name: "payments", account: A }] });
    expect(s.scopeOf(A)).toBe(`group#${A}`);
    expect(s.scopeOf(B)).toBe(`group#${A}`);
    expect([...s.groups]).toEqual([[`group#${A}`, [A, B]]]);
  });

  it("links through edges: to a service, to a resource the topology places in another account, to an ARN's account", () => {
    const s = scopes({
      services: [{ name: "web", account: A }, { name: "api", account: B }],
      edges: [
        { from: "web", to: "api", kind: "calls" },
        { from: "api", to: "ledger-table", kind: "uses" },
        { from: "web", to: `arn:aws:sqs:us-east-1:${D}:jobs`, kind: "publishes" },
      ],
      resources: [{ id: "ledger-table", account: C }],
    });
    expect(new Set([A, B, C, D].map((a) => s.scopeOf(a)))).toEqual(new Set([`group#${A}`]));
  });

  it("links a service's account with the accounts of the resources and alarms it owns", () => {
    const s = scopes({
      services: [{ name: "platform", account: B }, { name: "batch", account: D }],
      resources: [{ id: "vpc-1", service: "platform", account: C }],
      alarms: [{ name: "PlatformNat", service: "platform", account: A }],
    });
    expect([A, B, C].map((a) => s.scopeOf(a))).toEqual([`group#${A}`, `group#${A}`, `group#${A}`]);
    expect(s.scopeOf(D)).toBe(accountScope(D));
  });

  it("keeps an account the topology links to no other, one it does not know, and an account-less S3 ARN each on their own", () => {
    const s = scopes({
      accounts: [{ id: A }, { id: B }],
      services: [{ name: "web", account: A, dependsOn: ["assets"] }, { name: "assets", account: A }, { name: "reports", account: B }],
      edges: [{ from: "reports", to: "arn:aws:s3:::reports-bucket", kind: "uses" }],
    });
    expect(s.scopeOf(A)).toBe(`acct#${A}`);
    expect(s.scopeOf(B)).toBe(`acct#${B}`);
    expect(s.scopeOf("999999999999")).toBe("acct#999999999999");
    expect(s.groups.size).toBe(0);
  });

  it("never changes a group's id when accounts are added elsewhere, and only when a member that sorts first joins", () => {
    const base: TopologyInput = { services: [{ name: "api", account: C, dependsOn: ["db"] }, { name: "db", account: B }] };
    const before = scopes(base).scopeOf(C);
    const elsewhere = scopes({ services: [...(base.services ?? []), { name: "jobs", account: A, dependsOn: ["queue"] }, { name: "queue", account: D }] });
    expect(elsewhere.scopeOf(C)).toBe(before);
    expect(elsewhere.scopeOf(A)).toBe(`group#${A}`);
    const larger = scopes({ services: [...(base.services ?? []), { name: "cache", account: D, dependsOn: ["api"] }] });
    expect(larger.scopeOf(D)).toBe(before);
  });

  it("names the scope of every account the topology mentions, once: listed accounts and the owners of services, resources and alarms", () => {
    const input: TopologyInput = {
      accounts: [{ id: D, alias: "sandbox" }],
      services: [{ name: "orders", account: B, dependsOn: ["payments"] }, { name: "payments", account: A }],
      resources: [{ id: "jobs-queue", arn: `arn:aws:sqs:us-east-1:${C}:jobs`, account: C }],
    };
    expect(namedScopes(TopologySchema.parse(input), scopes(input))).toEqual([`acct#${C}`, `acct#${D}`, `group#${A}`]);
    expect(namedScopes(TopologySchema.parse({}), scopes({}))).toEqual([]);
  });

  it("keeps one scope per account in perAccountScopes", () => {
    expect(perAccountScopes.scopeOf(A)).toBe(`acct#${A}`);
    expect(perAccountScopes.groups.size).toBe(0);
  });

  const ACCOUNTS = ["100000000001", "100000000002", "100000000003", "100000000004", "100000000005", "100000000006", "100000000007"];
  const topologyArb = fc
    .array(fc.record({ account: fc.constantFrom(...ACCOUNTS), deps: fc.array(fc.nat(11), { maxLength: 2 }) }), { minLength: 1, maxLength: 12 })
    .map((services) => ({
      services: services.map((s, i) => ({
        name: `svc-${i}`,
        account: s.account,
        dependsOn: s.deps.filter((d) => d < services.length && d !== i).map((d) => `svc-${d}`),
      })),
    }));

  /** Accounts reachable from `start` over dependencies taken both ways: the reference the scopes must match. */
  function linkedTo(topology: { services: { account: string; dependsOn: string[]; name: string }[] }, start: string): Set<string> {
    const accountOf = new Map(topology.services.map((s) => [s.name, s.account]));
    const pairs = topology.services.flatMap((s) => s.dependsOn.map((d) => [s.account, accountOf.get(d)!] as const));
    const reached = new Set([start]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const [a, b] of pairs) {
        if (reached.has(a) !== reached.has(b)) {
          reached.add(a);
          reached.add(b);
          grew = true;
        }
      }
    }
    return reached;
  }

  it("maps every account to exactly one scope; linked accounts share it, unlinked ones never do (property)", () => {
    fc.assert(
      fc.property(topologyArb, (topology) => {
        const s = scopes(topology);
        const members = [...s.groups.values()].flat();
        expect(new Set(members).size).toBe(members.length);
        for (const a of ACCOUNTS) {
          const reach = linkedTo(topology, a);
          const scope = s.scopeOf(a);
          expect(s.scopeOf(a)).toBe(scope);
          expect(scope).toBe(reach.size > 1 ? `group#${[...reach].sort()[0]}` : accountScope(a));
          if (reach.size > 1) expect(s.groups.get(scope)).toEqual([...reach].sort());
          for (const b of ACCOUNTS) expect(s.scopeOf(b) === scope).toBe(reach.has(b));
        }
      }),
      { numRuns: 150 },
    );
  });

  it("keeps every existing scope when a service in a new account is added with no link (property)", () => {
    fc.assert(
      fc.property(topologyArb, (topology) => {
        const before = scopes(topology);
        const after = scopes({ services: [...topology.services, { name: "lonely", account: "900000000009", dependsOn: [] }] });
        for (const a of ACCOUNTS) expect(after.scopeOf(a)).toBe(before.scopeOf(a));
        expect(after.scopeOf("900000000009")).toBe("acct#900000000009");
      }),
      { numRuns: 100 },
    );
  });

  describe.skipIf(!scenariosPresent)(`on the shared storms' topologies (${MISSING_SCENARIOS} when absent)`, () => {
    it.each(scenarioNames())("%s: the caller of a service in another account shares its scope", (name) => {
      const raw = scenarioTopology(name) as { services: { name: string; account: string; dependsOn: string[] }[] };
      const topology = buildTopology(raw);
      const accountOf = new Map(raw.services.map((s) => [s.name, s.account]));
      const cross = raw.services.flatMap((s) => topology.dependenciesOf(s.name).flatMap((d) => (accountOf.get(d) !== undefined && accountOf.get(d) !== s.account ? [[s.account, accountOf.get(d)!]] : [])));
      expect(cross.length).toBeGreaterThan(0);
      for (const [a, b] of cross) expect(topology.scopes.scopeOf(a!)).toBe(topology.scopes.scopeOf(b!));
    });
  });
});
