/**
 * Finding the packages that get published and packing them the way a
 * release does (`pnpm pack` rewrites `workspace:` and `catalog:` specifiers).
 */
import { execFile } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);

export const WORKSPACE_ROOT = fileURLToPath(new URL("../../..", import.meta.url));
const WORKSPACE_FOLDERS = ["apps", "packages", "tooling"];

export interface PackageManifest {
  name: string;
  version: string;
  private?: boolean;
  main?: string;
  types?: string;
  bin?: string | Record<string, string>;
  exports?: unknown;
  engines?: Record<string, string>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

export interface WorkspacePackage {
  dir: string;
  manifest: PackageManifest;
}

export interface Tarball {
  name: string;
  file: string;
  manifest: PackageManifest;
  /** Paths inside the package, without the tarball's `package/` prefix. */
  entries: string[];
}

/** Every workspace package that is not private, i.e. every package a release publishes. */
export function publishablePackages(root = WORKSPACE_ROOT): WorkspacePackage[] {
  const found: WorkspacePackage[] = [];
  for (const folder of WORKSPACE_FOLDERS) {
    for (const name of readdirSync(path.join(root, folder)).sort()) {
      const manifestFile = path.join(root, folder, name, "package.json");
      if (!existsSync(manifestFile)) continue;
      const manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as PackageManifest;
      if (!manifest.private) found.push({ dir: path.dirname(manifestFile), manifest });
    }
  }
  return found;
}

export async function packPackage(pkg: WorkspacePackage, destination: string): Promise<Tarball> {
  const before = new Set(readdirSync(destination));
  await run("pnpm", ["pack", "--pack-destination", destination], { cwd: pkg.dir, env: childEnv() });
  const created = readdirSync(destination).filter((file) => file.endsWith(".tgz") && !before.has(file));
  if (created.length !== 1) throw new Error(`pnpm pack of ${pkg.manifest.name} made ${created.length} tarballs`);
  const file = path.join(destination, created[0]!);
  const listing = (await run("tar", ["-tzf", file])).stdout;
  const entries = listing
    .split("\n")
    .filter(Boolean)
    .map((entry) => entry.replace(/^package\//, ""));
  const manifest = JSON.parse((await run("tar", ["-xzOf", file, "package/package.json"])).stdout) as PackageManifest;
  return { name: pkg.manifest.name, file, manifest, entries };
}

/** Every file the manifest points at for consumers (the source condition excepted). */
export function publishedEntryPoints(manifest: PackageManifest): string[] {
  const targets = new Set<string>();
  const visit = (value: unknown, condition?: string): void => {
    if (condition === "@bruin-ts/source") return;
    if (typeof value === "string") targets.add(value);
    else if (value && typeof value === "object") {
      for (const [key, inner] of Object.entries(value)) visit(inner, key);
    }
  };
  visit(manifest.exports);
  if (manifest.main) targets.add(manifest.main);
  if (manifest.types) targets.add(manifest.types);
  visit(manifest.bin);
  return [...targets].map((target) => path.posix.normalize(target).replace(/^\.\//, ""));
}

/** Dependency specifiers only a workspace understands; npm cannot install them. */
export function workspaceOnlySpecifiers(manifest: PackageManifest): string[] {
  const problems: string[] = [];
  for (const field of ["dependencies", "peerDependencies", "optionalDependencies"] as const) {
    for (const [name, spec] of Object.entries(manifest[field] ?? {})) {
      if (/^(workspace|catalog|link|file):/.test(spec)) problems.push(`${field}.${name}: ${spec}`);
    }
  }
  return problems;
}

/**
 * The environment for child processes: without what vitest and pnpm set for
 * themselves (NODE_OPTIONS with the source condition, pnpm's npm_config_*),
 * so the installed packages run as they would for a user.
 */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  const keep = new Set(["npm_config_registry", "npm_config_cache", "npm_config_userconfig"]);
  for (const [key, value] of Object.entries(process.env)) {
    if (key === "NODE_OPTIONS" || key.startsWith("VITEST") || key === "NODE_ENV") continue;
    if (/^npm_/i.test(key) && !keep.has(key.toLowerCase())) continue;
    if (/^(PNPM_|TURBO_)/.test(key) || key.startsWith("BRUIN_")) continue;
    env[key] = value;
  }
  return { ...env, NO_COLOR: "1", ...extra };
}
