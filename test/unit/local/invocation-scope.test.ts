import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import type { SQSEvent, SQSRecord } from "aws-lambda";
import { afterAll, describe, expect, it, vi } from "vitest";
import { lambda, logger } from "../../../functions/lib/powertools";
import { loadInOwnInvocations } from "../../../local/invocation-scope";
import { createLambdaContext } from "../../../local/kinesis/lambda-context";

const context = (functionName: string) => createLambdaContext({ functionName, region: "us-east-1", accountId: "000000000000", timeoutMs: 30_000 });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const record = (messageId: string, body: string) => ({ messageId, body }) as SQSRecord;

// As the AWS SDK leaves it when its first call made Lambda's single-context store (no AWS_LAMBDA_MAX_CONCURRENCY yet).
(globalThis as { awslambda?: object }).awslambda = { InvokeStore: { run: (_context: unknown, fn: () => unknown) => fn(), get: () => undefined, set: () => undefined } };

afterAll(() => {
  delete process.env.AWS_LAMBDA_MAX_CONCURRENCY;
  delete (globalThis as { awslambda?: object }).awslambda;
});

describe("loadInOwnInvocations", () => {
  it("logs each of two concurrent invocations under its own function and request", async () => {
    const lines: string[] = [];
    const write = vi.spyOn(process.stderr, "write").mockImplementation((chunk) => (lines.push(String(chunk)), true));
    const slow = await loadInOwnInvocations(async () => lambda(async () => (await sleep(30), logger.warn("slow done"))));
    const fast = await loadInOwnInvocations(async () => lambda(async () => (await sleep(5), logger.warn("fast done"))));
    const [a, b] = [context("alert-grouper"), context("audit-writer")];
    await Promise.all([slow({}, a), fast({}, b)]);
    write.mockRestore();
    const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => String(l.message).endsWith("done"));
    expect(logged.map((l) => [l.message, l.function_name, l.function_request_id])).toEqual([
      ["fast done", "audit-writer", b.awsRequestId],
      ["slow done", "alert-grouper", a.awsRequestId],
    ]);
  });

  it("still serves a handler called directly, outside any invocation (a test, a CLI command), as before", async () => {
    await loadInOwnInvocations(async () => async () => undefined);
    const lines: string[] = [];
    const write = vi.spyOn(process.stderr, "write").mockImplementation((chunk) => (lines.push(String(chunk)), true));
    const direct = context("remediator");
    await lambda(async () => logger.warn("direct"))({}, direct);
    write.mockRestore();
    expect(lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.message === "direct").map((l) => l.function_request_id)).toEqual([direct.awsRequestId]);
  });

  it("keeps apart the batch failures of two concurrent invocations of one function", async () => {
    const handler = await loadInOwnInvocations(async () => {
      // As a function module does: one processor, made when the module loads.
      const processor = new BatchProcessor(EventType.SQS);
      return async (event) =>
        processPartialResponse(event as SQSEvent, async (r: SQSRecord) => {
          await sleep(Number(r.body.split(":")[1]));
          if (r.body.startsWith("bad")) throw new Error("poison");
        }, processor);
    });
    const [first, second] = await Promise.all([
      handler({ Records: [record("a1", "ok:20"), record("a2", "bad:25")] }, context("f")),
      handler({ Records: [record("b1", "bad:1"), record("b2", "ok:2")] }, context("f")),
    ]);
    expect(first).toEqual({ batchItemFailures: [{ itemIdentifier: "a2" }] });
    expect(second).toEqual({ batchItemFailures: [{ itemIdentifier: "b1" }] });
  });
});
