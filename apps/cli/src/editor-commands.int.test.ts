import { spawnSync } from "node:child_process";
import { cpSync, existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT, scratchRepo } from "./test-support/run-cli.js";

// These run the built CLI as editors call it: `pnpm build` (or `cd apps/cli && npx tsup`) first.
const BIN = path.join(REPO_ROOT, "apps", "cli", "dist", "bin.js");
const FIXTURE = path.join(REPO_ROOT, "apps/cli/src/test-support/editor-pipeline");
const LINEAGE_FIXTURE = path.join(REPO_ROOT, "apps/cli/src/test-support/lineage-pipeline");

function bruin(args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    encoding: "utf8",
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  if (!existsSync(BIN)) throw new Error(`${BIN} does not exist: run 'pnpm build' first`);
});

describe("the commands editors call, from the built CLI", () => {
  const dir = path.join(scratchRepo(), "editor-pipeline");
  cpSync(FIXTURE, dir, { recursive: true });

  it("render prints the materialized query, and {query} with -o json", () => {
    const asset = path.join(dir, "assets/raw.customers.sql");
    const plain = bruin(["render", asset]);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain('CREATE OR REPLACE VIEW "raw"."customers" AS');
    expect(plain.stdout).toContain("SELECT 'jhon' AS name UNION ALL");
    const json = bruin(["render", "-o", "json", "--raw-query", "--var", 'users=["ada"]', asset]);
    expect(JSON.parse(json.stdout)).toEqual({ query: "SELECT 'ada' AS name" });
  });

  it("internal parse-pipeline, parse-asset and connections print JSON documents", () => {
    const pipeline = bruin(["internal", "parse-pipeline", dir]);
    expect(pipeline.code).toBe(0);
    expect((JSON.parse(pipeline.stdout) as { name: string }).name).toBe("editor_fixture");
    const asset = bruin(["internal", "parse-asset", path.join(dir, "assets/mart/orders.sql")]);
    expect(asset.code).toBe(0);
    expect((JSON.parse(asset.stdout) as { asset: { name: string } }).asset.name).toBe("mart.orders");
    const schema = bruin(["internal", "connections"]);
    expect(schema.code).toBe(0);
    expect(Object.keys((JSON.parse(schema.stdout) as { $defs: object }).$defs)).toContain("DuckDBConnection");
  });

  it("render-ddl prints the CREATE TABLE of a table asset, and {query} with -o json", () => {
    const asset = path.join(dir, "assets/mart/orders.sql");
    const plain = bruin(["render-ddl", asset]);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain('CREATE TABLE IF NOT EXISTS "mart"."orders" (');
    const json = bruin(["render-ddl", "-o", "json", asset]);
    expect((JSON.parse(json.stdout) as { query: string }).query).toBe(plain.stdout.trimEnd());
    const view = bruin(["render-ddl", path.join(dir, "assets/raw.customers.sql")]);
    expect(view.code).toBe(1);
    expect(view.stderr).toContain("materialization type 'view' is not supported");
  });

  it("internal parse-pipeline -c loads the SQL parser from the installed package", () => {
    const lineageDir = path.join(scratchRepo(), "lineage-pipeline");
    cpSync(LINEAGE_FIXTURE, lineageDir, { recursive: true });
    const result = bruin(["internal", "parse-pipeline", "-c", lineageDir]);
    expect(result.code).toBe(0);
    const document = JSON.parse(result.stdout) as {
      assets: { name: string; columns: { name: string; upstreams: unknown[] }[] }[];
    };
    const example = document.assets.find((a) => a.name === "example");
    expect(example?.columns.find((c) => c.name === "updated_at")?.upstreams).toEqual([
      { column: "created_at", table: "people" },
    ]);
  });
});

describe("the bundle", () => {
  const DIST = path.dirname(BIN);

  /** The chunk holding a source module (esbuild marks each with a `// src/…` line). */
  function chunkOf(source: string): string {
    const marker = `\n// ${source}\n`;
    const found = readdirSync(DIST).find(
      (f) => f.endsWith(".js") && readFileSync(path.join(DIST, f), "utf8").includes(marker),
    );
    if (!found) throw new Error(`no chunk holds ${source}`);
    return path.join(DIST, found);
  }

  /** A chunk and what it loads before running anything: its static imports, transitively. */
  function staticChunks(file: string, seen = new Set<string>()): Set<string> {
    if (seen.has(file)) return seen;
    seen.add(file);
    const text = readFileSync(file, "utf8");
    for (const match of text.matchAll(/^import\s[^;]*?from\s*"(\.\/[^"]+)"|^import\s*"(\.\/[^"]+)"/gm)) {
      staticChunks(path.join(DIST, match[1] ?? match[2]!), seen);
    }
    return seen;
  }

  it("loads the SQL parser only for column lineage: not with the command line nor with run", () => {
    expect(readFileSync(chunkOf("src/lineage/grammars.ts"), "utf8")).toContain("node-sql-parser/build/");
    for (const source of ["src/main.ts", "src/commands/run.ts"]) {
      const chunks = [...staticChunks(chunkOf(source))];
      for (const chunk of chunks) expect(readFileSync(chunk, "utf8")).not.toContain("node-sql-parser");
    }
  });
});
