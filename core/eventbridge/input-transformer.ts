/** An InputTransformer or InputPath that EventBridge would refuse, or a template that cannot render. */
export class InputTransformerError extends Error {
  override readonly name = "InputTransformerError";
  readonly code = "eventbridge.invalid_input_transformer";
}

/** The shape of an EventBridge target's InputTransformer. */
export interface InputTransformer {
  InputPathsMap?: Record<string, string>;
  InputTemplate: string;
}

/** What EventBridge knows about the delivery, for the reserved `<aws.events.*>` placeholders. */
export interface TransformContext {
  ruleArn?: string;
  ruleName?: string;
  /** ISO-8601 time the bus received the event. */
  ingestionTime?: string;
}

const MAX_VARIABLES = 100;
const VARIABLE_NAME = /^[A-Za-z0-9_-]+$/;
const PLACEHOLDERS = /<([A-Za-z0-9_.-]+)>/g;
const PLACEHOLDER_HERE = /<([A-Za-z0-9_.-]+)>/y;
const RESERVED = new Set([
  "aws.events.rule-arn",
  "aws.events.rule-name",
  "aws.events.event",
  "aws.events.event.ingestion-time",
  "aws.events.event.json",
]);

/** Reserved variables AWS inserts unescaped, so they may only stand alone as a JSON value. */
const JSON_VALUE_ONLY = new Set(["aws.events.event", "aws.events.event.json"]);

type PathStep = { key: string } | { index: number } | { wildcard: true };

/** Parses `$`, `$.a.b`, `$.list[0]`, `$.items[*].id` / `$.detail.*` into steps. */
function parsePath(path: string): PathStep[] {
  if (!path.startsWith("$")) throw new InputTransformerError(`JSON path "${path}" must start with "$"`);
  const steps: PathStep[] = [];
  const step = /\.([^.[\]]+)|\[(\d+|\*)\]/y;
  step.lastIndex = 1;
  while (step.lastIndex < path.length) {
    const at = step.lastIndex;
    const match = step.exec(path);
    if (!match) throw new InputTransformerError(`JSON path "${path}" is not valid at position ${at}`);
    const [, key, bracket] = match;
    if (key === "*" || bracket === "*") steps.push({ wildcard: true });
    else if (key !== undefined) steps.push({ key });
    else steps.push({ index: Number(bracket) });
  }
  return steps;
}

/** Values found along a path; a wildcard step fans out over array elements or object members. */
function select(value: unknown, steps: readonly PathStep[]): unknown[] {
  let current: unknown[] = [value];
  for (const step of steps) {
    const next: unknown[] = [];
    for (const node of current) {
      if (node === null || typeof node !== "object") continue;
      if ("wildcard" in step) next.push(...(Array.isArray(node) ? node : Object.values(node)));
      else if ("index" in step) {
        if (Array.isArray(node) && step.index < node.length) next.push(node[step.index]);
      } else if (!Array.isArray(node) && Object.hasOwn(node, step.key)) {
        next.push((node as Record<string, unknown>)[step.key]);
      }
    }
    current = next;
  }
  return current;
}

/** The value at a JSON path: a single value, an array for wildcard paths, or undefined when absent. */
function resolvePath(path: string, event: unknown): unknown {
  const steps = parsePath(path);
  const found = select(event, steps);
  return steps.some((s) => "wildcard" in s) ? found : found[0];
}

/**
 * Applies a target's plain `InputPath`: the part of the event the target receives.
 *
 * @throws InputTransformerError for a path that is not `$`-rooted dot/index notation.
 * @returns the selected value, or null when the event has nothing there.
 */
export function applyInputPath(path: string, event: Record<string, unknown>): unknown {
  return resolvePath(path, event) ?? null;
}

