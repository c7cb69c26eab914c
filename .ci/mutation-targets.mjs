#!/usr/bin/env node
// Prints, comma-separated, the files `pnpm test:mutation` mutates (stryker.config.mjs) that
// this change touched and that have results in .stryker/incremental.json, so CI re-runs only
// their changed mutants: changed since MUTATION_BASE when set, else since the commit that last
// updated that file, plus uncommitted changes. A touched file without results there yet is
// named on stderr and left to the full run (CONTRIBUTING.md, "Mutation testing").
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { default: config } = await import(path.join(root, "stryker.config.mjs"));
const git = (...args) => {
  try {
    return execFileSync("git", args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return undefined;
  }
};

const incremental = path.join(root, config.incrementalFile);
const baseline = existsSync(incremental)
  ? new Set(Object.keys(JSON.parse(readFileSync(incremental, "utf8")).files))
  : new Set();
const base = process.env.MUTATION_BASE || git("log", "-1", "--format=%H", "--", config.incrementalFile);
const known = base !== undefined && base !== "" && git("cat-file", "-e", `${base}^{commit}`) !== undefined;
const changed = new Set(
  (known ? [git("diff", "--name-only", base, "HEAD"), git("diff", "--name-only", "HEAD")] : [])
    .flatMap((out) => (out ?? "").split("\n"))
    .filter(Boolean),
);
const touched = known ? config.mutate.filter((file) => changed.has(file)) : [];
const unmeasured = touched.filter((file) => !baseline.has(file));
if (!known)
  process.stderr.write(`mutation testing: no commit of ${config.incrementalFile} to compare with; nothing selected\n`);
if (unmeasured.length > 0) {
  process.stderr.write(
    `mutation testing: no earlier results for ${unmeasured.join(", ")}; left to the full run (pnpm test:mutation --incremental)\n`,
  );
}
process.stdout.write(touched.filter((file) => baseline.has(file)).join(","));
