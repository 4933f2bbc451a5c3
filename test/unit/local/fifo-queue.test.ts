import type { SQSEvent } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { createLambdaContext } from "../../../local/kinesis/lambda-context";
import { LocalFifoQueue } from "../../../local/sqs/fifo-queue";

const context = () => createLambdaContext({ functionName: "f", region: "us-east-1", accountId: "000000000000", timeoutMs: 1_000 });
const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe("LocalFifoQueue", () => {
  it("hands messages over in send order, in batches of at most batchSize, one batch at a time", async () => {
    const batches: string[][] = [];
    let running = 0;
    let overlapped = false;
    const queue = new LocalFifoQueue({
      name: "q.fifo",
      groupId: "g",
      batchSize: 3,
      context,
      handler: async (event: SQSEvent) => {
        overlapped ||= running++ > 0;
        await tick();
        batches.push(event.Records.map((r) => r.body));
        running--;
        return { batchItemFailures: [] };
      },
    });
    await Promise.all(Array.from({ length: 7 }, (_, i) => queue.send(String(i))));
    expect(batches).toEqual([["0", "1", "2"], ["3", "4", "5"], ["6"]]);
    expect(overlapped).toBe(false);
  });

  it("delivers a message reported failed again alone, and rejects its send with the error of that delivery", async () => {
    const seen: string[][] = [];
    const queue = new LocalFifoQueue({
      name: "q.fifo",
      groupId: "g",
      batchSize: 10,
      context,
      handler: async (event: SQSEvent) => {
        seen.push(event.Records.map((r) => r.body));
        const bad = event.Records.filter((r) => r.body === "bad");
        if (bad.length === event.Records.length) throw new Error("bad is not an event");
        return { batchItemFailures: bad.map((r) => ({ itemIdentifier: r.messageId })) };
      },
    });
    const results = await Promise.allSettled(["a", "bad", "b"].map((body) => queue.send(body)));
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/bad is not an event/);
    expect(seen).toEqual([["a", "bad", "b"], ["bad"]]);
  });
});
