import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "policy/**/*.test.ts"],
    // Mocks must be installed before any program module is imported.
    setupFiles: ["test/harness/setup.ts"],
    // Integration suites start real servers; give them room, but never rely on timing for correctness.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});
