import { randomUUID } from "node:crypto";
import { compilePattern } from "../../core/eventbridge/pattern";
import { applyInputPath, applyInputTransformer } from "../../core/eventbridge/input-transformer";
import type { Clock } from "../clock";

/** An event as EventBridge delivers it to a target. */
export interface BusEvent {
  version: "0";
  id: string;
  "detail-type": string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}

export type Target =
  | { id: string; kind: "function"; invoke: (event: BusEvent) => Promise<unknown> }
  | {
      id: string;
      kind: "sink";
      /** Receives the target input: the event, or what InputPath/InputTransformer made of it. */
      deliver: (input: string, event: BusEvent) => Promise<void> | void;
      inputPath?: string;
      inputTransformer?: { InputPathsMap?: Record<string, string>; InputTemplate: string };
    }
  | { id: string; kind: "bus"; busName: string }
  /** A Kinesis stream: the event (JSON) becomes one record whose partition key is read at `partitionKeyPath`. */
  | { id: string; kind: "stream"; partitionKeyPath: string; put: (partitionKey: string, data: string) => void };

export interface RuleSpec {
  name: string;
  busName: string;
  pattern: unknown;
  targets: Target[];
}

interface Rule extends RuleSpec {
  matches: (event: unknown) => boolean;
  arn: string;
}

export interface PutEventsEntry {
  Source?: string;
  DetailType?: string;
  Detail?: string;
  Resources?: string[];
  Time?: string | number | Date;
  EventBusName?: string;
}

export interface PutEventsResultEntry {
  EventId?: string;
  ErrorCode?: string;
  ErrorMessage?: string;
}

export interface DeadLetter {
  rule: string;
  target: string;
  event: BusEvent;
  error: string;
  attempts: number;
}

export interface LocalEventBusOptions {
  clock: Clock;
  account?: string;
  region?: string;
  /** Delivery attempts per target before the event goes to the dead-letter list. */
  maxDeliveryAttempts?: number;
  onDelivered?: (rule: string, target: string, event: BusEvent) => void;
  onDeadLetter?: (letter: DeadLetter) => void;
}

const MAX_EVENT_BYTES = 256 * 1024;

/**
 * EventBridge buses, rules and targets in process. Delivery is asynchronous as in AWS:
 * `putEvents` returns once events are accepted; `drain()` waits until every delivery, and every
 * event those deliveries publish in turn, has been handled.
 */
export class LocalEventBus {
  readonly account: string;
  readonly region: string;
  /** Every event accepted on any bus, in order: the bus, and whether it came through PutEvents, a replay injection or a bus-to-bus rule. */
  readonly accepted: { busName: string; event: BusEvent; via: "PutEvents" | "inject" | "rule" }[] = [];
  readonly deadLetters: DeadLetter[] = [];
  private rules = new Map<string, Rule>();
  private inFlight = new Set<Promise<void>>();

  constructor(private readonly options: LocalEventBusOptions) {
    this.account = options.account ?? "000000000000";
    this.region = options.region ?? "us-east-1";
  }

  /** Adds or replaces a rule; throws InvalidEventPatternError for a pattern AWS would reject. */
  putRule(spec: RuleSpec): void {
    const key = `${spec.busName}/${spec.name}`;
    this.rules.set(key, {
      ...spec,
      matches: compilePattern(spec.pattern),
      arn: `arn:aws:events:${this.region}:${this.account}:rule/${spec.busName === "default" ? "" : `${spec.busName}/`}${spec.name}`,
    });
  }

  listRules(busName?: string): RuleSpec[] {
    return [...this.rules.values()].filter((r) => !busName || r.busName === busName);
  }

  /** PutEvents semantics: per-entry validation and results; accepted events are routed. */
  putEvents(entries: PutEventsEntry[], defaultBus = "default"): { FailedEntryCount: number; Entries: PutEventsResultEntry[] } {
    const results = entries.map((entry) => {
      const problem = validateEntry(entry);
      if (problem) return { ErrorCode: "InvalidArgument", ErrorMessage: problem };
      const event: BusEvent = {
        version: "0",
        id: randomUUID(),
        "detail-type": entry.DetailType!,
        source: entry.Source!,
        account: this.account,
        time: toIsoSeconds(entry.Time ?? this.options.clock.now()),
        region: this.region,
        resources: entry.Resources ?? [],
        detail: JSON.parse(entry.Detail!),
      };
      this.route(busNameOf(entry.EventBusName ?? defaultBus), event, "PutEvents");
      return { EventId: event.id };
    });
    return { FailedEntryCount: results.filter((r) => "ErrorCode" in r).length, Entries: results };
  }

