import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import * as z from "zod";
import { InvalidApprovalKeyError } from "./errors";

const VERSION = "v1";
const MIN_KEY_BYTES = 32;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** Why an approval token was refused. */
export type ApprovalRefusal = "forged" | "expired" | "already_used" | "other_plan" | "malformed";

export type ApprovalVerdict =
  | { ok: true; remediationId: string; nonce: string; expiresAt: Date }
  | { refused: ApprovalRefusal };

const PayloadSchema = z.strictObject({ rid: z.string().min(1), exp: z.number().int(), n: z.string().min(16) });

function keyBytes(key: string | Uint8Array): Buffer {
  const bytes = typeof key === "string" ? Buffer.from(key, "utf8") : Buffer.from(key);
  if (bytes.length < MIN_KEY_BYTES) throw new InvalidApprovalKeyError(bytes.length);
  return bytes;
}

function mac(key: Buffer, body: string): Buffer {
  return createHmac("sha256", key).update(`${VERSION}.${body}`).digest();
}

/**
 * Signs a single-use approval for one plan: `v1.<payload>.<HMAC-SHA256>` in base64url, over the
 * remediation id, the expiry and a random nonce.
 *
 * @param key - secret of at least 32 bytes
 * @param ttlSeconds - how long the approval stays valid
 * @param nonce - 16+ random bytes as base64url; fresh by default (given only in tests)
 * @throws InvalidApprovalKeyError when the key is shorter than 32 bytes
 */
export function signApproval(
  key: string | Uint8Array,
  plan: { remediationId: string },
  ttlSeconds: number,
  now: Date,
  nonce: string = randomBytes(16).toString("base64url"),
): { token: string; nonce: string; expiresAt: Date } {
  const expiresAt = new Date(now.getTime() + ttlSeconds * 1000);
  const body = Buffer.from(JSON.stringify({ rid: plan.remediationId, exp: expiresAt.getTime(), n: nonce })).toString("base64url");
  return { token: `${VERSION}.${body}.${mac(keyBytes(key), body).toString("base64url")}`, nonce, expiresAt };
}

/**
 * Checks an approval token. The signature is checked first (in constant time), so nothing in a
 * forged token is believed; then the plan, the expiry, and single use. On `ok` the caller must record
 * the nonce as used (a conditional write) before acting, so a second use is refused.
 *
 * @param used - whether a nonce was already spent
 */
export function verifyApproval(
  key: string | Uint8Array,
  token: string,
  expectedRemediationId: string,
  now: Date,
  used: (nonce: string) => boolean,
): ApprovalVerdict {
  const secret = keyBytes(key);
  const parts = token.split(".");
  if (parts.length !== 3 || parts[0] !== VERSION) return { refused: "malformed" };
  const [, body, signature] = parts as [string, string, string];
  if (!BASE64URL.test(body) || !BASE64URL.test(signature)) return { refused: "malformed" };
  const given = Buffer.from(signature, "base64url");
  const expected = mac(secret, body);
  // timingSafeEqual throws on unequal lengths; a wrong length is a forgery anyway.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { refused: "forged" };
  let payload: z.infer<typeof PayloadSchema>;
  try {
    const parsed = PayloadSchema.safeParse(JSON.parse(Buffer.from(body, "base64url").toString("utf8")));
    if (!parsed.success) return { refused: "malformed" };
    payload = parsed.data;
  } catch {
    return { refused: "malformed" };
  }
  if (payload.rid !== expectedRemediationId) return { refused: "other_plan" };
  if (now.getTime() >= payload.exp) return { refused: "expired" };
  if (used(payload.n)) return { refused: "already_used" };
  return { ok: true, remediationId: payload.rid, nonce: payload.n, expiresAt: new Date(payload.exp) };
}
