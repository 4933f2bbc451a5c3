import { describe, expect, it } from "vitest";
import { InvalidApprovalKeyError, signApproval, verifyApproval } from "../../../core/remediation";

const key = "k".repeat(32);
const now = new Date("2025-06-02T10:00:00Z");
const plan = { remediationId: "rem-abc" };
const never = () => false;

describe("approval tokens", () => {
  it("accepts a fresh token for its plan", () => {
    const { token, nonce, expiresAt } = signApproval(key, plan, 900, now);
    expect(expiresAt.toISOString()).toBe("2025-06-02T10:15:00.000Z");
    expect(verifyApproval(key, token, "rem-abc", now, never)).toEqual({ ok: true, remediationId: "rem-abc", nonce, expiresAt });
  });

  it("gives every token its own nonce", () => {
    expect(signApproval(key, plan, 900, now).nonce).not.toBe(signApproval(key, plan, 900, now).nonce);
  });

  it("refuses a token signed with another key as forged", () => {
    const { token } = signApproval("o".repeat(32), plan, 900, now);
    expect(verifyApproval(key, token, "rem-abc", now, never)).toEqual({ refused: "forged" });
  });

  it("refuses a token whose payload was edited as forged", () => {
    const { token } = signApproval(key, plan, 900, now);
    const [v, , sig] = token.split(".");
    const body = Buffer.from(JSON.stringify({ rid: "rem-abc", exp: now.getTime() + 10 ** 9, n: "AAAAAAAAAAAAAAAAAAAAAA" })).toString("base64url");
    expect(verifyApproval(key, `${v}.${body}.${sig}`, "rem-abc", now, never)).toEqual({ refused: "forged" });
    expect(verifyApproval(key, `${v}.${token.split(".")[1]}.${sig!.slice(0, -4)}`, "rem-abc", now, never)).toEqual({ refused: "forged" });
  });

  it("refuses an expired token, from the expiry instant on", () => {
    const { token, expiresAt } = signApproval(key, plan, 60, now);
    expect(verifyApproval(key, token, "rem-abc", new Date(expiresAt.getTime() - 1), never)).toMatchObject({ ok: true });
    expect(verifyApproval(key, token, "rem-abc", expiresAt, never)).toEqual({ refused: "expired" });
  });

  it("refuses a token already used", () => {
    const { token, nonce } = signApproval(key, plan, 900, now);
    const spent = new Set([nonce]);
    expect(verifyApproval(key, token, "rem-abc", now, (n) => spent.has(n))).toEqual({ refused: "already_used" });
  });

  it("refuses a token for another plan", () => {
    const { token } = signApproval(key, { remediationId: "rem-other" }, 900, now);
    expect(verifyApproval(key, token, "rem-abc", now, never)).toEqual({ refused: "other_plan" });
  });

  it.each(["", "v1.abc", "v2.a.b", "not a token", "v1..", "a.b.c.d"])("refuses %j as malformed", (token) => {
    expect(verifyApproval(key, token, "rem-abc", now, never)).toEqual({ refused: "malformed" });
  });

  it("refuses a correctly signed body that is not a payload as malformed", async () => {
    const { createHmac } = await import("node:crypto");
    const body = Buffer.from("[1,2]").toString("base64url");
    const sig = createHmac("sha256", key).update(`v1.${body}`).digest("base64url");
    expect(verifyApproval(key, `v1.${body}.${sig}`, "rem-abc", now, never)).toEqual({ refused: "malformed" });
  });

  it("rejects a key shorter than 32 bytes", () => {
    expect(() => signApproval("short", plan, 60, now)).toThrow(InvalidApprovalKeyError);
    expect(() => verifyApproval("short", "v1.a.b", "rem-abc", now, never)).toThrow(/at least 32/);
  });
});
