import { InvalidEventPatternError } from "./pattern-error";
import { cidrRange, ipExactRange, type IpRange } from "./pattern-ip";
import { tokenText, type JsonNode } from "./pattern-json";
import { foldCase, parseWildcard, wildcardComplexity, type CaseFolded, type Wildcard } from "./pattern-text";

/** One alternative a field value may satisfy; a field's tests are OR-ed. */
export type ValueTest =
  | { kind: "string"; value: string }
  | { kind: "literal"; value: boolean | null }
  | { kind: "number"; value: number }
  | { kind: "range"; low: number; lowOpen: boolean; high: number; highOpen: boolean }
  | { kind: "ip"; range: IpRange }
  | { kind: "prefix" | "suffix"; value: string }
  | { kind: "folded"; units: CaseFolded; mode: "whole" | "prefix" | "suffix" }
  | { kind: "wildcard"; wildcard: Wildcard; source: string }
  | { kind: "not-strings"; values: ReadonlySet<string> }
  | { kind: "not-numbers"; values: readonly number[] }
  | { kind: "not-folded"; values: readonly CaseFolded[] }
  | { kind: "not-prefix" | "not-suffix"; values: readonly string[] }
  | { kind: "not-wildcard"; wildcards: readonly Wildcard[]; sources: readonly string[] }
  | { kind: "exists" }
  | { kind: "absent" };

/** One `$or` branch, flattened: dotted field path to the tests its value must pass (fields are AND-ed). */
export type SubRule = Map<string, ValueTest[]>;

// Field names event-ruler reserves inside `$or` branches.
const RESERVED_IN_OR = new Set([
  "exactly", "equals-ignore-case", "prefix", "suffix", "anything-but", "exists", "wildcard", "numeric", "cidr",
  "=", "<", "<=", ">", ">=", "regex", "not-wildcard", "not-equals-ignore-case", "date-after", "date-on-or-after",
  "date-before", "date-on-or-before", "in-date-range", "ip-address-in-range", "ip-address-not-in-range",
]);

// AWS rejects a field whose wildcard patterns could keep more wildcards live than this at once; the figure
// reproduces AWS's verdicts on known patterns (it accepts four `*.ext` filters, rejects four `*/dir/*.ext`).
const MAX_WILDCARD_COMPLEXITY = 5;

function fail(reason: string): never {
  throw new InvalidEventPatternError(reason);
}

/**
 * Compiles a pattern the way event-ruler's JsonRuleCompiler does: nested keys become dotted paths, each `$or`
 * forks the branches built so far, and a path written twice keeps its last value.
 */
export function compileSubRules(root: JsonNode): SubRule[] {
  if (root.kind !== "object") fail("Filter is not an object");
  const rules: SubRule[] = [];
  parseObject(rules, [], root, false);
  for (const rule of rules) for (const tests of rule.values()) checkWildcardComplexity(tests);
  return rules;
}

function parseObject(rules: SubRule[], path: string[], node: Extract<JsonNode, { kind: "object" }>, inOr: boolean): void {
  if (node.entries.length === 0) fail("Empty objects are not allowed");
  for (const [key, value] of node.entries) {
    if (key === "$or") {
      parseOr(rules, path, value);
      continue;
    }
    if (inOr && RESERVED_IN_OR.has(key)) fail(`${key} is Ruler reserved fieldName which cannot be used inside $or.`);
    if (value.kind === "object") parseObject(rules, [...path, key], value, inOr);
    else if (value.kind === "array") writeField(rules, [...path, key].join("."), value.items);
    else fail(`"${key}" must be an object or an array`);
  }
}

function parseOr(rules: SubRule[], path: string[], node: JsonNode): void {
  if (node.kind !== "array") return fail("It must be an Array followed with $or.");
  const before = rules.map((rule) => new Map(rule));
  rules.length = 0;
  for (const branch of node.items) {
    if (branch.kind !== "object") fail("Only JSON object is allowed in array of $or relationship.");
    const forked = before.length > 0 ? before.map((rule) => new Map(rule)) : [new Map()];
    parseObject(forked, path, branch, true);
    rules.push(...forked);
  }
  if (node.items.length < 2) fail("There must have at least 2 Objects in $or relationship.");
}

