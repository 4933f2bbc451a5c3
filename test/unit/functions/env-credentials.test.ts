import { afterEach, describe, expect, it, vi } from "vitest";
import { credentialsTreatedAsExpired, credentialsWillNeedRefresh, defaultProvider } from "../../../functions/lib/env-credentials";

describe("the environment-only default credential provider (what bundles use for the SDK's chain)", () => {
  afterEach(() => vi.unstubAllEnvs());

  it("returns the credentials Lambda puts in the environment", async () => {
    vi.stubEnv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE");
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", "secret");
    vi.stubEnv("AWS_SESSION_TOKEN", "token");
    await expect(defaultProvider()()).resolves.toMatchObject({ accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret", sessionToken: "token" });
  });

  it("fails as the chain's first link does when they are missing", async () => {
    vi.stubEnv("AWS_ACCESS_KEY_ID", "");
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", "");
    await expect(defaultProvider()()).rejects.toThrow("Unable to find environment variable credentials.");
  });

  it("refreshes expiring credentials five minutes early, as the SDK's chain does", () => {
    const inMinutes = (m: number) => ({ accessKeyId: "a", secretAccessKey: "s", expiration: new Date(Date.now() + m * 60_000) });
    expect(credentialsWillNeedRefresh({ accessKeyId: "a", secretAccessKey: "s" })).toBe(false);
    expect(credentialsWillNeedRefresh(inMinutes(60))).toBe(true);
    expect(credentialsTreatedAsExpired(inMinutes(4))).toBe(true);
    expect(credentialsTreatedAsExpired(inMinutes(6))).toBe(false);
  });
});
