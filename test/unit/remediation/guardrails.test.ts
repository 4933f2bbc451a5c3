import { describe, expect, it } from "vitest";
import { checkGuardrails, GuardrailsSchema, type ActionRecord, type GuardrailContext } from "../../../core/remediation";

const plan = { remediationId: "rem-new", policy: "p", resource: { id: "arn:aws:s3:::b9", account: "111111111111" } };
const now = new Date("2025-06-02T10:00:00Z"); // a Monday
const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);
const guardrails = (raw: unknown) => GuardrailsSchema.parse(raw);
const ctx = (over: Partial<GuardrailContext> = {}): GuardrailContext => ({ tags: {}, now, history: [], ...over });
const action = (i: number, over: Partial<ActionRecord> = {}): ActionRecord => ({
  remediationId: `rem-${i}`,
  policy: "p",
  account: "111111111111",
  resource: `arn:aws:s3:::b${i}`,
  at: minutesAgo(i + 1),
  ...over,
});

describe("checkGuardrails", () => {
  it("allows when nothing limits", () => {
    expect(checkGuardrails(plan, ctx(), guardrails({}))).toEqual({ allowed: true });
  });

  it("never touches a resource with the default protected tag", () => {
    const verdict = checkGuardrails(plan, ctx({ tags: { "vigil:protect": "true" } }), guardrails({}));
    expect(verdict).toMatchObject({ allowed: false, code: "remediation.guardrail_blocked", guardrail: "protected_tag" });
    expect(checkGuardrails(plan, ctx({ tags: { "vigil:protect": "false" } }), guardrails({})).allowed).toBe(true);
  });

  it("uses a policy's own protected tags", () => {
    const g = guardrails({ protectedTags: { env: "prod" } });
    expect(checkGuardrails(plan, ctx({ tags: { env: "prod" } }), g)).toMatchObject({ guardrail: "protected_tag" });
    expect(checkGuardrails(plan, ctx({ tags: { env: "dev" } }), g).allowed).toBe(true);
  });

  it("rate-limits per policy within the window only", () => {
    const g = guardrails({ rateLimit: { perPolicy: { max: 2, windowMinutes: 10 } } });
    expect(checkGuardrails(plan, ctx({ history: [action(1), action(2)] }), g)).toMatchObject({ guardrail: "rate_limit" });
    expect(checkGuardrails(plan, ctx({ history: [action(1), action(2, { at: minutesAgo(11) })] }), g).allowed).toBe(true);
    expect(checkGuardrails(plan, ctx({ history: [action(1), action(2, { policy: "other" })] }), g).allowed).toBe(true);
  });

  it("rate-limits per account across policies", () => {
    const g = guardrails({ rateLimit: { perAccount: { max: 2, windowMinutes: 60 } } });
    const history = [action(1, { policy: "a" }), action(2, { policy: "b" })];
    expect(checkGuardrails(plan, ctx({ history }), g)).toMatchObject({ guardrail: "rate_limit", reason: expect.stringContaining("account 111111111111") });
    const elsewhere = history.map((a) => ({ ...a, account: "222222222222" }));
    expect(checkGuardrails(plan, ctx({ history: elsewhere }), g).allowed).toBe(true);
  });

  it("does not count the plan's own earlier attempt (a retry) against it", () => {
    const g = guardrails({ rateLimit: { perPolicy: { max: 1, windowMinutes: 10 } } });
    expect(checkGuardrails(plan, ctx({ history: [action(1, { remediationId: "rem-new" })] }), g).allowed).toBe(true);
  });

  it("caps distinct resources per window (maxResources)", () => {
    const g = guardrails({ blastRadius: { maxResources: 3, windowMinutes: 60 } });
    expect(checkGuardrails(plan, ctx({ history: [action(1), action(2)] }), g).allowed).toBe(true);
    expect(checkGuardrails(plan, ctx({ history: [action(1), action(2), action(3)] }), g)).toMatchObject({ guardrail: "blast_radius" });
    // Acting twice on one resource is still one resource.
    expect(checkGuardrails(plan, ctx({ history: [action(1), action(1, { remediationId: "rem-1b" }), action(2)] }), g).allowed).toBe(true);
  });

  it("caps the share of resources in scope (maxPercent), failing closed when the scope is unknown", () => {
    const g = guardrails({ blastRadius: { maxPercent: 10, windowMinutes: 60 } });
    expect(checkGuardrails(plan, ctx({ history: [action(1)], inScope: 20 }), g).allowed).toBe(true);
    expect(checkGuardrails(plan, ctx({ history: [action(1), action(2)], inScope: 20 }), g)).toMatchObject({ guardrail: "blast_radius" });
    expect(checkGuardrails(plan, ctx(), g)).toMatchObject({ guardrail: "blast_radius", reason: expect.stringContaining("unknown") });
  });

  it("acts only inside a change window, in the window's time zone", () => {
    const g = guardrails({ changeWindows: [{ days: ["mon"], start: "09:00", end: "17:00", timezone: "Europe/Paris" }] });
    expect(checkGuardrails(plan, ctx(), g).allowed).toBe(true); // 12:00 in Paris
    expect(checkGuardrails(plan, ctx({ now: new Date("2025-06-02T15:30:00Z") }), g)).toMatchObject({ guardrail: "change_window" });
    expect(checkGuardrails(plan, ctx({ now: new Date("2025-06-03T10:00:00Z") }), g)).toMatchObject({ guardrail: "change_window" });
  });

  it("lets a window run past midnight into the next day", () => {
    const g = guardrails({ changeWindows: [{ days: ["fri"], start: "22:00", end: "02:00" }] });
    expect(checkGuardrails(plan, ctx({ now: new Date("2025-06-06T23:00:00Z") }), g).allowed).toBe(true);
    expect(checkGuardrails(plan, ctx({ now: new Date("2025-06-07T01:59:00Z") }), g).allowed).toBe(true);
    expect(checkGuardrails(plan, ctx({ now: new Date("2025-06-07T02:00:00Z") }), g)).toMatchObject({ guardrail: "change_window" });
    expect(checkGuardrails(plan, ctx({ now: new Date("2025-06-06T01:00:00Z") }), g)).toMatchObject({ guardrail: "change_window" });
  });
});
