import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { DUCKDB_CONFIG, REPO_ROOT, readDuckDB, scratchRepo, sqlAsset, writeTree } from "./test-support/run-cli.js";

// These run the built CLI as users do: `pnpm build` first.
const BIN = path.join(REPO_ROOT, "apps", "cli", "dist", "bin.js");

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

/** A DuckDB pipeline in a scratch repository: `p/` holds pipeline.yml and the files given. */
function pipeline(files: Record<string, string>, pipelineYml = "name: kinds\n"): string {
  const root = scratchRepo();
  writeTree(root, { ".bruin.yml": DUCKDB_CONFIG, "p/pipeline.yml": pipelineYml, ...files });
  return root;
}

describe("bruin run --sensor-mode", () => {
  const files = {
    "p/assets/ready.asset.yml":
      "name: ready\ntype: duckdb.sensor.table\nparameters: {table: landed, poke_interval: 50ms, timeout: 300ms}\n",
    "p/assets/after.sql": sqlAsset(
      "name: after\ntype: duckdb.sql\ndepends: [ready]\nmaterialization: {type: table}",
      "SELECT 1 AS n",
    ),
  };

  it("once (the default) fails an unmet sensor and holds back its downstream", () => {
    const root = pipeline(files);
    const result = bruin(["run", path.join(root, "p"), "--no-color"]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("sensor 'ready' is not met: table 'landed' does not exist");
  });

  it("skip succeeds without checking, so the downstream runs", async () => {
    const root = pipeline(files);
    const result = bruin(["run", path.join(root, "p"), "--no-color", "--sensor-mode", "skip"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(await readDuckDB(path.join(root, "db.duckdb"), "SELECT n FROM after")).toEqual([{ n: 1 }]);
  });

  it("wait pokes until the timeout, then fails the sensor", () => {
    const root = pipeline(files);
    const result = bruin(["run", path.join(root, "p"), "--no-color", "--sensor-mode=wait"]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("sensor 'ready' timed out after 300ms: table 'landed' does not exist");
  });

  it("rejects any other mode with exit code 2", () => {
    const root = pipeline(files);
    const result = bruin(["run", path.join(root, "p"), "--sensor-mode", "forever"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("invalid --sensor-mode 'forever'; possible values: skip, once, wait");
  });
});

describe("bruin run with hooks, macros, custom check counts and seeds", () => {
  it("runs them end to end on DuckDB", async () => {
    const root = pipeline(
      {
        "p/macros/util.sql": "{% macro people() -%}SELECT * FROM people{%- endmacro %}\n",
        "p/assets/people.asset.yml":
          "name: people\ntype: duckdb.seed\nparameters: {path: people.csv}\ncolumns:\n  - name: id\n    type: integer\n    checks: [unique]\n",
        "p/assets/people.csv": "id,name\n1,Ada\n2,Lin\n",
        "p/assets/names.sql": sqlAsset(
          [
            "name: names",
            "type: duckdb.sql",
            "depends: [people]",
            "materialization: {type: table}",
            "custom_checks:",
            "  - name: two people",
            '    query: "{{ people() }}"',
            "    count: 2",
          ].join("\n"),
          "SELECT name FROM ({{ people() }}) p ORDER BY name",
        ),
      },
      [
        "name: kinds",
        "default:",
        "  hooks:",
        "    post:",
        "      - query: CREATE TABLE IF NOT EXISTS hook_log AS SELECT '{{ this }}' AS asset",
        "",
      ].join("\n"),
    );
    const result = bruin(["run", path.join(root, "p"), "--no-color"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const db = path.join(root, "db.duckdb");
    expect(await readDuckDB(db, "SELECT name FROM names")).toEqual([{ name: "Ada" }, { name: "Lin" }]);
    expect(await readDuckDB(db, "SELECT asset FROM hook_log")).toEqual([{ asset: "names" }]);
  });
});

describe("bruin run --variant", () => {
  const files = {
    "p/assets/users.sql": sqlAsset(
      "name: users\ntype: duckdb.sql\nmaterialization: {type: table}",
      "SELECT '{{ var.client }}' AS client",
    ),
    "p/assets/snapshot.sql": sqlAsset(
      "name: snapshot\ntype: duckdb.sql\nenabled: '{{ var.snapshot }}'\ndepends: [users]\nmaterialization: {type: table}",
      "SELECT client FROM users",
    ),
  };
  const pipelineYml = [
    "name: clients",
    "variables:",
    "  client: {type: string, default: nobody}",
    "  snapshot: {type: boolean, default: false}",
    "variants:",
    "  alpha: {client: alpha}",
    "  beta: {client: beta, snapshot: true}",
    "",
  ].join("\n");

  it("is required when the pipeline declares variants", () => {
    const root = pipeline(files, pipelineYml);
    const result = bruin(["run", path.join(root, "p"), "--no-color"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("pipeline 'clients' declares variants; pick one with --variant: alpha, beta");
  });

  it("runs the variant's variables, skipping the assets it disables", async () => {
    const root = pipeline(files, pipelineYml);
    const alpha = bruin(["run", path.join(root, "p"), "--no-color", "--variant", "alpha"]);
    expect(alpha.stderr).toBe("");
    expect(alpha.code).toBe(0);
    expect(alpha.stdout).toMatch(/Skipped: {2}snapshot \(enabled: false\)/);
    const db = path.join(root, "db.duckdb");
    expect(await readDuckDB(db, "SELECT client FROM users")).toEqual([{ client: "alpha" }]);
    expect(
      await readDuckDB(db, "SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'snapshot'"),
    ).toEqual([{ n: 0 }]);

    const beta = bruin(["run", path.join(root, "p"), "--no-color", "--variant=beta"]);
    expect(beta.code).toBe(0);
    expect(await readDuckDB(db, "SELECT client FROM snapshot")).toEqual([{ client: "beta" }]);
  });

  it("must name a declared variant", () => {
    const root = pipeline(files, pipelineYml);
    const result = bruin(["run", path.join(root, "p"), "--variant", "gamma"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown variant 'gamma'; pipeline 'clients' declares: alpha, beta");
  });
});

describe("schema_prefix of the .bruin.yml environment", () => {
  it("builds the assets in prefixed schemas in that environment only", async () => {
    const root = scratchRepo();
    writeTree(root, {
      ".bruin.yml": [
        "default_environment: dev",
        "environments:",
        "  dev:",
        "    schema_prefix: jane_",
        "    connections:",
        "      duckdb:",
        "        - name: duckdb-default",
        "          path: db.duckdb",
        "  staging:",
        "    connections:",
        "      duckdb:",
        "        - name: duckdb-default",
        "          path: db.duckdb",
        "",
      ].join("\n"),
      "p/pipeline.yml": "name: prefixed\n",
      "p/assets/raw.sql": sqlAsset("name: raw.t\ntype: duckdb.sql\nmaterialization: {type: table}", "SELECT 1 AS n"),
      "p/assets/mart.sql": sqlAsset(
        "name: mart.t\ntype: duckdb.sql\ndepends: [raw.t]\nmaterialization: {type: table}",
        "SELECT n + 1 AS n FROM raw.t",
      ),
    });
    const dev = bruin(["run", path.join(root, "p"), "--no-color"]);
    expect(dev.stderr).toBe("");
    expect(dev.code).toBe(0);
    expect(dev.stdout).toContain("jane_mart.t");
    const staging = bruin(["run", path.join(root, "p"), "--no-color", "--environment", "staging"]);
    expect(staging.code).toBe(0);
    const db = path.join(root, "db.duckdb");
    expect(
      await readDuckDB(
        db,
        "SELECT table_schema AS s, table_name AS t FROM information_schema.tables ORDER BY table_schema, table_name",
      ),
    ).toEqual([
      { s: "jane_mart", t: "t" },
      { s: "jane_raw", t: "t" },
      { s: "mart", t: "t" },
      { s: "raw", t: "t" },
    ]);
    expect(await readDuckDB(db, "SELECT n FROM jane_mart.t")).toEqual([{ n: 2 }]);
  });
});

describe("bruin render of seeds and sensors", () => {
  it("renders a query sensor's query, and refuses seeds and table sensors, which have none", () => {
    const root = pipeline({
      "p/assets/seed.asset.yml": "name: seed\ntype: duckdb.seed\n",
      "p/assets/seed.csv": "a\n1\n",
      "p/assets/ready.asset.yml":
        "name: ready\ntype: duckdb.sensor.query\nparameters: {query: \"SELECT count(*) > 0 FROM t WHERE d = '{{ start_date }}'\"}\n",
      "p/assets/landed.asset.yml": "name: landed\ntype: duckdb.sensor.table\nparameters: {table: t}\n",
    });
    const assets = path.join(root, "p", "assets");
    const query = bruin(["render", path.join(assets, "ready.asset.yml"), "--start-date", "2024-05-01"]);
    expect(query.code).toBe(0);
    expect(query.stdout.trim()).toBe("SELECT count(*) > 0 FROM t WHERE d = '2024-05-01';");
    const seed = bruin(["render", path.join(assets, "seed.asset.yml")]);
    expect(seed.code).toBe(1);
    expect(seed.stderr).toContain("asset 'seed' is a seed: it loads a CSV file and has no query to render");
    const table = bruin(["render", path.join(assets, "landed.asset.yml")]);
    expect(table.code).toBe(1);
    expect(table.stderr).toContain("asset 'landed' is a table sensor: it waits for a table and has no query to render");
  });
});
