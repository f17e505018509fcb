import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

// .ci/run asks for a machine-readable report to print its one-line summary.
const jsonReport = process.env.VITEST_JSON_REPORT;

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "policy/**/*.test.ts"],
    // Mocks must be installed before any program module is imported.
    setupFiles: ["test/harness/setup.ts"],
    // Integration suites start real servers; give them room, but never rely on timing for correctness.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    // One module registry per worker, not per file: every file imports @pulumi/pulumi, the provider SDKs and the
    // program (seconds each), and the plans reset the mocks, config and recorder they use before each run.
    isolate: false,
    // Vitest's default is one worker fewer than the cores: a single worker on a 2-core machine. The main process
    // only schedules and reports, so every core runs a test file.
    maxWorkers: availableParallelism(),
    reporters: jsonReport ? ["default", ["json", { outputFile: jsonReport }]] : ["default"],
  },
});
