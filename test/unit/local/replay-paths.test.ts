import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ReplayPathError, resolveReplayInputs } from "../../../local/replay-paths";

let root: string;
const storm = (name: string, withTopology: boolean) => {
  const dir = join(root, name);
  mkdirSync(dir);
  writeFileSync(join(dir, "events.jsonl"), "");
  if (withTopology) writeFileSync(join(dir, "topology.json"), "{}");
  return dir;
};

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "vigil-replay-paths-"));
  storm("small-1", true);
  storm("small-2", true);
  storm("bare", false);
  mkdirSync(join(root, "empty"));
  writeFileSync(join(root, "more.jsonl"), "");
});

describe("resolveReplayInputs", () => {
  it("replays a storm directory's events.jsonl with its topology.json", () => {
    expect(resolveReplayInputs([join(root, "small-1"), join(root, "more.jsonl")])).toEqual({
      files: [join(root, "small-1", "events.jsonl"), join(root, "more.jsonl")],
      topology: join(root, "small-1", "topology.json"),
    });
  });

  it("keeps --topology over the directory's own, and needs none for a directory without one", () => {
    expect(resolveReplayInputs([join(root, "small-1")], "mine.json").topology).toBe("mine.json");
    expect(resolveReplayInputs([join(root, "bare")])).toEqual({ files: [join(root, "bare", "events.jsonl")], topology: undefined });
  });

  it("names what is wrong: a missing path, a directory without events, two topologies", () => {
    expect(() => resolveReplayInputs([join(root, "nope.jsonl")])).toThrow(new ReplayPathError(`${join(root, "nope.jsonl")}: no such file or directory`));
    expect(() => resolveReplayInputs([join(root, "empty")])).toThrow(/empty is a directory without events\.jsonl/);
    expect(() => resolveReplayInputs([join(root, "small-1"), join(root, "small-2")])).toThrow(/two topologies; name the one to group by with --topology/);
    expect(resolveReplayInputs([join(root, "small-1"), join(root, "small-2")], "t.json").files).toHaveLength(2);
  });
});
