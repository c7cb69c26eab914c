import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * Runs the package in a fresh `node` process (outside vitest's module
 * registry) and lists every module that process loaded, to prove drivers are
 * only imported when a connection of their type is opened.
 */
const support = fileURLToPath(new URL("./test-support/", import.meta.url));
let dir: string;
const loaded: Record<string, string[]> = {};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "bruin-lazy-"));
  // One child per type, started together: each needs a second or two to boot.
  const types = ["duckdb", "postgres", "mysql"];
  const results = await Promise.all(types.map((type) => modulesLoadedOpening(type)));
  types.forEach((type, i) => (loaded[type] = results[i]!));
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function modulesLoadedOpening(...types: string[]): Promise<string[]> {
  const log = join(dir, `${types.join("-") || "none"}.log`);
  const env: NodeJS.ProcessEnv = { ...process.env, BRUIN_LOADED_MODULES_LOG: log };
  delete env.NODE_OPTIONS;
  await promisify(execFile)(
    process.execPath,
    ["--conditions=@bruin-ts/source", "--import", join(support, "register-ts.mjs"), join(support, "open-and-report.mjs"), ...types],
    { env, timeout: 30_000 },
  );
  return (await readFile(log, "utf8")).split("\n").filter(Boolean);
}

const loads = (modules: string[], pattern: RegExp) => modules.some((url) => pattern.test(url));
const PG = /\/node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?pg\//;
const MYSQL2 = /\/node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?mysql2\//;
const DUCKDB = /\/node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?@duckdb\/node-api\//;

describe("driver loading", () => {
  it("loads neither pg nor mysql2 (nor their adapters) when only DuckDB is used", () => {
    const modules = loaded.duckdb!;
    expect(loads(modules, /\/src\/adapters\/duckdb\.ts$/)).toBe(true);
    expect(loads(modules, DUCKDB)).toBe(true);
    expect(loads(modules, /\/src\/adapters\/postgres\.ts$/)).toBe(false);
    expect(loads(modules, /\/src\/adapters\/mysql\.ts$/)).toBe(false);
    expect(loads(modules, PG)).toBe(false);
    expect(loads(modules, MYSQL2)).toBe(false);
  });

  it("loads pg, and only pg, when a postgres connection is opened", () => {
    const modules = loaded.postgres!;
    expect(loads(modules, /\/src\/adapters\/postgres\.ts$/)).toBe(true);
    expect(loads(modules, PG)).toBe(true);
    expect(loads(modules, MYSQL2)).toBe(false);
    expect(loads(modules, DUCKDB)).toBe(false);
  });

  it("loads mysql2 when a mysql connection is opened", () => {
    const modules = loaded.mysql!;
    expect(loads(modules, MYSQL2)).toBe(true);
    expect(loads(modules, PG)).toBe(false);
  });
});
