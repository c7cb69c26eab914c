// Checks that each published package's entry points export only what its
// README documents: every name exported from `src/index.ts` (and from any other
// entry of package.json's `exports`) must appear in the package's README.md.
// Run by `pnpm lint`; prints each undocumented export and exits 1.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** The names a module exports, following `export * from` into the files it names. */
export function exportedNames(file, seen = new Set()) {
  if (seen.has(file)) return [];
  seen.add(file);
  const source = readFileSync(file, "utf8")
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/^\s*\/\/.*$/gm, "");
  const names = [];
  for (const match of source.matchAll(/export\s+(?:type\s+)?\{([^}]*)\}/g)) {
    for (const part of match[1].split(",")) {
      const name = part
        .trim()
        .replace(/^type\s+/, "")
        .split(/\s+as\s+/)
        .pop()
        ?.trim();
      if (name) names.push(name);
    }
  }
  for (const match of source.matchAll(
    /export\s+(?:declare\s+)?(?:abstract\s+)?(?:async\s+)?(?:function\*?|const|let|class|interface|type|enum)\s+([A-Za-z_$][\w$]*)/g,
  )) {
    names.push(match[1]);
  }
  for (const match of source.matchAll(/export\s+\*\s+from\s+["']([^"']+)["']/g)) {
    const target = path.resolve(path.dirname(file), match[1].replace(/\.js$/, ".ts"));
    if (existsSync(target)) names.push(...exportedNames(target, seen));
  }
  return [...new Set(names)];
}

/** The source files of a package's entry points (the `@bruin-ts/source` condition of each `exports` entry). */
function entryFiles(dir, manifest) {
  const files = [];
  for (const value of Object.values(manifest.exports ?? {})) {
    const source = typeof value === "object" ? value["@bruin-ts/source"] : undefined;
    if (source) files.push(path.join(dir, source));
  }
  return files;
}

/** Undocumented exports of every published package, as `package: name` lines. */
export function undocumentedExports(root = ROOT) {
  const problems = [];
  for (const folder of ["apps", "packages"]) {
    for (const name of readdirSync(path.join(root, folder)).sort()) {
      const dir = path.join(root, folder, name);
      const manifestFile = path.join(dir, "package.json");
      if (!existsSync(manifestFile)) continue;
      const manifest = JSON.parse(readFileSync(manifestFile, "utf8"));
      if (manifest.private) continue;
      const readme = existsSync(path.join(dir, "README.md")) ? readFileSync(path.join(dir, "README.md"), "utf8") : "";
      for (const file of entryFiles(dir, manifest)) {
        for (const exported of exportedNames(file)) {
          if (!new RegExp(`(?<![\\w$])${exported.replace(/\$/g, "\\$")}(?![\\w$])`).test(readme)) {
            problems.push(
              `${manifest.name}: ${exported} (${path.relative(root, file)}) is exported but not in its README.md`,
            );
          }
        }
      }
    }
  }
  return problems;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const problems = undocumentedExports();
  for (const line of problems) console.error(line);
  if (problems.length > 0) {
    console.error(
      `${problems.length} export(s) missing from their package's README: document them or stop exporting them.`,
    );
    process.exit(1);
  }
}
