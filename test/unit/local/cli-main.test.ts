import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { main } from "../../../local/cli";

/** Runs the CLI and returns its exit code and what it wrote to stderr. */
async function run(argv: string[]): Promise<{ code: number; stderr: string }> {
  const error = vi.spyOn(console, "error").mockImplementation(() => undefined);
  try {
    const code = await main(argv);
    return { code, stderr: error.mock.calls.map((c) => c.join(" ")).join("\n") };
  } finally {
    error.mockRestore();
  }
}

describe("vigil CLI errors", () => {
  it("names bad input on its first line, with exit code 2 and no stack trace", async () => {
    const empty = mkdtempSync(join(tmpdir(), "vigil-cli-"));
    for (const argv of [["replay", join(empty, "missing.jsonl")], ["replay", empty], ["incidents", "--data", join(empty, "none")], ["incidents", "--since", "yesterday", "--data", empty]]) {
      const { code, stderr } = await run(argv);
      expect(code, argv.join(" ")).toBe(2);
      expect(stderr.split("\n")[0], argv.join(" ")).toMatch(/^vigil: /);
      expect(stderr, argv.join(" ")).not.toMatch(/\n\s+at /);
    }
    expect((await run(["replay", empty])).stderr).toBe(`vigil: ${empty} is a directory without events.jsonl: replay takes event files, or a storm directory holding events.jsonl (and topology.json)`);
    expect((await run(["incidents", "--data", join(empty, "none")])).stderr).toMatch(/^vigil: no Vigil data in ".*none": run `vigil replay --data/);
  });

  it("prints the usage with exit code 2 for a command or option it does not know", async () => {
    for (const argv of [["frobnicate"], ["replay"], ["incidents", "--bogus"], ["incidents", "--data", "a", "--table", "b"]]) {
      const { code, stderr } = await run(argv);
      expect(code, argv.join(" ")).toBe(2);
      expect(stderr, argv.join(" ")).toContain("vigil incidents [--data DIR | --table NAME");
    }
  });
});