function resolveVariables(
  transformer: InputTransformer,
  event: Record<string, unknown>,
  context: TransformContext,
): Map<string, unknown> {
  const paths = Object.entries(transformer.InputPathsMap ?? {});
  if (paths.length > MAX_VARIABLES) {
    throw new InputTransformerError(`InputPathsMap has ${paths.length} entries; at most ${MAX_VARIABLES} are allowed`);
  }
  const variables = new Map<string, unknown>();
  for (const [name, path] of paths) {
    if (!VARIABLE_NAME.test(name) || name.toLowerCase().startsWith("aws.")) {
      throw new InputTransformerError(`InputPathsMap key "${name}" is not a valid variable name`);
    }
    variables.set(name, resolvePath(path, event));
  }
  variables.set("aws.events.rule-arn", context.ruleArn);
  variables.set("aws.events.rule-name", context.ruleName);
  variables.set("aws.events.event.ingestion-time", context.ingestionTime);
  // AWS: `aws.events.event` is the event without its `detail`; `aws.events.event.json` is the whole event.
  variables.set("aws.events.event", Object.fromEntries(Object.entries(event).filter(([key]) => key !== "detail")));
  variables.set("aws.events.event.json", event);
  return variables;
}

const asText = (value: unknown): string =>
  value === undefined ? "" : typeof value === "string" ? value : JSON.stringify(value);

/**
 * Renders a JSON template. A placeholder inside a string literal gets the value's text JSON-escaped (no quotes);
 * one standing alone as a JSON value gets the value as JSON (strings quoted), or null when the path is missing.
 */
function renderJson(template: string, lookup: (name: string) => unknown): string {
  let out = "";
  let inString = false;
  let stringHasPlaceholder = false;
  for (let i = 0; i < template.length; i++) {
    const ch = template.charAt(i);
    if (ch === "<") {
      PLACEHOLDER_HERE.lastIndex = i;
      const match = PLACEHOLDER_HERE.exec(template);
      if (match) {
        const name = match[1] as string;
        const value = lookup(name);
        if (inString && JSON_VALUE_ONLY.has(name)) {
          throw new InputTransformerError(`InputTemplate puts <${name}> inside a string; AWS inserts it unescaped, so use it only as a JSON value`);
        }
        if (inString) {
          out += JSON.stringify(asText(value)).slice(1, -1);
          stringHasPlaceholder = true;
        } else {
          out += value === undefined ? "null" : JSON.stringify(value);
        }
        i += match[0].length - 1;
        continue;
      }
    }
    out += ch;
    if (inString && ch === "\\") {
      out += template.charAt(++i);
    } else if (ch === '"') {
      inString = !inString;
      if (!inString && stringHasPlaceholder && /^\s*:/.test(template.slice(i + 1))) {
        throw new InputTransformerError("InputTemplate uses a placeholder in an object key, which EventBridge forbids");
      }
      if (inString) stringHasPlaceholder = false;
    }
  }
  try {
    JSON.parse(out);
  } catch (error) {
    throw new InputTransformerError(`InputTemplate does not render to valid JSON: ${(error as Error).message}`);
  }
  return out;
}

/**
 * Renders an EventBridge InputTransformer for one event, as the target would receive it.
 *
 * Templates that are JSON (an object, array or string literal) are filled JSON-aware; any other template is
 * plain text, where strings go in raw, other values as JSON, and missing paths as the empty string.
 *
 * @throws InputTransformerError for more than 100 variables, a bad variable name or path, a placeholder with no
 *   variable, a placeholder used as an object key, `<aws.events.event>` or `<aws.events.event.json>` inside a string,
 *   or a JSON template that renders to invalid JSON.
 */
export function applyInputTransformer(
  transformer: InputTransformer,
  event: Record<string, unknown>,
  context: TransformContext = {},
): string {
  const variables = resolveVariables(transformer, event, context);
  const lookup = (name: string): unknown => {
    if (!variables.has(name) && !RESERVED.has(name)) {
      throw new InputTransformerError(`InputTemplate placeholder <${name}> is not defined in InputPathsMap`);
    }
    return variables.get(name);
  };
  const template = transformer.InputTemplate;
  if (/^\s*[{["]/.test(template)) return renderJson(template, lookup);
  return template.replace(PLACEHOLDERS, (_, name: string) => asText(lookup(name)));
}