  /** Routes an event that already has its id and time, as when replaying a recorded event. */
  inject(busName: string, event: BusEvent): void {
    this.route(busName, event, "inject");
  }

  /** Resolves when no delivery is in flight, including deliveries started while waiting. */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private route(busName: string, event: BusEvent, via: "PutEvents" | "inject" | "rule"): void {
    this.accepted.push({ busName, event, via });
    for (const rule of this.rules.values()) {
      if (rule.busName !== busName || !rule.matches(event)) continue;
      for (const target of rule.targets) {
        const delivery = this.deliver(rule, target, event).finally(() => this.inFlight.delete(delivery));
        this.inFlight.add(delivery);
      }
    }
  }

  private async deliver(rule: Rule, target: Target, event: BusEvent): Promise<void> {
    const maxAttempts = this.options.maxDeliveryAttempts ?? 3;
    let lastError = "";
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      try {
        if (target.kind === "function") await target.invoke(structuredClone(event));
        else if (target.kind === "bus") this.route(target.busName, event, "rule");
        else if (target.kind === "stream") target.put(String(applyInputPath(target.partitionKeyPath, event as unknown as Record<string, unknown>) ?? ""), JSON.stringify(event));
        else await target.deliver(this.targetInput(rule, target, event), event);
        this.options.onDelivered?.(rule.name, target.id, event);
        return;
      } catch (error) {
        lastError = describeError(error);
      }
    }
    const letter = { rule: rule.name, target: target.id, event, error: lastError, attempts: maxAttempts };
    this.deadLetters.push(letter);
    this.options.onDeadLetter?.(letter);
  }

  private targetInput(rule: Rule, target: Extract<Target, { kind: "sink" }>, event: BusEvent): string {
    if (target.inputTransformer) {
      return applyInputTransformer(target.inputTransformer, event as unknown as Record<string, unknown>, {
        ruleArn: rule.arn,
        ruleName: rule.name,
        ingestionTime: event.time,
      });
    }
    if (target.inputPath) return JSON.stringify(applyInputPath(target.inputPath, event as unknown as Record<string, unknown>));
    return JSON.stringify(event);
  }
}

/** An error and its causes on one line; validation issues (a parser's cause) as `path: message`. */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause: unknown = error.cause;
  const issues = Array.isArray(cause) ? cause : (cause as { issues?: unknown })?.issues;
  const detail = Array.isArray(issues)
    ? issues.map((i: { path?: unknown[]; message: string }) => `${(i.path ?? []).map(pathKey).join(".")}: ${i.message}`).join("; ")
    : cause instanceof Error
      ? describeError(cause)
      : "";
  return `${error.name}: ${error.message}${detail ? ` (${detail})` : ""}`;
}

/** Standard Schema path segments are keys or `{ key }` objects. */
const pathKey = (segment: unknown) => String(typeof segment === "object" && segment !== null && "key" in segment ? segment.key : segment);

function validateEntry(entry: PutEventsEntry): string | undefined {
  if (!entry.Source) return "Parameter Source is not valid. Reason: Source is a required argument.";
  if (!entry.DetailType) return "Parameter DetailType is not valid. Reason: DetailType is a required argument.";
  if (entry.Detail === undefined) return "Parameter Detail is not valid. Reason: Detail is a required argument.";
  let detail: unknown;
  try {
    detail = JSON.parse(entry.Detail);
  } catch {
    return "Parameter Detail is not valid. Reason: Detail is not valid JSON.";
  }
  if (typeof detail !== "object" || detail === null || Array.isArray(detail)) {
    return "Parameter Detail is not valid. Reason: Detail must be a JSON object.";
  }
  const size = [entry.Source, entry.DetailType, entry.Detail, ...(entry.Resources ?? [])].reduce(
    (n, s) => n + Buffer.byteLength(s, "utf8"),
    entry.Time ? 14 : 0,
  );
  if (size > MAX_EVENT_BYTES) return `Entry is ${size} bytes; the limit is ${MAX_EVENT_BYTES}.`;
  return undefined;
}

/** EventBusName may be a name or an ARN. */
function busNameOf(nameOrArn: string): string {
  const match = /^arn:aws[\w-]*:events:[^:]*:\d*:event-bus\/(.+)$/.exec(nameOrArn);
  return match ? match[1]! : nameOrArn;
}

/** EventBridge event times have second precision. */
function toIsoSeconds(time: string | number | Date): string {
  const ms = time instanceof Date ? time.getTime() : typeof time === "number" ? (time < 1e11 ? time * 1000 : time) : Date.parse(time);
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
}
