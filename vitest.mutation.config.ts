import { existsSync, lstatSync, mkdirSync, readdirSync, readlinkSync, symlinkSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// The tests StrykerJS runs (`pnpm test:mutation`): the unit tests, and the
// pipeline's integration tests, which hold the engine modules' SQL to real
// PostgreSQL and MariaDB (the servers of `pnpm test:integration`; they run
// only for mutants in code they cover). Same resolution as vitest.config.ts: workspace packages resolve to
// their TypeScript source through the "@bruin-ts/source" export condition.
const conditions = ["@bruin-ts/source", "node", "default"];

/**
 * Stryker runs the tests in a copy of the repository (.stryker-tmp/sandbox-*, or
 * a temp folder of another name that starts with .stryker-tmp)
 * whose root node_modules links to the real one, but it cannot copy each
 * package's own node_modules: pnpm's symlinks there. They are recreated here
 * with the same relative targets, so `@bruin-ts/*` resolves to the sandbox's
 * (mutated) packages and other dependencies to the real store.
 */
function linkPackageNodeModules(sandbox: string, original: string): void {
  const copyLinks = (from: string, to: string) => {
    mkdirSync(to, { recursive: true });
    for (const entry of readdirSync(from)) {
      if (entry === ".bin") continue;
      const source = path.join(from, entry);
      const target = path.join(to, entry);
      if (existsSync(target) || lstatSync(target, { throwIfNoEntry: false })) continue;
      const stat = lstatSync(source);
      if (stat.isSymbolicLink()) symlinkSync(readlinkSync(source), target);
      else if (stat.isDirectory()) copyLinks(source, target);
    }
  };
  for (const group of ["packages", "apps", "tooling"]) {
    const dir = path.join(original, group);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) {
      const modules = path.join(dir, name, "node_modules");
      if (existsSync(path.join(sandbox, group, name)) && existsSync(modules))
        copyLinks(modules, path.join(sandbox, group, name, "node_modules"));
    }
  }
}

const here = path.dirname(fileURLToPath(import.meta.url));
if (path.basename(path.dirname(here)).startsWith(".stryker-tmp"))
  linkPackageNodeModules(here, path.resolve(here, "..", ".."));

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ["@bruin-ts/source"] } },
  test: {
    include: ["{packages,apps,tooling}/*/src/**/*.test.ts"],
    exclude: [
      "{apps,tooling}/*/src/**/*.int.test.ts",
      "packages/!(pipeline)/src/**/*.int.test.ts",
      "**/node_modules/**",
      "**/dist/**",
      // Stryker runs vitest in worker threads, where process.chdir() is not allowed; these
      // test how paths are shown relative to the working directory, not the mutated files.
      "packages/pipeline/src/load-issues.test.ts",
      "packages/pipeline/src/tolerance.test.ts",
      "packages/pipeline/src/yaml-files.test.ts",
      // A time bound on masking 10 MB, which the instrumented redactor cannot meet; its results are checked elsewhere too.
      "packages/secrets-core/src/redactor-performance.test.ts",
      // A change of process.env.TZ moves the time zone of the process, not of a worker thread.
      "apps/cli/src/interval-zone.test.ts",
    ],
    testTimeout: 20_000,
  },
});
