import path from "node:path";
import { describe, expect, it } from "vitest";
import { runBruin, scratchRepo, sqlAsset, writeTree } from "./test-support/run-cli.js";

const SECRET = "s3cr3t-validate-value";

/** A PostgreSQL connection with a password, never opened by validate; DuckDB for the assets. */
const CONFIG = [
  "environments:",
  "  default:",
  "    connections:",
  "      duckdb:",
  "        - name: duckdb-default",
  "          path: db.duckdb",
  "      postgres:",
  "        - name: pg",
  "          host: 127.0.0.1",
  "          port: 5432",
  "          username: someone",
  `          password: ${SECRET}`,
  "          database: test",
  "",
].join("\n");

/** One good asset, one with a missing dependency (tagged `broken`), one with a bad materialization. */
function pipeline(): string {
  const root = scratchRepo();
  writeTree(root, {
    ".bruin.yml": CONFIG,
    "shop/pipeline.yml": "name: shop\n",
    "shop/assets/good.sql": sqlAsset("name: good\ntype: duckdb.sql\nmaterialization:\n  type: table", "SELECT 1 AS id"),
    "shop/assets/orphan.sql": sqlAsset(
      "name: orphan\ntype: duckdb.sql\ntags: [broken]\ndepends: [missing_one]",
      "SELECT 1",
    ),
    "shop/assets/merge.sql": sqlAsset(
      "name: merge\ntype: duckdb.sql\nmaterialization:\n  type: table\n  strategy: merge",
      "SELECT 1 AS id",
    ),
    "shop/assets/pg.sql": sqlAsset("name: pg_asset\ntype: pg.sql\nconnection: pg", "SELECT 1"),
  });
  return path.join(root, "shop");
}

describe("bruin validate -o json", () => {
  it("prints the reference's issue list: per pipeline, problems by asset name, each with asset/description/context/severity", async () => {
    const dir = pipeline();
    const result = await runBruin(["validate", "-o", "json", dir], { cwd: dir });
    expect(result.stderr).toBe("");
    // As the reference: the problems are the answer, so listing them exits 0.
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([
      {
        pipeline: "shop",
        issues: {
          merge: [
            {
              asset: "merge",
              description: "materialization strategy 'merge' requires at least one column with 'primary_key: true'",
              context: [],
              severity: "critical",
            },
          ],
          orphan: [
            {
              asset: "orphan",
              description: "Dependency 'missing_one' does not exist",
              context: [],
              severity: "critical",
            },
          ],
        },
      },
    ]);
    // Field names and order as the reference prints them.
    expect(Object.keys(JSON.parse(result.stdout)[0])).toEqual(["pipeline", "issues"]);
    expect(Object.keys(JSON.parse(result.stdout)[0].issues.merge[0])).toEqual([
      "asset",
      "description",
      "context",
      "severity",
    ]);
    expect(result.all).not.toContain(SECRET);
  });

  it("prints an empty issue map for a clean pipeline", async () => {
    const dir = pipeline();
    const result = await runBruin(["validate", "-o", "json", path.join(dir, "assets/good.sql")], { cwd: dir });
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(JSON.parse(result.stdout)).toEqual([{ pipeline: "shop", issues: {} }]);
  });

  it("takes the reference's --force, --fast and --exclude-warnings, with the same result", async () => {
    const dir = pipeline();
    const file = path.join(dir, "assets/good.sql");
    const plain = await runBruin(["validate", "-o", "json", file], { cwd: dir });
    for (const flags of [
      ["--force"],
      ["-f"],
      ["--fast"],
      ["--exclude-warnings"],
      ["-f", "--fast", "--exclude-warnings"],
    ]) {
      const result = await runBruin(["validate", ...flags, "-o", "json", file], { cwd: dir });
      expect({ flags, code: result.code, stdout: result.stdout }).toEqual({
        flags,
        code: plain.code,
        stdout: plain.stdout,
      });
    }
  });

  it("refuses an unknown output", async () => {
    const dir = pipeline();
    const result = await runBruin(["validate", "-o", "yaml", dir], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unsupported output 'yaml'");
  });
});

describe("bruin validate PATH and --exclude-tag", () => {
  it("validates one asset file alone: other assets' problems are not reported", async () => {
    const dir = pipeline();
    const good = await runBruin(["validate", path.join(dir, "assets/good.sql")], { cwd: dir });
    expect(good).toMatchObject({ code: 0 });
    // As the reference counts: every asset of the pipeline, though only this one was validated.
    expect(good.stdout).toContain("Successfully validated 4 assets across 1 pipeline, all good.");
    const merge = await runBruin(["validate", "assets/merge.sql"], { cwd: dir });
    expect(merge.code).toBe(1);
    expect(merge.stdout).toContain("Found 1 problem");
    expect(merge.stdout).toContain("asset 'merge'");
    expect(merge.stdout).not.toContain("orphan");
  });

  it("skips the assets with an excluded tag, with their problems", async () => {
    const dir = pipeline();
    const all = await runBruin(["validate", dir], { cwd: dir });
    expect(all.code).toBe(1);
    expect(all.stdout).toMatch(/asset 'orphan' \(\S*orphan\.sql\) depends on 'missing_one', which does not exist/);
    const excluded = await runBruin(["validate", "--exclude-tag", "broken", dir], { cwd: dir });
    expect(excluded.code).toBe(1);
    expect(excluded.stdout).not.toContain("orphan");
    expect(excluded.stdout).toContain("Found 1 problem");
    const short = await runBruin(["validate", "-x", "broken", path.join(dir, "assets/good.sql")], { cwd: dir });
    expect(short.code).toBe(0);
    expect(all.all + excluded.all).not.toContain(SECRET);
  });
});

describe("bruin connections list PATH", () => {
  it("finds .bruin.yml from the path, as run does, wherever it is run from", async () => {
    const dir = pipeline();
    const elsewhere = scratchRepo();
    const fromFile = await runBruin(["connections", "list", "-o", "json", path.join(dir, "assets/pg.sql")], {
      cwd: elsewhere,
    });
    expect(fromFile.code).toBe(0);
    const listing = JSON.parse(fromFile.stdout) as { environments: Array<{ connections: Array<{ name: string }> }> };
    expect(listing.environments[0]?.connections.map((c) => c.name).sort()).toEqual(["duckdb-default", "pg"]);
    expect(fromFile.all).not.toContain(SECRET);
    const fromFolder = await runBruin(["connections", "list", dir], { cwd: elsewhere });
    expect(fromFolder.code).toBe(0);
    expect(fromFolder.stdout).toContain("pg");
    expect(fromFolder.all).not.toContain(SECRET);
    // Without the path, the working directory's search finds no config here.
    const here = await runBruin(["connections", "list", "-o", "json"], { cwd: elsewhere });
    expect(here.stdout).not.toContain('"pg"');
    const missing = await runBruin(["connections", "list", path.join(elsewhere, "nowhere")], { cwd: elsewhere });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("does not exist");
  });
});
