#!/usr/bin/env node
// `pnpm lint` (this package's lint script): no code outside the engine
// modules branches on an engine. Everything engine-specific lives in one
// module per engine (packages/connections/src/engines/*.ts for the connection
// type, dialect and opener; packages/pipeline/src/engines/*.ts for asset
// types, capabilities and SQL), listed in each folder's index.ts. Elsewhere,
// code asks the engine (`engineForDialect(dialect).replaceTable(...)`,
// `dialect.limitRows(...)`) instead of testing its name.
//
// Flagged in non-test TypeScript under packages/*/src and apps/*/src:
// - a comparison with or switch on `dialect.name`;
// - a string literal naming an engine: a connection type, an alias, a dialect
//   or an asset type, as the engine modules declare them (so a new engine is
//   covered without editing this file).
// Usage: node engine-branches.mjs [repository root]
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** Files where naming engines is their purpose, relative to the root. */
const ALLOWED = [
  /^packages\/connections\/src\/engines\//,
  /^packages\/pipeline\/src\/engines\//,
  // One driver adapter and one driver configuration per engine.
  /^packages\/connections\/src\/adapters\//,
  /^packages\/connections\/src\/[a-z]+-config\.ts$/,
  // The connection types, their dialect names and their schemas.
  /^packages\/connections\/src\/types\.ts$/,
  /^packages\/connections\/src\/schemas\.ts$/,
  // The pipelines `bruin init` writes: files of a pipeline on a named engine, not code that branches on one.
  /^apps\/cli\/src\/init-templates\.ts$/,
  // `bruin format`'s order of asset header keys, which has an engine-named key (`snowflake:`) as the reference does.
  /^apps\/cli\/src\/format-asset\.ts$/,
];

const ENGINE_FOLDERS = ["packages/connections/src/engines", "packages/pipeline/src/engines"];

/** The names the engine modules declare: types, dialects, platforms, aliases, asset types. */
export function engineNames(root) {
  const names = new Set();
  for (const folder of ENGINE_FOLDERS) {
    const dir = path.join(root, folder);
    let entries = [];
    try {
      entries = readdirSync(dir);
    } catch {
      continue;
    }
    for (const file of entries.filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))) {
      const text = readFileSync(path.join(dir, file), "utf8");
      for (const m of text.matchAll(/\b(?:type|platform|name)\s*[:=]\s*"([^"]+)"/g)) names.add(m[1]);
      for (const m of text.matchAll(/\bansiDialect\(\s*"([^"]+)"/g)) names.add(m[1]);
      for (const m of text.matchAll(/\b(?:assetTypes|platformAliases|aliases)\s*[:=]\s*\[([^\]]*)\]/g)) {
        for (const s of m[1].matchAll(/"([^"]+)"/g)) names.add(s[1]);
      }
    }
  }
  return names;
}

function sourceFiles(root) {
  const out = [];
  for (const top of ["packages", "apps"]) {
    let packages = [];
    try {
      packages = readdirSync(path.join(root, top));
    } catch {
      continue;
    }
    for (const pkg of packages) walk(path.join(root, top, pkg, "src"), out);
  }
  return out;
}

function walk(dir, out) {
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  for (const entry of entries) {
    if (entry === "node_modules" || entry === "test-support") continue;
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) walk(full, out);
    else if (/\.(ts|mts)$/.test(entry) && !/\.test\.ts$/.test(entry) && !entry.endsWith(".d.ts")) out.push(full);
  }
}

/** Blanks comments (keeping line breaks) so a name in prose is not flagged. */
function withoutComments(text) {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, " "))
    .replace(/(^|[^:"'`\\])\/\/.*$/gm, (_, before) => before);
}

/** Every engine branch outside the engine modules: `{ file, line, text, reason }`. */
export function findEngineBranches(root) {
  const names = engineNames(root);
  const problems = [];
  for (const file of sourceFiles(root)) {
    const rel = path.relative(root, file).split(path.sep).join("/");
    if (ALLOWED.some((re) => re.test(rel))) continue;
    const lines = withoutComments(readFileSync(file, "utf8")).split("\n");
    lines.forEach((line, i) => {
      // Module specifiers name packages, not engines (`import ... from "mssql"`).
      const code = line.replace(/\bfrom\s+["'][^"']*["']/g, "").replace(/\bimport\(\s*["'][^"']*["']\s*\)/g, "");
      const report = (reason) => problems.push({ file: rel, line: i + 1, text: line.trim(), reason });
      if (
        /\bdialect\.name\s*[!=]==?|[!=]==?\s*[\w.]*\bdialect\.name\b|switch\s*\(\s*[\w.]*\bdialect\.name\s*\)/.test(
          code,
        )
      ) {
        report("branches on dialect.name");
        return;
      }
      for (const m of code.matchAll(/"([^"\\\n]*)"|'([^'\\\n]*)'/g)) {
        const literal = m[1] ?? m[2];
        if (names.has(literal)) {
          report(`names the engine '${literal}'`);
          return;
        }
      }
    });
  }
  return problems;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = path.resolve(process.argv[2] ?? ".");
  const problems = findEngineBranches(root);
  for (const p of problems) {
    console.error(`${p.file}:${p.line}: ${p.reason}: ${p.text}`);
  }
  if (problems.length > 0) {
    console.error(
      `\n${problems.length} engine branch(es) outside the engine modules. Move the engine-specific part into ` +
        "packages/pipeline/src/engines/<engine>.ts (or packages/connections/src/engines/<engine>.ts) and ask the engine; " +
        'see CONTRIBUTING.md, "Adding an engine".',
    );
    process.exitCode = 1;
  } else {
    console.log(
      `engine-branches: no engine branches outside the engine modules (${engineNames(root).size} names checked)`,
    );
  }
}
