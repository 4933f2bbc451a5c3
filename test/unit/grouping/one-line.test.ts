import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { oneLine } from "../../../core/grouping/alert";

/** What `oneLine` must equal: every whitespace run one space, trimmed, cut to 1024 characters. */
const reference = (text: string) => {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= 1024 ? flat : `${flat.slice(0, 1023)}…`;
};

// Words and every kind of whitespace JavaScript's \s knows, in runs, at the ends, mixed.
const piece = fc.constantFrom("a", "b", "word", " ", "  ", "\t", "\n", "\r\n", "\u00a0", "\u2028", "\ufeff", "\u3000");

describe("oneLine", () => {
  it("flattens and trims whitespace exactly as a whitespace-run replace does", () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        const text = pieces.join("");
        expect(oneLine(text)).toBe(reference(text));
      }),
      { numRuns: 2_000 },
    );
  });

  it("cuts text longer than 1024 characters with an ellipsis", () => {
    expect(oneLine(`${"x".repeat(2_000)}`)).toHaveLength(1024);
    expect(oneLine(`${"x".repeat(2_000)}`).endsWith("…")).toBe(true);
  });
});
