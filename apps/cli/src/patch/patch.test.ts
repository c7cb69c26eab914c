import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DUCKDB_CONFIG, runBruin, scratchRepo, writeTree } from "../test-support/run-cli.js";
import { tableReferences } from "./table-references.js";

const ORDERS = `/* @bruin
# the orders of the shop
name: mart.orders   # keep this name
type: duckdb.sql
description: "Orders"

materialization:
  type: table # a table, not a view

depends:
- raw.items

columns:
- name: id
  type: integer # the key
  primary_key: true
- name: total
  description: sum of the items
  checks:
  - name: not_null
@bruin */

-- the query
SELECT id, sum(price) AS total FROM raw.items GROUP BY id
`;

const PIPELINE = `# the shop's pipeline
name: shop
schedule: daily   # every day

start_date: "2024-01-01"
default_connections:
  duckdb: duckdb-default # the local file
`;

function project(): string {
  const root = scratchRepo();
  writeTree(root, {
    "shop/pipeline.yml": PIPELINE,
    "shop/assets/mart.orders.sql": ORDERS,
    "shop/assets/raw.items.sql":
      "/* @bruin\nname: raw.items\ntype: duckdb.sql\n@bruin */\nSELECT 1 AS id, 2 AS price\n",
    "shop/assets/raw.users.asset.yml":
      "# users, from the CRM\nname: raw.users\ntype: duckdb.sql # soon\nparameters:\n  source: crm\n",
  });
  return path.join(root, "shop");
}

describe("bruin internal patch-asset", () => {
  it("sets the fields the body names and keeps comments, order and quoting of the rest", async () => {
    const dir = project();
    const file = path.join(dir, "assets/mart.orders.sql");
    const body = {
      description: "All orders",
      owner: "ana@example.com",
      tags: ["daily"],
      materialization: { type: "table", strategy: "create+replace" },
      columns: [
        { name: "id", type: "integer", primary_key: true, description: "", checks: [] },
        { name: "total", type: "double", description: "sum of the items", checks: [{ name: "not_null" }] },
      ],
    };
    const result = await runBruin(["internal", "patch-asset", file, "--body", JSON.stringify(body)]);
    expect(result.all).toBe("");
    expect(result.code).toBe(0);
    expect(readFileSync(file, "utf8")).toBe(`/* @bruin
# the orders of the shop
name: mart.orders   # keep this name
type: duckdb.sql
description: "All orders"

materialization:
  type: table # a table, not a view
  strategy: create+replace

depends:
- raw.items

columns:
- name: id
  type: integer # the key
  primary_key: true
- name: total
  description: sum of the items
  checks:
  - name: not_null
  type: double
owner: ana@example.com
tags:
- daily
@bruin */

-- the query
SELECT id, sum(price) AS total FROM raw.items GROUP BY id
`);
  });

  it("a body with what parse-asset prints changes nothing; an empty value removes the field", async () => {
    const dir = project();
    const file = path.join(dir, "assets/mart.orders.sql");
    const parsed = await runBruin(["internal", "parse-asset", file]);
    const { asset } = JSON.parse(parsed.stdout) as { asset: Record<string, unknown> };
    expect((await runBruin(["internal", "patch-asset", file, "--body", JSON.stringify(asset)])).code).toBe(0);
    expect(readFileSync(file, "utf8")).toBe(ORDERS);
    // The same columns with their keys in another order are the same columns.
    const reordered = (asset.columns as Record<string, unknown>[]).map((c) =>
      Object.fromEntries(Object.entries(c).reverse()),
    );
    expect(
      (await runBruin(["internal", "patch-asset", file, "--body", JSON.stringify({ columns: reordered })])).code,
    ).toBe(0);
    expect(readFileSync(file, "utf8")).toBe(ORDERS);

    const cleared = await runBruin(["internal", "patch-asset", file, "--body", '{"description": "", "upstreams": []}']);
    expect(cleared.code).toBe(0);
    const text = readFileSync(file, "utf8");
    expect(text).not.toContain('description: "Orders"');
    expect(text).not.toContain("depends:");
    expect(text).toContain("name: mart.orders   # keep this name\ntype: duckdb.sql\n\nmaterialization:");
  });

  it("upstreams become depends; executable_file.content replaces the query after the header", async () => {
    const dir = project();
    const file = path.join(dir, "assets/mart.orders.sql");
    const body = {
      upstreams: [
        { type: "asset", value: "raw.items", columns: [], mode: "full" },
        { type: "uri", value: "other.pipeline.asset" },
      ],
      executable_file: { content: "SELECT 1 AS id, 2 AS total" },
    };
    expect((await runBruin(["internal", "patch-asset", file, "--body", JSON.stringify(body)])).code).toBe(0);
    const text = readFileSync(file, "utf8");
    expect(text).toContain("depends:\n- raw.items\n- uri: other.pipeline.asset\n");
    expect(text.endsWith("@bruin */\n\nSELECT 1 AS id, 2 AS total\n")).toBe(true);
  });

  it("patches an .asset.yml file, keeping its comments; a field assets do not have is ignored", async () => {
    const dir = project();
    const file = path.join(dir, "assets/raw.users.asset.yml");
    const body = { type: "duckdb.sql", parameters: { source: "crm", table: "users" }, owner: "ops", no_such_field: 1 };
    expect((await runBruin(["internal", "patch-asset", file, "--body", JSON.stringify(body)])).code).toBe(0);
    expect(readFileSync(file, "utf8")).toBe(
      "# users, from the CRM\nname: raw.users\ntype: duckdb.sql # soon\nparameters:\n  source: crm\n  table: users\nowner: ops\n",
    );
  });

  it("a body that is not a JSON object, a file that is no asset, or no path: {error} and exit 1", async () => {
    const dir = project();
    const file = path.join(dir, "assets/mart.orders.sql");
    const bad = await runBruin(["internal", "patch-asset", file, "--body", "{nope"]);
    expect(bad.code).toBe(1);
    expect((JSON.parse(bad.stdout) as { error: string }).error).toMatch(
      /^failed to patch the asset with the given json body: /,
    );
    const array = await runBruin(["internal", "patch-asset", file, "--body", "[1]"]);
    expect(JSON.parse(array.stdout)).toEqual({
      error: "failed to patch the asset with the given json body: the body must be a JSON object",
    });
    const notAsset = await runBruin(["internal", "patch-asset", path.join(dir, "pipeline.yml"), "--body", "{}"]);
    expect(JSON.parse(notAsset.stdout)).toEqual({ error: "the file in the given path does not seem to be an asset" });
    expect(readFileSync(file, "utf8")).toBe(ORDERS);
  });
});

