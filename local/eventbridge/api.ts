import { InvalidEventPatternError, matchesPattern } from "../../core/eventbridge/pattern";
import type { LocalEventBus, PutEventsEntry } from "./bus";

/** An AWS JSON-protocol error: `__type` names it, as the SDKs expect. */
export class AwsApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

const MAX_ENTRIES = 10;
const MAX_REQUEST_BYTES = 256 * 1024;

/** The EventBridge operations the local runtime serves (X-Amz-Target `AWSEvents.<Op>`). */
export function eventBridgeApi(bus: LocalEventBus) {
  return async (operation: string, input: Record<string, unknown>): Promise<unknown> => {
    switch (operation) {
      case "PutEvents": {
        const entries = input.Entries;
        if (!Array.isArray(entries) || entries.length === 0) {
          throw new AwsApiError("ValidationException", "Entries must be a non-empty list.");
        }
        if (entries.length > MAX_ENTRIES) {
          throw new AwsApiError(
            "ValidationException",
            `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length less than or equal to ${MAX_ENTRIES}`,
          );
        }
        const bytes = Buffer.byteLength(JSON.stringify(entries), "utf8");
        if (bytes > MAX_REQUEST_BYTES) {
          throw new AwsApiError("ValidationException", `Total size of the entries in the request is over the limit (${bytes} bytes).`);
        }
        return bus.putEvents(entries as PutEventsEntry[]);
      }
      case "TestEventPattern": {
        const { EventPattern, Event } = input as { EventPattern?: string; Event?: string };
        if (typeof EventPattern !== "string" || typeof Event !== "string") {
          throw new AwsApiError("ValidationException", "EventPattern and Event are required strings.");
        }
        let event: unknown;
        try {
          event = JSON.parse(Event);
        } catch {
          throw new AwsApiError("ValidationException", "Parameter Event is not valid JSON.");
        }
        try {
          return { Result: matchesPattern(EventPattern, event) };
        } catch (error: unknown) {
          if (error instanceof InvalidEventPatternError) throw new AwsApiError("InvalidEventPatternException", (error as Error).message);
          throw error;
        }
      }
      case "ListRules": {
        const busName = typeof input.EventBusName === "string" ? input.EventBusName : "default";
        return {
          Rules: bus.listRules(busName).map((r) => ({
            Name: r.name,
            EventBusName: r.busName,
            EventPattern: JSON.stringify(r.pattern),
            State: "ENABLED",
          })),
        };
      }
      default:
        throw new AwsApiError("UnknownOperationException", `The local EventBridge does not implement ${operation}.`);
    }
  };
}
