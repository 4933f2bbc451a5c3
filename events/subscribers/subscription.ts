import type { EventPattern } from "../patterns";

/**
 * An EventBridge input transformer, in the shape of Pulumi's `aws.cloudwatch.EventTarget` `inputTransformer`
 * apart from the paths' name: pass `inputPathsMap` as `inputPaths` there (AWS's API calls it `InputPathsMap`).
 */
export interface SubscriberInputTransformer {
  /** Variable name → JSON path into the event (at most 100, each at most 256 characters). */
  readonly inputPathsMap: Readonly<Record<string, string>>;
  /** The request body with `<variable>` placeholders (at most 8192 characters). */
  readonly inputTemplate: string;
}

/**
 * One outbound subscription: an EventBridge rule on the ops bus with this `pattern`, and one API destination
 * target with this `inputTransformer`. A target's subscriptions have disjoint patterns, so each event is sent once.
 */
export interface Subscription {
  /** Stable name, usable in rule and target ids (`[a-z0-9-]`). */
  readonly name: string;
  /** Event pattern of the rule. */
  readonly pattern: EventPattern;
  /** Input transformer of the rule's target. */
  readonly inputTransformer: SubscriberInputTransformer;
}

/**
 * The same transformer in the AWS API's own field names, as PutTargets and the local event bus take it.
 *
 * @param transformer - a subscription's input transformer
 */
export function awsInputTransformer(transformer: SubscriberInputTransformer): {
  InputPathsMap: Record<string, string>;
  InputTemplate: string;
} {
  return { InputPathsMap: { ...transformer.inputPathsMap }, InputTemplate: transformer.inputTemplate };
}

const STANDALONE = "\u0000";

/**
 * Marks a template value that stands alone as JSON: EventBridge inserts the variable's value as JSON
 * (a string quoted and escaped, an object or array as is, a missing path as null).
 *
 * @param variable - an `inputPathsMap` key
 */
export const asJson = (variable: string): string => `${STANDALONE}${variable}${STANDALONE}`;

/**
 * Serialises a request body written as data into an InputTemplate. Placeholders written inside strings
 * (`"[<severity>] <summary>"`) get the value's text, escaped, or nothing for a missing path; values made with
 * {@link asJson} become bare `<variable>` placeholders.
 *
 * @param body - the request body, with placeholders
 */
export function jsonTemplate(body: unknown): string {
  return JSON.stringify(body).replace(/"\\u0000([A-Za-z0-9_.-]+)\\u0000"/g, "<$1>");
}
