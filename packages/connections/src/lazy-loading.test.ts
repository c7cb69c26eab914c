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
const stderr: Record<string, string> = {};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "bruin-lazy-"));
  // Children started together: each needs a second or two to boot. The five
  // remote engines share one child, which must load their drivers and no SQL ones.
  const runs = [["duckdb"], ["postgres"], ["mysql"], REMOTE];
  const results = await Promise.all(runs.map((types) => modulesLoadedOpening(...types)));
  runs.forEach((types, i) => {
    loaded[types.join("+")] = results[i]!.modules;
    stderr[types.join("+")] = results[i]!.stderr;
  });
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function modulesLoadedOpening(...types: string[]): Promise<{ modules: string[]; stderr: string }> {
  const log = join(dir, `${types.join("-") || "none"}.log`);
  // As the CLI does for its own process: the AWS SDK's Node-version notice is the host's to turn off.
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    BRUIN_LOADED_MODULES_LOG: log,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
  };
  delete env.NODE_OPTIONS;
  const { stderr } = await promisify(execFile)(
    process.execPath,
    [
      "--conditions=@bruin-ts/source",
      "--import",
      join(support, "register-ts.mjs"),
      join(support, "open-and-report.mjs"),
      ...types,
    ],
    { env, timeout: 30_000 },
  );
  return { modules: (await readFile(log, "utf8")).split("\n").filter(Boolean), stderr };
}

const loads = (modules: string[], pattern: RegExp) => modules.some((url) => pattern.test(url));
const nodeModule = (name: string) =>
  new RegExp(`/node_modules/(\\.pnpm/[^/]+/node_modules/)?${name.replace("/", "\\/")}/`);
const PG = nodeModule("pg");
const MYSQL2 = nodeModule("mysql2");
const DUCKDB = nodeModule("@duckdb/node-api");

/** The driver package and adapter file of each type opened in a child of its own. */
const DRIVERS = {
  duckdb: { driver: DUCKDB, adapter: "duckdb" },
  postgres: { driver: PG, adapter: "postgres" },
  mysql: { driver: MYSQL2, adapter: "mysql" },
  mssql: { driver: nodeModule("mssql"), adapter: "mssql" },
  snowflake: { driver: nodeModule("snowflake-sdk"), adapter: "snowflake" },
  google_cloud_platform: { driver: nodeModule("@google-cloud/bigquery"), adapter: "bigquery" },
  databricks: { driver: nodeModule("@databricks/sql"), adapter: "databricks" },
  mongodb: { driver: nodeModule("mongodb"), adapter: "mongodb" },
} as const;
const TYPES = Object.keys(DRIVERS) as (keyof typeof DRIVERS)[];
const REMOTE = ["mssql", "snowflake", "google_cloud_platform", "databricks", "mongodb"] as const;
const adapterFile = (name: string) => new RegExp(`/src/adapters/${name}\\.ts$`);

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

  it("loads no other driver nor adapter when only DuckDB is used", () => {
    for (const type of TYPES.filter((t) => t !== "duckdb")) {
      expect(loads(loaded.duckdb!, DRIVERS[type].driver), `${type} driver`).toBe(false);
      expect(loads(loaded.duckdb!, adapterFile(DRIVERS[type].adapter)), `${type} adapter`).toBe(false);
    }
  });

  it("loads each remote engine's driver and adapter when a connection of its type is opened, and no SQL driver", () => {
    const modules = loaded[REMOTE.join("+")]!;
    for (const type of REMOTE) {
      expect(loads(modules, DRIVERS[type].driver), `${type} driver`).toBe(true);
      expect(loads(modules, adapterFile(DRIVERS[type].adapter)), `${type} adapter`).toBe(true);
    }
    for (const other of ["duckdb", "postgres", "mysql"] as const) {
      expect(loads(modules, DRIVERS[other].driver), `${other} driver`).toBe(false);
    }
  });

  it("loads none of the remote engines' drivers for postgres or mysql", () => {
    for (const type of REMOTE) {
      expect(loads(loaded.postgres!, DRIVERS[type].driver), `${type} driver`).toBe(false);
      expect(loads(loaded.mysql!, DRIVERS[type].driver), `${type} driver`).toBe(false);
    }
  });

  it("prints nothing while loading the drivers, with the AWS SDK's Node-version notice turned off as the CLI does", () => {
    expect(stderr[REMOTE.join("+")]).toBe("");
  });
});
