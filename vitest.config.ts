import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Keep two workers: CI machines have two cores.
    maxWorkers: 2,
    // Pinned SDK versions; Lambda runs Node 22. The Node 20 end-of-support notice is noise here.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
  },
});