describe("bruin internal patch-asset --convert", () => {
  it("puts a header with the pipeline's most common SQL type on a SQL file, and one on a Python file", async () => {
    const dir = project();
    writeTree(dir, {
      "assets/plain.sql": "SELECT 1 AS x\n",
      "assets/job.py": "print('hi')\n",
      "assets/notes.txt": "n\n",
    });
    for (const name of ["plain.sql", "job.py", "notes.txt", "mart.orders.sql"]) {
      const result = await runBruin(["internal", "patch-asset", "--convert", path.join(dir, "assets", name)]);
      expect([name, result.code, result.all]).toEqual([name, 0, ""]);
    }
    expect(readFileSync(path.join(dir, "assets/plain.sql"), "utf8")).toBe(
      "/* @bruin\n\ntype: duckdb.sql\n\n@bruin */\n\nSELECT 1 AS x\n",
    );
    expect(readFileSync(path.join(dir, "assets/job.py"), "utf8")).toBe(
      '""" @bruin\n\ndescription: this is a python asset\n\n@bruin """\n\nprint(\'hi\')\n',
    );
    expect(readFileSync(path.join(dir, "assets/notes.txt"), "utf8")).toBe("n\n");
    expect(readFileSync(path.join(dir, "assets/mart.orders.sql"), "utf8")).toBe(ORDERS);
    // A pipeline without SQL assets has no type to give: validate then asks for one.
    const bare = scratchRepo();
    writeTree(bare, { "p/pipeline.yml": "name: p\n", "p/assets/q.sql": "SELECT 2\n" });
    expect((await runBruin(["internal", "patch-asset", "--convert", path.join(bare, "p/assets/q.sql")])).code).toBe(0);
    expect(readFileSync(path.join(bare, "p/assets/q.sql"), "utf8")).toBe("/* @bruin\n\n@bruin */\n\nSELECT 2\n");
    const missing = await runBruin(["internal", "patch-asset", "--convert", path.join(dir, "assets/none.sql")]);
    expect([missing.code, JSON.parse(missing.stdout)]).toEqual([1, { error: "file does not exist" }]);
  });
});

describe("bruin internal patch-pipeline", () => {
  it("sets the pipeline's fields in pipeline.yml, keeping comments and order", async () => {
    const dir = project();
    const body = {
      retries: 3,
      start_date: "",
      notifications: { slack: [{ channel: "#data" }], ms_teams: [], discord: [] },
      default_connections: { duckdb: "duckdb-default", postgres: "pg" },
    };
    const result = await runBruin([
      "internal",
      "patch-pipeline",
      path.join(dir, "pipeline.yml"),
      "--body",
      JSON.stringify(body),
    ]);
    expect(result.all).toBe("");
    expect(result.code).toBe(0);
    expect(readFileSync(path.join(dir, "pipeline.yml"), "utf8")).toBe(`# the shop's pipeline
name: shop
schedule: daily   # every day

default_connections:
  duckdb: duckdb-default # the local file
  postgres: pg
retries: 3
notifications:
  slack:
    - channel: "#data"
`);
  });

  it("takes the pipeline's folder too; what parse-pipeline prints changes nothing", async () => {
    const dir = project();
    const parsed = JSON.parse((await runBruin(["internal", "parse-pipeline", dir])).stdout) as Record<string, unknown>;
    expect((await runBruin(["internal", "patch-pipeline", dir, "--body", JSON.stringify(parsed)])).code).toBe(0);
    expect(readFileSync(path.join(dir, "pipeline.yml"), "utf8")).toBe(PIPELINE);
    const missing = await runBruin(["internal", "patch-pipeline", dir]);
    expect(missing.code).toBe(1);
    expect((JSON.parse(missing.stdout) as { error: string }).error).toMatch(/^failed to apply patch to pipeline: /);
  });
});

