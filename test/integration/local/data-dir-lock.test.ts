import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultConfig } from "../../../core/config";
import { assertDataDirFree, DataDirInUseError } from "../../../local/data-dir-lock";
import { startRuntime } from "../../../local/runtime";

describe("a data directory in use", () => {
  it("is refused while a runtime holds it, with how to read through that runtime, and free once it closed", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vigil-data-"));
    const runtime = await startRuntime({ config: defaultConfig(), dataDir: dir });
    try {
      const refused = assertDataDirFree(dir);
      await expect(refused).rejects.toBeInstanceOf(DataDirInUseError);
      await expect(refused).rejects.toThrow(`AWS_ENDPOINT_URL_DYNAMODB=${runtime.endpoint} npx vigil incidents --table ${runtime.names.table}`);
      // A second runtime on the same directory fails before it starts, not inside a request.
      await expect(startRuntime({ config: defaultConfig(), dataDir: dir })).rejects.toThrow(/is open in another Vigil process/);
    } finally {
      await runtime.close();
    }
    await expect(assertDataDirFree(dir)).resolves.toBeUndefined();
    expect(existsSync(join(dir, "runtime.json"))).toBe(false);
  });
});
