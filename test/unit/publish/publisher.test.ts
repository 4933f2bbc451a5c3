import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from "@aws-sdk/client-eventbridge";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import {
  EventTooLargeError,
  PublishFailedError,
  chunkEntries,
  entrySize,
  publishEvents,
} from "../../../core/publish/publisher";

const eb = mockClient(EventBridgeClient);
const client = new EventBridgeClient({ region: "us-east-1" });
const noSleep = async () => undefined;

const entry = (i: number, detailBytes = 20): PutEventsRequestEntry => ({
  Source: "vigil",
  DetailType: "Incident Opened",
  Detail: JSON.stringify({ i, pad: "x".repeat(Math.max(0, detailBytes - 20)) }),
});

beforeEach(() => eb.reset());

describe("chunkEntries", () => {
  it("puts at most 10 entries in a call, in order", () => {
    const chunks = chunkEntries(Array.from({ length: 23 }, (_, i) => entry(i)));
    expect(chunks.map((c) => c.length)).toEqual([10, 10, 3]);
    expect(chunks.flat().map((e) => JSON.parse(e.Detail!).i)).toEqual([...Array(23).keys()]);
  });

  it("starts a new call before 256 KB is exceeded", () => {
    const big = Array.from({ length: 4 }, (_, i) => entry(i, 100 * 1024));
    const chunks = chunkEntries(big);
    expect(chunks.map((c) => c.length)).toEqual([2, 2]);
    for (const c of chunks) expect(c.reduce((n, e) => n + entrySize(e), 0)).toBeLessThanOrEqual(256 * 1024);
  });

  it("rejects a single entry over 256 KB, naming it", () => {
    expect(() => chunkEntries([entry(0, 257 * 1024)])).toThrow(EventTooLargeError);
    expect(() => chunkEntries([entry(0, 257 * 1024)])).toThrow(/Incident Opened/);
  });

  it("counts Time as 14 bytes and Resources by their bytes", () => {
    expect(entrySize({ Source: "ab", DetailType: "c", Detail: "{}", Resources: ["é"], Time: new Date() })).toBe(2 + 1 + 2 + 2 + 14);
  });
});

describe("publishEvents", () => {
  it("sends every entry to the named bus in calls of at most 10", async () => {
    eb.on(PutEventsCommand).callsFake((input) => ({ FailedEntryCount: 0, Entries: input.Entries.map(() => ({ EventId: "e" })) }));
    const out = await publishEvents(client, "ops", Array.from({ length: 25 }, (_, i) => entry(i)), { sleep: noSleep });
    expect(out).toEqual({ published: 25, calls: 3 });
    const calls = eb.commandCalls(PutEventsCommand);
    expect(calls.map((c) => c.args[0].input.Entries!.length)).toEqual([10, 10, 5]);
    expect(calls.every((c) => c.args[0].input.Entries!.every((e) => e.EventBusName === "ops"))).toBe(true);
  });

  it("retries only the entries that failed, until they succeed", async () => {
    eb.on(PutEventsCommand)
      .resolvesOnce({
        FailedEntryCount: 2,
        Entries: [{ EventId: "a" }, { ErrorCode: "ThrottlingException", ErrorMessage: "slow down" }, { EventId: "c" }, { ErrorCode: "InternalFailure" }],
      })
      .resolves({ FailedEntryCount: 0, Entries: [{ EventId: "b" }, { EventId: "d" }] });
    await publishEvents(client, "ops", [entry(0), entry(1), entry(2), entry(3)], { sleep: noSleep });
    const retried = eb.commandCalls(PutEventsCommand)[1]!.args[0].input.Entries!.map((e) => JSON.parse(e.Detail!).i);
    expect(retried).toEqual([1, 3]);
  });

  it("throws, naming the failures, when entries still fail after every attempt", async () => {
    eb.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: "InternalFailure", ErrorMessage: "boom" }] });
    const attempt = publishEvents(client, "ops", [entry(0)], { sleep: noSleep, maxAttempts: 3 });
    await expect(attempt).rejects.toThrow(PublishFailedError);
    await expect(attempt).rejects.toThrow(/Incident Opened \(InternalFailure: boom\)/);
    expect(eb.commandCalls(PutEventsCommand)).toHaveLength(3);
  });
});
