import { InvalidEventPatternError } from "./pattern-error";

/**
 * A case-insensitive pattern: for each UTF-16 unit of the pattern, the lower- and upper-case forms it accepts
 * (event-ruler's EqualsIgnoreCaseParser; the two forms can differ in length, e.g. "ß" and "SS").
 */
export type CaseFolded = ReadonlyArray<readonly string[]>;

/** Builds the per-character alternatives for an equals-ignore-case style pattern. */
export function foldCase(pattern: string): CaseFolded {
  const units: string[][] = [];
  for (let i = 0; i < pattern.length; i++) {
    const unit = pattern.charAt(i);
    const lower = unit.toLowerCase();
    const upper = unit.toUpperCase();
    units.push(lower === upper ? [lower] : [lower, upper]);
  }
  return units;
}

/**
 * Matches `value` against folded units from its start ("whole" or "prefix") or from its end ("suffix").
 * Tracks every reachable offset, since alternatives of different lengths make greedy matching unsafe.
 */
export function matchesFolded(units: CaseFolded, value: string, mode: "whole" | "prefix" | "suffix"): boolean {
  const fromEnd = mode === "suffix";
  let offsets = new Set<number>([0]);
  for (let u = 0; u < units.length; u++) {
    const alternatives = units[fromEnd ? units.length - 1 - u : u] as readonly string[];
    const next = new Set<number>();
    for (const offset of offsets) {
      for (const alt of alternatives) {
        const start = fromEnd ? value.length - offset - alt.length : offset;
        if (start >= 0 && value.startsWith(alt, start)) next.add(offset + alt.length);
      }
    }
    if (next.size === 0) return false;
    offsets = next;
  }
  return mode !== "whole" || offsets.has(value.length);
}

/** A parsed wildcard pattern: literal segments separated by `*`. */
export interface Wildcard {
  readonly segments: readonly string[];
}

/**
 * Parses a wildcard pattern (`*` any run of characters, `\*` and `\\` escapes). Positions in errors are byte
 * offsets in the quoted value, as AWS reports them.
 */
export function parseWildcard(pattern: string): Wildcard {
  const bytes = Buffer.from(pattern, "utf8");
  const segments: string[] = [];
  let current: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i] as number;
    if (byte === STAR) {
      if (bytes[i + 1] === STAR) throw new InvalidEventPatternError(`Consecutive wildcard characters at pos ${i + 1}`);
      segments.push(Buffer.from(current).toString("utf8"));
      current = [];
    } else if (byte === BACKSLASH) {
      const next = bytes[i + 1];
      if (next !== STAR && next !== BACKSLASH) {
        throw new InvalidEventPatternError(`Invalid escape character at pos ${i + 1}`);
      }
      current.push(next);
      i++;
    } else {
      current.push(byte);
    }
  }
  segments.push(Buffer.from(current).toString("utf8"));
  return { segments };
}

/** Glob match of a whole string: first and last segments anchor, the middle ones are found leftmost-first. */
export function matchesWildcard(wildcard: Wildcard, value: string): boolean {
  const { segments } = wildcard;
  const first = segments[0] as string;
  if (segments.length === 1) return value === first;
  const last = segments[segments.length - 1] as string;
  if (value.length < first.length + last.length || !value.startsWith(first) || !value.endsWith(last)) return false;
  let offset = first.length;
  const end = value.length - last.length;
  for (let i = 1; i < segments.length - 1; i++) {
    const segment = segments[i] as string;
    const found = value.indexOf(segment, offset);
    if (found === -1 || found + segment.length > end) return false;
    offset = found + segment.length;
  }
  return true;
}

/**
 * The most wildcards of a pattern that can be live at once while reading some input (for `*:*:*` and input
 * `:::`, all three): a stand-in for event-ruler's MachineComplexityEvaluator, which AWS uses to reject patterns
 * whose matching cost explodes.
 */
export function wildcardComplexity(pattern: string): number {
  // Tokens over the quoted UTF-8 bytes; -1 marks a wildcard.
  const tokens: number[] = [QUOTE];
  const bytes = Buffer.from(pattern, "utf8");
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i] as number;
    if (byte === BACKSLASH) tokens.push(bytes[++i] as number);
    else tokens.push(byte === STAR ? -1 : byte);
  }
  tokens.push(QUOTE);
  if (!tokens.includes(-1)) return 0;
  const closure = (states: Iterable<number>): number[] => {
    const out = new Set<number>();
    for (let s of states) {
      out.add(s);
      while (tokens[s] === -1) out.add(++s);
    }
    return [...out].sort((a, b) => a - b);
  };
  const alphabet = [...new Set(tokens.filter((t) => t >= 0)), OTHER_BYTE];
  const seen = new Set<string>();
  const pending = [closure([0])];
  let worst = 0;
  while (pending.length > 0) {
    const active = pending.pop() as number[];
    worst = Math.max(worst, active.filter((s) => tokens[s] === -1).length);
    for (const byte of alphabet) {
      const next = closure(active.flatMap((s) => (tokens[s] === -1 ? [s] : tokens[s] === byte ? [s + 1] : [])));
      const key = next.join(",");
      if (next.length > 0 && !seen.has(key)) {
        seen.add(key);
        pending.push(next);
      }
    }
  }
  return worst;
}

const STAR = 0x2a;
const BACKSLASH = 0x5c;
const QUOTE = 0x22;
// Stands for every byte that appears nowhere in the pattern.
const OTHER_BYTE = 256;
