import { describe, expect, it } from "vitest";
import { InvalidReplicationConfigError, parseReplicationConfig, staleAfterMinutes } from "../../../core/replication";
import { targets } from "./factory";

describe("parseReplicationConfig", () => {
  it("fills defaults: RPO 15 min, stale floor 30 min, restore below 80% for 3 observations or 10 min", () => {
    const config = parseReplicationConfig({
      protected: [{ id: "assets-bucket", kind: "s3", resource: "arn:aws:s3:::assets", replica: "arn:aws:s3:::assets-dr" }],
    });
    expect(config.protected[0]?.rpoMinutes).toBe(15);
    expect(config).toMatchObject({ staleAfterMinutes: 30, restoreRatio: 0.8, restoreObservations: 3, restoreAfterMinutes: 10, clockSkewToleranceSeconds: 120 });
  });

  it("accepts an absent section as no protected resources", () => {
    expect(parseReplicationConfig(undefined).protected).toEqual([]);
  });

  it.each([
    [{ protected: [{ id: "b", kind: "s3", resource: "arn:aws:s3:::assets" }] }, "replication.protected[0].replica"],
    [{ protected: [{ id: "t", kind: "dynamodb", resource: "arn:aws:dynamodb:us-east-1:123456789012:table/orders", replicaRegions: [] }] }, "replication.protected[0].replicaRegions"],
    [{ protected: [{ id: "d", kind: "rds", resource: "arn:aws:s3:::nope", replicaRegions: ["us-west-2"] }] }, "replication.protected[0].resource"],
    [{ protected: [{ id: "x", kind: "efs", resource: "arn" }] }, "replication.protected[0].kind"],
    [{ restoreRatio: 1.5 }, "replication.restoreRatio"],
    [{ staleAfterMnutes: 5 }, "replication"],
  ])("rejects %j naming %s", (raw, path) => {
    expect(() => parseReplicationConfig(raw)).toThrow(InvalidReplicationConfigError);
    try {
      parseReplicationConfig(raw);
    } catch (error) {
      expect((error as InvalidReplicationConfigError).path).toBe(path);
      expect((error as InvalidReplicationConfigError).code).toBe("replication.invalid_config");
    }
  });

  it("rejects a duplicate id at the second occurrence", () => {
    const t = { id: "b", kind: "s3", resource: "arn:aws:s3:::assets", replica: "arn:aws:s3:::assets-dr" };
    expect(() => parseReplicationConfig({ protected: [t, t] })).toThrow(/replication\.protected\[1\]\.id: duplicate id "b"/);
  });

  it("stales after max(3 × signal interval, the floor)", () => {
    const [s3, , rds] = targets();
    const settings = parseReplicationConfig({});
    expect(staleAfterMinutes(s3!, settings)).toBe(30);
    expect(staleAfterMinutes(rds!, settings)).toBe(3 * 1440);
    expect(staleAfterMinutes({ ...s3!, signalIntervalMinutes: 20 }, settings)).toBe(60);
  });
});