function writeField(rules: SubRule[], name: string, items: JsonNode[]): void {
  const tests: ValueTest[] = [];
  for (const item of items) {
    switch (item.kind) {
      case "object":
        tests.push(matchExpression(item.entries));
        break;
      case "string":
        tests.push(stringTest(item.value));
        break;
      case "number":
        tests.push({ kind: "number", value: item.value });
        break;
      case "boolean":
        tests.push({ kind: "literal", value: item.value });
        break;
      case "null":
        tests.push({ kind: "literal", value: null });
        break;
      default:
        fail("Match value must be String, number, true, false, or null");
    }
  }
  if (tests.length === 0) fail("Empty arrays are not allowed");
  if (rules.length === 0) rules.push(new Map());
  for (const rule of rules) rule.set(name, tests);
}

/** A plain string in a pattern matches itself, except that an IP literal matches any spelling of that address. */
function stringTest(value: string): ValueTest {
  const range = ipExactRange(value);
  return range ? { kind: "ip", range } : { kind: "string", value };
}

function matchExpression(entries: Array<[string, JsonNode]>): ValueTest {
  const first = entries[0];
  if (!first) return fail("Match expression name not found");
  const [name, value] = first;
  const onlyOneKey = (message = "Only one key allowed in match expression"): void => {
    if (entries.length > 1) fail(message);
  };
  switch (name) {
    case "exactly": {
      if (value.kind !== "string") fail("exact match pattern must be a string");
      onlyOneKey();
      return { kind: "string", value: value.value };
    }
    case "prefix":
    case "suffix": {
      if (value.kind === "object") {
        const test = ignoreCaseAffix(name, value.entries);
        onlyOneKey();
        return test;
      }
      if (value.kind !== "string") fail(`${name} match pattern must be a string`);
      onlyOneKey();
      return { kind: name, value: value.value };
    }
    case "numeric": {
      if (value.kind !== "array") fail("Value of numeric must be an array.");
      const test = numericExpression(value.items);
      onlyOneKey("Too many elements in numeric expression");
      return test;
    }
    case "anything-but": {
      const test = anythingBut(value);
      onlyOneKey("Too many elements in numeric expression");
      return test;
    }
    case "exists": {
      if (value.kind !== "boolean") fail("exists match pattern must be either true or false.");
      onlyOneKey();
      return { kind: value.value ? "exists" : "absent" };
    }
    case "cidr": {
      // AWS really does report a non-string cidr as a prefix problem.
      if (value.kind !== "string") fail("prefix match pattern must be a string");
      const range = cidrRange(value.value);
      onlyOneKey();
      return { kind: "ip", range };
    }
    case "equals-ignore-case": {
      if (value.kind !== "string") fail("equals-ignore-case match pattern must be a string");
      onlyOneKey();
      return { kind: "folded", units: foldCase(value.value), mode: "whole" };
    }
    case "wildcard": {
      if (value.kind !== "string") fail("wildcard match pattern must be a string");
      const source = value.value;
      const wildcard = parseWildcard(source);
      onlyOneKey();
      return { kind: "wildcard", wildcard, source };
    }
    default:
      return fail(`Unrecognized match type ${name}`);
  }
}

function ignoreCaseAffix(name: "prefix" | "suffix", entries: Array<[string, JsonNode]>): ValueTest {
  const label = name === "prefix" ? "Prefix" : "Suffix";
  const first = entries[0];
  if (!first) return fail(`${label} expression name not found`);
  const [op, value] = first;
  if (op !== "equals-ignore-case") fail(`Unsupported ${name} pattern: ${op}`);
  if (value.kind !== "string") fail("equals-ignore-case match pattern must be a string");
  if (entries.length > 1) fail("Only one key allowed in match expression");
  return { kind: "folded", units: foldCase(value.value), mode: name };
}

