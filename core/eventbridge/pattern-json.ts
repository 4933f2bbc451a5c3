import { InvalidEventPatternError } from "./pattern-error";

/**
 * A JSON value as the pattern compiler sees it. Objects keep their entries in order, duplicates included,
 * because AWS (event-ruler) reads patterns as a token stream: a repeated key is processed twice, so nested
 * objects merge and a repeated leaf path overrides the earlier one.
 */
export type JsonNode =
  | { kind: "object"; entries: Array<[string, JsonNode]> }
  | { kind: "array"; items: JsonNode[] }
  | { kind: "string"; value: string }
  | { kind: "number"; value: number; text: string }
  | { kind: "boolean"; value: boolean }
  | { kind: "null" };

/** Describes a node the way event-ruler's messages quote a token. */
export function tokenText(node: JsonNode | undefined): string {
  if (!node) return "]";
  switch (node.kind) {
    case "object":
      return "{";
    case "array":
      return "[";
    case "string":
      return node.value;
    case "number":
      return node.text;
    case "boolean":
      return String(node.value);
    case "null":
      return "null";
  }
}

/** Converts an already-parsed JS value (as JSON.parse would give) to a node; `undefined` members are dropped. */
export function nodeFromValue(value: unknown): JsonNode {
  if (value === null) return { kind: "null" };
  if (typeof value === "string") return { kind: "string", value };
  if (typeof value === "boolean") return { kind: "boolean", value };
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new InvalidEventPatternError(`Non-finite number ${value} is not valid JSON`);
    return { kind: "number", value, text: String(value) };
  }
  if (Array.isArray(value)) return { kind: "array", items: value.map(nodeFromValue) };
  if (typeof value === "object") {
    const entries: Array<[string, JsonNode]> = [];
    for (const [key, member] of Object.entries(value)) {
      if (member !== undefined) entries.push([key, nodeFromValue(member)]);
    }
    return { kind: "object", entries };
  }
  throw new InvalidEventPatternError(`Unsupported ${typeof value} value in pattern`);
}

/** Parses strict JSON text into nodes, keeping duplicate keys. */
export function parseJsonNode(text: string): JsonNode {
  const parser = new NodeParser(text);
  const node = parser.value();
  parser.end();
  return node;
}

class NodeParser {
  private pos = 0;

  constructor(private readonly text: string) {}

  value(): JsonNode {
    this.skipWhitespace();
    const ch = this.text[this.pos];
    if (ch === "{") return this.object();
    if (ch === "[") return this.array();
    if (ch === '"') return { kind: "string", value: this.string() };
    if (ch === "-" || (ch !== undefined && ch >= "0" && ch <= "9")) return this.number();
    for (const [word, node] of LITERALS) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return node;
      }
    }
    return this.fail();
  }

  end(): void {
    this.skipWhitespace();
    if (this.pos < this.text.length) this.fail();
  }

  private object(): JsonNode {
    const entries: Array<[string, JsonNode]> = [];
    this.pos++;
    this.skipWhitespace();
    if (this.text[this.pos] === "}") {
      this.pos++;
      return { kind: "object", entries };
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.pos] !== '"') this.fail();
      const key = this.string();
      this.expect(":");
      entries.push([key, this.value()]);
      this.skipWhitespace();
      const next = this.text[this.pos++];
      if (next === "}") return { kind: "object", entries };
      if (next !== ",") this.fail(-1);
    }
  }

  private array(): JsonNode {
    const items: JsonNode[] = [];
    this.pos++;
    this.skipWhitespace();
    if (this.text[this.pos] === "]") {
      this.pos++;
      return { kind: "array", items };
    }
    for (;;) {
      items.push(this.value());
      this.skipWhitespace();
      const next = this.text[this.pos++];
      if (next === "]") return { kind: "array", items };
      if (next !== ",") this.fail(-1);
    }
  }

  private string(): string {
    const match = STRING_TOKEN.exec(this.text.slice(this.pos));
    if (!match) return this.fail();
    this.pos += match[0].length;
    return JSON.parse(match[0]) as string;
  }

  private number(): JsonNode {
    const match = NUMBER_TOKEN.exec(this.text.slice(this.pos));
    if (!match) return this.fail();
    this.pos += match[0].length;
    return { kind: "number", value: Number(match[0]), text: match[0] };
  }

  private expect(ch: string): void {
    this.skipWhitespace();
    if (this.text[this.pos] !== ch) this.fail();
    this.pos++;
  }

  private skipWhitespace(): void {
    while (this.pos < this.text.length && " \t\n\r".includes(this.text[this.pos] as string)) this.pos++;
  }

  private fail(offset = 0): never {
    const at = this.pos + offset;
    const found = at < this.text.length ? `character '${this.text[at]}'` : "end of input";
    throw new InvalidEventPatternError(`Malformed JSON: unexpected ${found} at position ${at}`);
  }
}

const LITERALS: Array<[string, JsonNode]> = [
  ["true", { kind: "boolean", value: true }],
  ["false", { kind: "boolean", value: false }],
  ["null", { kind: "null" }],
];
const STRING_TOKEN = /^"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/;
const NUMBER_TOKEN = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/;
