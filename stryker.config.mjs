/**
 * Mutation testing (StrykerJS): `pnpm test:mutation` mutates the files where a
 * silent bug costs data or secrets, runs the unit tests against each mutant
 * and writes reports/mutation/index.html and mutation.json (git ignores
 * reports/). `pnpm test:mutation --mutate <file>` narrows it to one file.
 * CI runs it with --incremental on the files a change touched: results of
 * unchanged code and tests are taken from .stryker/incremental.json, which is
 * committed. See CONTRIBUTING.md, "Mutation testing".
 */
export default {
  packageManager: "pnpm",
  testRunner: "vitest",
  plugins: ["@stryker-mutator/vitest-runner"],
  vitest: { configFile: "vitest.mutation.config.ts", related: true },
  coverageAnalysis: "perTest",
  mutate: [
    "packages/secrets-core/src/redactor.ts",
    "packages/secrets-core/src/resolver.ts",
    "packages/secrets-core/src/errors.ts",
    "packages/connections/src/schemas.ts",
    "packages/connections/src/fields.ts",
    "packages/connections/src/validate.ts",
    "packages/pipeline/src/incremental.ts",
    "packages/pipeline/src/materialize.ts",
    // create+replace, the incremental strategies and the checks' SQL, per engine.
    "packages/pipeline/src/engines/ansi.ts",
    "packages/pipeline/src/engines/ansi-incremental.ts",
    "packages/pipeline/src/engines/duckdb.ts",
    "packages/pipeline/src/engines/postgres.ts",
    "packages/pipeline/src/engines/mysql.ts",
    "packages/pipeline/src/checks.ts",
    "packages/pipeline/src/scheduler.ts",
    "packages/backend-infisical/src/transport.ts",
    "packages/backend-infisical/src/token-manager.ts",
    "packages/backend-infisical/src/config.ts",
    "apps/cli/src/errors.ts",
    "apps/cli/src/report.ts",
    "apps/cli/src/interval.ts",
  ],
  // Two cores: one mutant at a time by default (--concurrency 2 on a machine of your own).
  concurrency: 1,
  timeoutMS: 10_000,
  // The first, unmutated run of every covering test (CLI tests in child processes included) takes minutes on
  // two cores; Stryker's default limit of 5 minutes fails the whole run on a loaded machine.
  dryRunTimeoutMinutes: 30,
  // Mutants in code that runs once at import (constants, schemas) are still tested; only their
  // per-test coverage is unknown, so they run against every test.
  ignoreStatic: false,
  reporters: ["html", "json", "clear-text", "progress"],
  htmlReporter: { fileName: "reports/mutation/index.html" },
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  incrementalFile: ".stryker/incremental.json",
  tempDirName: ".stryker-tmp",
  cleanTempDir: "always",
  thresholds: { high: 85, low: 70, break: null },
  ignorePatterns: ["coverage", "reports", ".turbo", "**/*.duckdb", "**/*.duckdb.wal", "examples/*/data"],
};