function numericExpression(items: JsonNode[]): ValueTest {
  const [opNode, valueNode, ...rest] = items;
  if (opNode?.kind !== "string") return fail(`Invalid member in numeric match: ${tokenText(opNode)}`);
  const op = opNode.value;
  const operand = (label: string, node: JsonNode | undefined): number =>
    node?.kind === "number" ? node.value : fail(`Value of ${label} must be numeric`);
  const noMore = (extra: JsonNode[]): void => {
    if (extra.length > 0) fail("Too many elements in numeric expression");
  };
  switch (op) {
    case "=": {
      const value = operand("equals", valueNode);
      noMore(rest);
      return { kind: "number", value };
    }
    case "<":
    case "<=": {
      const high = operand(op, valueNode);
      noMore(rest);
      return { kind: "range", low: -Infinity, lowOpen: false, high, highOpen: op === "<" };
    }
    case ">":
    case ">=": {
      const low = operand(op, valueNode);
      const lowOpen = op === ">";
      if (rest.length === 0) return { kind: "range", low, lowOpen, high: Infinity, highOpen: false };
      const [topOp, topNode, ...extra] = rest;
      if (topOp?.kind !== "string") return fail(`Bad value in numeric range: ${tokenText(topOp)}`);
      if (topOp.value !== "<" && topOp.value !== "<=") fail(`Bad numeric range operator: ${topOp.value}`);
      const high = operand(topOp.value, topNode);
      if (extra.length > 0) fail("Too many terms in numeric range expression");
      if (low >= high) fail("Bottom must be less than top");
      return { kind: "range", low, lowOpen, high, highOpen: topOp.value === "<" };
    }
    default:
      return fail(`Unrecognized numeric range operator: ${op}`);
  }
}

function anythingBut(value: JsonNode): ValueTest {
  if (value.kind === "object") {
    const first = value.entries[0];
    if (!first) return fail("Anything-But expression name not found");
    const [op, operand] = first;
    if (!["equals-ignore-case", "prefix", "suffix", "wildcard"].includes(op)) {
      fail(`Unsupported anything-but pattern: ${op}`);
    }
    const test = anythingButSet(op, operand);
    if (value.entries.length > 1) fail("Too many elements in numeric expression");
    return test;
  }
  if (value.kind === "array") return anythingButList(value.items);
  if (value.kind === "string") return { kind: "not-strings", values: new Set([value.value]) };
  if (value.kind === "number") return { kind: "not-numbers", values: [value.value] };
  return fail("Value of anything-but must be an array or single string/number value.");
}

function anythingButList(items: JsonNode[]): ValueTest {
  const strings = new Set<string>();
  const numbers: number[] = [];
  for (const item of items) {
    if (item.kind === "string") strings.add(item.value);
    else if (item.kind === "number") numbers.push(item.value);
    else fail("Inside anything but list, start|null|boolean is not supported.");
  }
  if ((strings.size > 0) === (numbers.length > 0)) {
    fail("Inside anything but list, either all values are number or string, mixed type is not supported");
  }
  return strings.size > 0 ? { kind: "not-strings", values: strings } : { kind: "not-numbers", values: numbers };
}

function anythingButSet(op: string, operand: JsonNode): ValueTest {
  if (operand.kind !== "array" && operand.kind !== "string" && operand.kind !== "number") {
    fail("Value of anything-but must be an array or single string/number value.");
  }
  const items = operand.kind === "array" ? operand.items : [operand];
  const values = items.map((item) => {
    if (item.kind === "string") {
      if ((op === "prefix" || op === "suffix") && item.value === "") fail("Null prefix/suffix not allowed");
      return item.value;
    }
    if (op === "equals-ignore-case") {
      return fail("Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.");
    }
    return fail(op === "wildcard" ? "wildcard match pattern must be a string" : "prefix/suffix match pattern must be a string");
  });
  switch (op) {
    case "equals-ignore-case":
      return { kind: "not-folded", values: values.map(foldCase) };
    case "wildcard":
      return { kind: "not-wildcard", wildcards: values.map(parseWildcard), sources: values };
    default:
      return { kind: op === "prefix" ? "not-prefix" : "not-suffix", values };
  }
}

function checkWildcardComplexity(tests: readonly ValueTest[]): void {
  let total = 0;
  for (const test of tests) {
    if (test.kind === "wildcard") total += wildcardComplexity(test.source);
    else if (test.kind === "not-wildcard") for (const source of test.sources) total += wildcardComplexity(source);
  }
  if (total > MAX_WILDCARD_COMPLEXITY) {
    fail(
      "Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a wildcard character",
    );
  }
}