describe("bruin patch fill-asset-dependencies", () => {
  it("adds the pipeline's assets a query reads to its depends, keeping the header's comments", async () => {
    const dir = project();
    writeTree(dir, {
      "assets/mart.report.sql": `/* @bruin
name: mart.report # the report
type: duckdb.sql
materialization:
  type: view
@bruin */
WITH o AS (SELECT * FROM mart.orders)
SELECT * FROM o JOIN raw.items i ON i.id = o.id, external.thing
`,
    });
    const result = await runBruin([
      "patch",
      "fill-asset-dependencies",
      "-o",
      "json",
      path.join(dir, "assets/mart.report.sql"),
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('{"status": "success", "message": "Asset dependencies updated successfully"}\n');
    expect(readFileSync(path.join(dir, "assets/mart.report.sql"), "utf8")).toContain(
      "name: mart.report # the report\ntype: duckdb.sql\nmaterialization:\n  type: view\ndepends:\n  - mart.orders\n  - raw.items\n@bruin */",
    );
  });

  it("for a pipeline: every asset; an asset that already lists them is left as written", async () => {
    const dir = project();
    const result = await runBruin(["patch", "fill-asset-dependencies", dir]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("Successfully updated dependencies for 3 assets in pipeline 'shop'.\n");
    expect(readFileSync(path.join(dir, "assets/mart.orders.sql"), "utf8")).toBe(ORDERS);
  });
});

describe("the tables a query reads", () => {
  it.each([
    ["SELECT * FROM a JOIN s.b ON 1 = 1 LEFT JOIN db.s.c AS x USING (id)", ["a", "s.b", "db.s.c"]],
    ["WITH x AS (SELECT 1 FROM t), y AS (SELECT * FROM x) SELECT * FROM y, z w", ["t", "z"]],
    ['SELECT * FROM "Quoted"."T" WHERE id IN (SELECT id FROM u)', ["Quoted.T", "u"]],
    ["SELECT * FROM {{ ref('x') }} JOIN read_csv('f.csv') ON true -- FROM commented", []],
  ])("%s", (query, tables) => {
    expect(tableReferences(query)).toEqual(tables);
  });
});

describe("bruin patch fill-columns-from-db", () => {
  it("adds the table's columns the asset does not declare, with their types, keeping what is declared", async () => {
    const root = scratchRepo();
    const items = `/* @bruin
name: raw.items
type: duckdb.sql
materialization:
  type: table
columns:
  - name: ID # the key
    description: the item
@bruin */
SELECT 1 AS id, 'pen' AS label, 2.5 AS price
`;
    writeTree(root, {
      ".bruin.yml": DUCKDB_CONFIG,
      "shop/pipeline.yml": "name: shop\n",
      "shop/assets/raw.items.sql": items,
      "shop/assets/raw.other.sql": "/* @bruin\nname: raw.other\ntype: duckdb.sql\n@bruin */\nSELECT 1 AS x\n",
    });
    expect((await runBruin(["run", "shop"], { cwd: root })).code).toBe(0);
    const file = path.join(root, "shop/assets/raw.items.sql");

    const result = await runBruin(["patch", "fill-columns-from-db", "-o", "json", file], { cwd: root });
    expect(result.stdout).toBe(`{"status": "updated", "asset Name": "raw.items'"}\n`);
    expect(result.code).toBe(0);
    expect(readFileSync(file, "utf8")).toBe(
      items.replace(
        "    description: the item\n",
        "    description: the item\n  - name: label\n    type: VARCHAR\n  - name: price\n    type: DECIMAL(2,1)\n",
      ),
    );
    const again = await runBruin(["patch", "fill-columns-from-db", file], { cwd: root });
    expect(again.stdout).toBe("No changes needed for asset 'raw.items'\n");

    // raw.other has no materialization, so it has no table: it fails; raw.items needs nothing more.
    const pipeline = await runBruin(["patch", "fill-columns-from-db", "-o", "json", "shop"], { cwd: root });
    expect(JSON.parse(pipeline.stdout)).toEqual({
      failed_assets: 1,
      processed_assets: 2,
      skipped_assets: 1,
      status: "failed",
      updated_assets: 0,
    });
    expect(pipeline.code).toBe(1);
  });
});
